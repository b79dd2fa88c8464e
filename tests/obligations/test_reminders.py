"""Reminders of recurring obligations, on a frozen clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.audit.models import AuditEvent
from gongkai.core.models import Notification
from gongkai.obligations import services
from gongkai.obligations.models import Obligation
from gongkai.obligations.reminders import send_reminders
from gongkai.obligations.tasks import send_obligation_reminders
from tests.catalogue.conftest import staff_for
from tests.conftest import World, make_user

from .helpers import item_for

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(clock: Any, year: int, month: int, day: int) -> None:
    clock.move_to(datetime(year, month, day, 9, tzinfo=SHANGHAI))


def keys(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("key", flat=True))


def test_the_annual_report_is_reminded_before_its_date_then_as_overdue_once(
    clock: Any,
    world: World,
    officer: User,
    catalogue: dict[str, Obligation],
    django_capture_on_commit_callbacks: Any,
) -> None:
    signer = make_user(world.bureau, "leader", Role.SIGNER)
    officer.email = "officer@example.com"
    officer.save()
    report = catalogue["政府信息公开工作年度报告"].pk
    at(clock, 2026, 1, 5)
    assert send_reminders(timezone.localdate()).notifications == 0
    at(clock, 2026, 1, 20)
    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders(timezone.localdate())
    assert (result.due_soon, result.overdue, result.notifications) == (1, 0, 1)
    assert keys(officer) == [
        f"obligation-{report}-unit-{world.bureau.pk}-2026-due_soon"
    ]
    assert "应于2026-01-31前公开" in Notification.objects.get(user=officer).text
    assert [m.to for m in mail.outbox] == [["officer@example.com"]]
    # 1月31日 passes without an item: overdue, to the office and the leader.
    at(clock, 2026, 2, 2)
    result = send_reminders(timezone.localdate())
    assert (result.overdue, result.notifications) == (1, 2)
    overdue_key = f"obligation-{report}-unit-{world.bureau.pk}-2026-overdue"
    assert overdue_key in keys(officer) and keys(signer) == [overdue_key]
    assert "已超过1个工作日" in Notification.objects.get(user=signer).text
    # Running again the same day, or a week later, reminds nobody again.
    assert send_reminders(timezone.localdate()).notifications == 0
    at(clock, 2026, 2, 9)
    assert send_reminders(timezone.localdate()).notifications == 0
    assert AuditEvent.objects.filter(action="obligations.reminders_sent").count() == 2


def test_a_report_published_in_time_is_not_reminded_as_overdue(
    clock: Any, world: World, officer: User, catalogue: dict[str, Obligation]
) -> None:
    bureau = staff_for(world.bureau, "bu")
    at(clock, 2026, 1, 28)
    item_for(
        bureau, catalogue["政府信息公开工作年度报告"], "2025年政府信息公开工作年度报告"
    )
    at(clock, 2026, 2, 2)
    assert send_reminders(timezone.localdate()).notifications == 0
    assert not Notification.objects.exists()


def test_each_school_is_reminded_through_its_office_or_else_its_authors(
    clock: Any, world: World, officer: User
) -> None:
    services.create_obligation(
        actor=officer,
        unit=world.bureau,
        category="校务公开",
        name="校务公开工作年度报告",
        time_rule="每年3月10日前",
        for_owner=False,
        for_schools=True,
    )
    school_b_officer = make_user(world.school_b, "officer_b", Role.DISCLOSURE_OFFICER)
    result = send_reminders(timezone.localdate())
    assert (result.due_soon, result.notifications) == (2, 2)
    assert Notification.objects.filter(user=world.school_a_author).exists()
    assert Notification.objects.filter(user=school_b_officer).exists()
    assert not Notification.objects.filter(user=world.school_b_author).exists()
    assert not Notification.objects.filter(user=officer).exists()


def test_the_task_and_the_command_send_the_same_reminders(
    clock: Any, world: World, officer: User, catalogue: dict[str, Obligation]
) -> None:
    assert send_obligation_reminders.call() == {
        "due_soon": 0,
        "overdue": 1,
        "notifications": 1,
    }
    from io import StringIO

    out = StringIO()
    call_command("obligations", "remind", "--today", "2026-01-20", stdout=out)
    assert "发出提醒 1 条" in out.getvalue()
