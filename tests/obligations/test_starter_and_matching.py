"""The starter catalogue, the demo's coverage, and suggestions for linking."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from gongkai.accounts.models import Unit, User
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.models import Item, Kind
from gongkai.law.obligations import CoverageStatus, parse_time_rule
from gongkai.obligations.coverage import staff_matrix
from gongkai.obligations.matching import score
from gongkai.obligations.models import Obligation
from gongkai.obligations.selectors import suggest_obligations
from gongkai.obligations.starter import load_starter, starter_rows
from gongkai.workdays.selectors import work_calendar
from tests.catalogue.conftest import draft, staff_for
from tests.conftest import World


def test_every_starter_row_cites_its_basis_and_source_and_reads() -> None:
    rows = starter_rows()
    assert len(rows) == 30
    assert len({(r["category"], r["name"]) for r in rows}) == 30
    for row in rows:
        assert row["basis"] and row["source"] and row["elements"]
        parse_time_rule(row["time_rule"])
    names = {r["name"] for r in rows}
    # The seed's 招生 wording and LAW.md §5's 义务教育 items.
    assert {"招生计划", "招生政策", "录取办法", "录取结果"} <= names
    assert {"义务教育学校名录", "招生范围", "学校介绍", "义务教育学生资助政策"} <= names


def test_loading_the_starter_twice_adds_each_row_once(world: World) -> None:
    assert load_starter(world.bureau) == 30
    assert load_starter(world.bureau) == 0
    assert Obligation.objects.filter(unit=world.bureau).count() == 30
    assert AuditEvent.objects.filter(action="obligations.starter_loaded").count() == 1
    report = Obligation.objects.get(name="政府信息公开工作年度报告")
    assert report.time_rule == "每年1月31日前" and not report.for_schools


def test_the_demo_shows_every_state_for_the_bureau_and_two_schools(
    clock: Any, db: None
) -> None:
    from gongkai.core.demo import load_demo

    load_demo()
    bureau = Unit.objects.get(parent__isnull=True)
    load_starter(bureau, demo_items=True)
    items = Item.objects.count()
    load_starter(bureau, demo_items=True)
    assert Item.objects.count() == items
    matrix = staff_matrix(
        User.objects.get(username="officer"),
        year=2026,
        today=timezone.localdate(),
        calendar=work_calendar(),
    )
    shown = matrix.units[:3]
    states = {c.status for c in matrix.cells() if c.unit in shown}
    assert states == set(CoverageStatus)
    with_items = {c.status for c in matrix.cells() if c.unit in shown and c.items}
    assert {
        CoverageStatus.on_time,
        CoverageStatus.late,
        CoverageStatus.due_soon,
        CoverageStatus.overdue,
        CoverageStatus.not_due,
    } <= with_items
    cells = {(c.obligation.name, c.unit.pk): c for c in matrix.cells()}
    assert (
        cells[("政府信息公开工作年度报告", bureau.pk)].status is CoverageStatus.overdue
    )
    kindergarten = matrix.units[3]
    exempt = cells[("招生范围", kindergarten.pk)]
    assert exempt.coverage.note == "幼儿园不实行义务教育划片招生"


@pytest.mark.parametrize(
    ("title", "kind", "expected"),
    [
        ("2026年秋季一年级招生计划", "news", "招生计划"),
        ("2026年小学招生范围及学区划分", "news", "招生范围"),
        ("关于2026年教师资格认定工作的通知", "news", "教师资格认定"),
        ("2025年政府信息公开工作年度报告", "annual-report", "政府信息公开工作年度报告"),
        ("《义务教育招生办法》图解", "interpretation", "相关政策解读"),
        ("学生资助“两免一补”政策告知书", "news", "义务教育学生资助政策"),
    ],
)
def test_the_suggested_obligation_follows_title_kind_and_keywords(
    world: World,
    catalogue: dict[str, Obligation],
    title: str,
    kind: str,
    expected: str,
) -> None:
    bureau = staff_for(world.bureau, "bu")
    item = draft(bureau, title=title, kind=Kind.objects.get(slug=kind))
    best, suggestion = suggest_obligations(item)[0]
    assert best.name == expected, suggestion.reasons


def test_a_title_with_nothing_in_common_gets_no_suggestion(
    world: World, catalogue: dict[str, Obligation]
) -> None:
    school = staff_for(world.school_a, "s1")
    assert suggest_obligations(draft(school, title="春季运动会顺利举行")) == []
    plan = catalogue["招生计划"]
    assert score(plan, title="", column="", kind="").score == 0
    assert score(plan, title="招生", column="招生考试", kind="").reasons
