"""The coverage matrix with real items, on a frozen clock (2026-03-02)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.catalogue.services import publishing
from gongkai.law.obligations import CoverageStatus
from gongkai.obligations import services
from gongkai.obligations.coverage import (
    Matrix,
    coverage_figures,
    coverage_narrative,
    staff_matrix,
    unit_matrix,
)
from gongkai.obligations.models import Mode, Obligation
from gongkai.workdays.selectors import work_calendar
from tests.catalogue.conftest import staff_for
from tests.conftest import World

from .helpers import item_for

S = CoverageStatus


def statuses(matrix: Matrix) -> dict[tuple[str, str], CoverageStatus]:
    return {
        (cell.obligation.name, cell.unit.short_name): cell.status
        for cell in matrix.cells()
    }


def fill(world: World, officer: User, catalogue: dict[str, Obligation]) -> None:
    """The bureau and both schools with items in every state."""
    bureau = staff_for(world.bureau, "bu")
    a = staff_for(world.school_a, "s1")
    b = staff_for(world.school_b, "s2")
    item_for(bureau, catalogue["招生政策"], "2026年义务教育招生工作实施意见")
    item_for(bureau, catalogue["义务教育学校名录"], "义务教育学校名录", workdays=30)
    item_for(
        bureau,
        catalogue["日常监管信息"],
        "民办学校年检结果",
        workdays=25,
        publish=False,
    )
    item_for(
        bureau, catalogue["教育统计数据"], "教育统计数据", workdays=17, publish=False
    )
    item_for(bureau, catalogue["教师资格认定"], "教师资格认定通知", publish=False)
    item_for(a, catalogue["招生计划"], "一小2026年一年级招生计划")
    item_for(a, catalogue["学校介绍"], "一小学校介绍", workdays=30)
    item_for(
        a, catalogue["收费项目及收费标准"], "一小收费公示", workdays=16, publish=False
    )
    item_for(
        b,
        catalogue["义务教育学生资助政策"],
        "二小资助告知书",
        workdays=25,
        publish=False,
    )
    item_for(b, catalogue["录取办法"], "二小录取办法", publish=False)
    services.exempt_unit(
        actor=officer,
        obligation=catalogue["招生范围"],
        unit=world.school_b,
        year=2026,
        reason="本校不实行划片招生",
    )


def matrix_for(user: User, **extra: Any) -> Matrix:
    return staff_matrix(
        user, year=2026, today=timezone.localdate(), calendar=work_calendar(), **extra
    )


def test_the_bureau_sees_every_state_for_itself_and_its_schools(
    clock: Any, world: World, officer: User, catalogue: dict[str, Obligation]
) -> None:
    fill(world, officer, catalogue)
    matrix = matrix_for(officer)
    assert [u.short_name for u in matrix.units] == ["教育局", "一小", "二小"]
    found = statuses(matrix)
    assert found[("招生政策", "教育局")] is S.on_time
    assert found[("义务教育学校名录", "教育局")] is S.late
    assert found[("日常监管信息", "教育局")] is S.overdue
    assert found[("教育统计数据", "教育局")] is S.due_soon
    assert found[("教师资格认定", "教育局")] is S.not_due
    # 每年1月31日前 passed without an item.
    assert found[("政府信息公开工作年度报告", "教育局")] is S.overdue
    assert found[("招生计划", "一小")] is S.on_time
    assert found[("学校介绍", "一小")] is S.late
    assert found[("收费项目及收费标准", "一小")] is S.due_soon
    assert found[("义务教育学生资助政策", "二小")] is S.overdue
    assert found[("录取办法", "二小")] is S.not_due
    assert found[("招生范围", "二小")] is S.not_applicable
    assert found[("教师招聘", "一小")] is S.not_applicable
    assert found[("年度经费预决算信息", "二小")] is S.no_information
    assert set(found.values()) == set(CoverageStatus)
    counts = matrix.counts()
    assert counts[S.overdue] == 3 and sum(counts.values()) == 3 * len(catalogue)
    cell = next(
        c
        for c in matrix.cells()
        if (c.obligation.name, c.unit) == ("学校介绍", world.school_a)
    )
    assert [str(i) for i in cell.items] == ["一小学校介绍"]
    assert "晚于时限" in cell.coverage.note


def test_a_school_sees_only_itself_and_what_falls_on_it(
    clock: Any, world: World, officer: User, catalogue: dict[str, Obligation]
) -> None:
    fill(world, officer, catalogue)
    matrix = matrix_for(world.school_a_author)
    assert [u.short_name for u in matrix.units] == ["一小"]
    names = {row.obligation.name for row in matrix.rows}
    assert "招生计划" in names and "教师招聘" not in names
    assert statuses(matrix)[("收费项目及收费标准", "一小")] is S.due_soon


def test_the_portal_counts_only_published_items(
    clock: Any, world: World, officer: User, catalogue: dict[str, Obligation]
) -> None:
    fill(world, officer, catalogue)
    public = unit_matrix(
        world.school_a,
        year=2026,
        today=timezone.localdate(),
        calendar=work_calendar(),
        public_only=True,
    )
    found = statuses(public)
    assert found[("收费项目及收费标准", "一小")] is S.no_information
    assert found[("学校介绍", "一小")] is S.late


def test_a_withdrawn_item_no_longer_fulfils_its_obligation(
    clock: Any, world: World, catalogue: dict[str, Obligation]
) -> None:
    school = staff_for(world.school_a, "s1")
    item = item_for(school, catalogue["招生计划"], "一年级招生计划")
    publishing.withdraw(actor=school.signer, item=item, reason="信息有误")
    found = statuses(matrix_for(world.school_a_author))
    assert found[("招生计划", "一小")] is S.no_information


def test_an_on_request_obligation_is_not_counted_as_proactive(
    clock: Any, world: World, officer: User, catalogue: dict[str, Obligation]
) -> None:
    services.update_obligation(
        actor=officer, obligation=catalogue["教师招聘"], mode=Mode.ON_REQUEST
    )
    cell = next(
        c for c in matrix_for(officer).cells() if c.obligation.name == "教师招聘"
    )
    assert cell.status is S.not_applicable and "依申请" in cell.coverage.note


def test_the_annual_report_quotes_met_late_and_missed_obligations(
    clock: Any, world: World, officer: User, catalogue: dict[str, Obligation]
) -> None:
    fill(world, officer, catalogue)
    today, calendar = timezone.localdate(), work_calendar()
    own = coverage_figures(world.bureau, year=2026, today=today, calendar=calendar)
    assert (own.on_time, own.late, own.missed, own.pending) == (1, 1, 2, 2)
    assert own.applicable == len(catalogue)
    everyone = coverage_figures(
        world.bureau, year=2026, today=today, calendar=calendar, consolidated=True
    )
    assert (everyone.on_time, everyone.late, everyone.missed) == (2, 2, 3)
    text = coverage_narrative(world.bureau, year=2026, today=today, calendar=calendar)
    assert text.startswith("2026年，测试区教育局标准目录共有适用公开事项30项")
    assert "按时公开1项、逾期公开1项；逾期未公开2项" in text
