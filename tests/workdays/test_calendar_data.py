from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.audit.models import AuditEvent
from gongkai.law.arrangement import YearArrangement
from gongkai.workdays import services
from gongkai.workdays.models import CalendarYear, Origin
from gongkai.workdays.selectors import stored_arrangement, work_calendar
from tests.conftest import World

ARRANGEMENT_2027 = YearArrangement(
    year=2027,
    holidays={
        date(2027, 1, 1): "元旦",
        **{date(2027, 2, 5) + timedelta(days=i): "春节" for i in range(8)},
    },
    makeup_workdays={date(2027, 2, 20): "春节"},
    source="国办发明电〔2026〕测试号",
)


@pytest.mark.django_db
def test_the_seeded_calendar_agrees_with_chinese_calendar_on_every_day_2004_to_2026() -> (
    None
):
    calendar = work_calendar()
    day = date(2004, 1, 1)
    while day <= date(2026, 12, 31):
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        assert not calendar.is_provisional(day)
        day += timedelta(days=1)
    assert CalendarYear.objects.filter(origin=Origin.SEEDED).count() == 23


@pytest.mark.django_db
def test_spring_festival_2026_has_its_two_makeup_saturdays() -> None:
    calendar = work_calendar()
    assert calendar.is_workday(date(2026, 2, 14)) and calendar.is_workday(
        date(2026, 2, 28)
    )
    assert not any(
        calendar.is_workday(date(2026, 2, 15) + timedelta(days=i)) for i in range(9)
    )


@pytest.mark.django_db
def test_a_year_without_an_arrangement_is_provisional_until_one_is_entered(
    world: World,
) -> None:
    assert work_calendar().is_provisional(date(2027, 3, 1))
    result = services.enter_year_arrangement(
        actor=world.sysadmin,
        arrangement=ARRANGEMENT_2027,
        reason="国务院办公厅通知已发布",
    )
    calendar = work_calendar()
    assert result.created
    assert not calendar.is_provisional(date(2027, 3, 1))
    assert calendar.is_workday(date(2027, 2, 20))
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.action == "workdays.arrangement_entered"
    assert event.data["reason"] == "国务院办公厅通知已发布"
    assert event.data["source"] == "国办发明电〔2026〕测试号"


@pytest.mark.django_db
def test_a_conflicting_arrangement_lists_the_differences_and_changes_nothing_until_confirmed(
    world: World,
) -> None:
    services.enter_year_arrangement(
        actor=world.sysadmin, arrangement=ARRANGEMENT_2027, reason="录入"
    )
    changed = YearArrangement(
        year=2027,
        holidays={**ARRANGEMENT_2027.holidays, date(2027, 2, 13): "春节"},
        makeup_workdays={},
        source=ARRANGEMENT_2027.source,
    )
    events = AuditEvent.objects.count()
    with pytest.raises(services.CalendarConflict) as exc:
        services.enter_year_arrangement(
            actor=world.sysadmin, arrangement=changed, reason="更正"
        )
    assert [str(c) for c in exc.value.changes] == [
        "2027-02-13：（无） → 放假（春节）",
        "2027-02-20：调休上班（春节） → （无）",
    ]
    assert stored_arrangement(2027) == ARRANGEMENT_2027
    assert AuditEvent.objects.count() == events
    result = services.enter_year_arrangement(
        actor=world.sysadmin, arrangement=changed, reason="更正", confirm=True
    )
    assert len(result.changes) == 2
    assert stored_arrangement(2027) == changed


@pytest.mark.django_db
def test_entering_the_same_arrangement_again_changes_nothing(world: World) -> None:
    services.enter_year_arrangement(
        actor=world.sysadmin, arrangement=ARRANGEMENT_2027, reason="录入"
    )
    events = AuditEvent.objects.count()
    result = services.enter_year_arrangement(
        actor=world.sysadmin, arrangement=ARRANGEMENT_2027, reason="再录"
    )
    assert not result.created and not result.changes
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_every_registered_deadline_recomputer_runs_in_the_same_transaction(
    world: World,
) -> None:
    calls: list[tuple[str, User | None]] = []

    def recompute(reason: str, actor: User | None) -> int:
        calls.append((reason, actor))
        return 3

    services.register_deadline_recomputer(recompute)
    try:
        result = services.enter_year_arrangement(
            actor=world.sysadmin, arrangement=ARRANGEMENT_2027, reason="通知发布"
        )
    finally:
        services._recomputers.remove(recompute)
    assert calls == [("2027年放假安排录入：通知发布", world.sysadmin)]
    assert result.deadlines_moved == 3


@pytest.mark.django_db
def test_only_the_system_administrator_maintains_the_calendar_and_a_reason_is_required(
    world: World,
) -> None:
    with pytest.raises(ServiceError, match="系统管理员"):
        services.enter_year_arrangement(
            actor=world.author, arrangement=ARRANGEMENT_2027, reason="x"
        )
    with pytest.raises(ServiceError, match="原因"):
        services.enter_year_arrangement(
            actor=world.sysadmin, arrangement=ARRANGEMENT_2027, reason=" "
        )
    assert stored_arrangement(2027) is None
