"""``gongkai schedule``: the periodic enqueuer for deployments without cron."""

from __future__ import annotations

from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.accounts.roles import Role
from gongkai.applications import services
from gongkai.catalogue.models import Channel, Delivery, DeliveryStatus
from gongkai.core.models import Notification
from gongkai.core.scheduling import Schedule
from tests.applications.conftest import APPLICANT, REQUEST
from tests.catalogue.conftest import draft, staff_for
from tests.catalogue.test_outbox_and_index import Receiver, receiver  # noqa: F401
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World, make_user

BEIJING = ZoneInfo("Asia/Shanghai")


def names(tasks: list[object]) -> list[str]:
    return [t.name for t in tasks]  # type: ignore[attr-defined]


def test_the_outbox_is_due_every_interval_and_the_reminders_once_a_day_at_their_time() -> (
    None
):
    schedule = Schedule(outbox_every=60, daily_at=time(7, 30))
    early = datetime(2026, 3, 2, 6, 0, tzinfo=BEIJING)
    assert names(schedule.due(0, early)) == ["deliver_and_publish"]
    assert schedule.due(30, early) == []
    assert schedule.seconds_to_next(30, early) == 30
    assert names(schedule.due(60, early)) == ["deliver_and_publish"]
    at_time = datetime(2026, 3, 2, 7, 30, tzinfo=BEIJING)
    assert names(schedule.due(90, at_time)) == [
        "send_application_reminders",
        "send_obligation_reminders",
        "send_annual_report_reminders",
        "optimise_search_index",
    ]
    assert schedule.due(100, datetime(2026, 3, 2, 18, 0, tzinfo=BEIJING)) == []
    assert "send_application_reminders" in names(
        schedule.due(121, datetime(2026, 3, 3, 7, 31, tzinfo=BEIJING))
    )


def test_a_scheduler_started_after_the_daily_time_sends_that_days_reminders_at_once() -> (
    None
):
    schedule = Schedule(outbox_every=60, daily_at=time(7, 30))
    noon = datetime(2026, 3, 2, 12, 0, tzinfo=BEIJING)
    assert names(schedule.due(0, noon)) == [
        "deliver_and_publish",
        "send_application_reminders",
        "send_obligation_reminders",
        "send_annual_report_reminders",
        "optimise_search_index",
    ]
    assert schedule.last_daily == date(2026, 3, 2)


def test_it_sleeps_until_the_next_outbox_round_or_the_daily_time() -> None:
    schedule = Schedule(outbox_every=600, daily_at=time(7, 30))
    before = datetime(2026, 3, 2, 7, 29, 50, tzinfo=BEIJING)
    schedule.due(0, before)
    assert schedule.seconds_to_next(0, before) == 10


def test_schedule_once_delivers_the_outbox_and_sends_the_days_reminders(
    world: World,
    receiver: tuple[Receiver, str],  # noqa: F811
) -> None:
    state, url = receiver
    officer = make_user(world.bureau, "officer", Role.DISCLOSURE_OFFICER)
    with time_machine.travel(datetime(2025, 11, 26, 9, 0, tzinfo=BEIJING)):
        services.register_application(
            actor=officer,
            unit=world.bureau,
            channel="in_person",
            submitted_on=date(2025, 11, 3),  # due 2025-12-01
            applicant=APPLICANT,
            request=REQUEST,
        )
        bureau = staff_for(world.bureau, "bureau")
        Channel.objects.create(
            unit=world.bureau, kind="webhook", name="区平台", config={"url": url}
        )
        publish_quickly(bureau, draft(bureau))
        out = StringIO()
        call_command("schedule", "--once", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split("：")[0] for line in lines] == [
        "deliver_and_publish",
        "send_application_reminders",
        "send_obligation_reminders",
        "send_annual_report_reminders",
        "optimise_search_index",
    ]
    assert "'delivered': 1" in lines[0]
    assert Delivery.objects.get().status == DeliveryStatus.DELIVERED
    assert len(state.requests) == 1
    assert Notification.objects.filter(
        user=officer, key__startswith="application-"
    ).exists()


def test_schedule_refuses_a_daily_time_it_cannot_read() -> None:
    with pytest.raises(CommandError, match="HH:MM"):
        call_command("schedule", "--once", "--daily-at", "7点半")
