from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.applications import services
from gongkai.applications.figures import table_four, table_three
from gongkai.applications.models import Application
from gongkai.applications.reminders import send_reminders
from gongkai.applications.selectors import monthly_counts, similar_applications
from gongkai.core.models import Notification
from tests.applications.conftest import APPLICANT, REQUEST
from tests.conftest import World, make_user


def register(world: World, officer: User, received: date, **kw: object) -> Application:
    applicant = kw.pop("applicant", APPLICANT)
    return services.register_application(
        actor=officer,
        unit=kw.pop("unit", world.bureau),
        channel="in_person",
        submitted_on=received,
        applicant=applicant,
        request=REQUEST,
        today=date(2026, 1, 31),  # type: ignore[arg-type]
    )


def test_table_three_balances_and_carries_open_applications_into_next_year(
    world: World, officer: User
) -> None:
    from dataclasses import replace

    company = replace(
        APPLICANT,
        kind="commercial_enterprise",
        name="某公司",
        org_code="91440000MA00000001",
    )
    a = register(world, officer, date(2025, 3, 3))
    b = register(world, officer, date(2025, 12, 22), applicant=company)
    c = register(world, officer, date(2025, 12, 29))
    services.decide(
        actor=officer,
        application=a,
        outcome_key="granted",
        on=date(2025, 3, 10),
        reasoning="公开",
        today=date(2026, 1, 31),
    )
    services.decide(
        actor=officer,
        application=b,
        outcome_key="partially_granted",
        on=date(2026, 1, 9),
        reasoning="部分",
        today=date(2026, 1, 31),
    )
    t25 = table_three(world.bureau, 2025)
    assert (
        t25.rows["new"]["total"] == 3 and t25.rows["new"]["commercial_enterprise"] == 1
    )
    assert t25.rows["granted"]["natural_person"] == 1
    assert t25.rows["total"]["total"] == 1
    assert t25.rows["carried_forward"]["total"] == 2
    for col in t25.rows["new"]:
        assert (
            t25.rows["new"][col] + t25.rows["carried_over"][col]
            == t25.rows["total"][col] + t25.rows["carried_forward"][col]
        )
    t26 = table_three(world.bureau, 2026)
    assert t26.rows["carried_over"] == t25.rows["carried_forward"]
    assert t26.rows["partially_granted"]["commercial_enterprise"] == 1
    assert c.status == "in_progress"


def test_a_schools_applications_are_consolidated_into_the_bureau_but_not_the_other_way(
    world: World, officer: User
) -> None:
    school_officer = make_user(world.school_a, "a_officer", Role.DISCLOSURE_OFFICER)
    register(world, school_officer, date(2025, 5, 6), unit=world.school_a)
    assert table_three(world.bureau, 2025).rows["new"]["total"] == 1
    assert table_three(world.school_b, 2025).rows["new"]["total"] == 0


def test_appeals_count_by_result_at_year_end_and_co_defendant_cases_are_left_out(
    world: World, officer: User
) -> None:
    app = register(world, officer, date(2025, 3, 3))
    services.decide(
        actor=officer,
        application=app,
        outcome_key="withheld_third_party",
        on=date(2025, 3, 20),
        reasoning="第三方不同意",
        today=date(2026, 1, 31),
    )
    review = services.file_appeal(
        actor=officer,
        application=app,
        kind="administrative_review",
        filed_on=date(2025, 5, 1),
        body="潮州市湘桥区人民政府",
        today=date(2026, 1, 31),
    )
    services.file_appeal(
        actor=officer,
        application=app,
        kind="litigation_after_review",
        filed_on=date(2025, 8, 1),
        body="湘桥区人民法院",
        as_review_body=True,
        today=date(2026, 1, 31),
    )
    services.conclude_appeal(
        actor=officer,
        appeal=review,
        result="upheld",
        on=date(2026, 1, 10),
        today=date(2026, 1, 31),
    )
    t = table_four(world.bureau, 2025)
    assert (
        t["administrative_review"]["pending"] == 1
        and t["administrative_review"]["total"] == 1
    )
    assert t["litigation_after_review"]["total"] == 0
    with pytest.raises(ServiceError, match="已登记审结"):
        services.conclude_appeal(
            actor=officer,
            appeal=review,
            result="corrected",
            on=date(2026, 1, 11),
            today=date(2026, 1, 31),
        )


def test_reminders_notify_once_per_day_and_escalate_overdue_to_the_leaders(
    world: World, officer: User
) -> None:
    signer = make_user(world.bureau, "leader", Role.SIGNER)
    signer.email = "leader@xq.gov.cn"
    signer.save()
    app = register(world, officer, date(2025, 11, 3))  # due 2025-12-01
    report = send_reminders(date(2025, 11, 26))
    assert (report.due_soon, report.overdue) == (1, 0)
    assert Notification.objects.filter(user=officer).count() == 1
    assert send_reminders(date(2025, 11, 26)).notifications == 0
    report = send_reminders(date(2025, 12, 3))
    assert report.overdue == 1
    assert Notification.objects.filter(
        user=signer, text__contains="逾期 2 个工作日"
    ).exists()
    assert app.reference in Notification.objects.filter(user=signer).first().text  # type: ignore[union-attr]


def test_reminder_mail_goes_out_after_commit(
    world: World, officer: User, django_capture_on_commit_callbacks: object
) -> None:
    officer.email = "officer@xq.gov.cn"
    officer.save()
    register(world, officer, date(2025, 11, 3))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        send_reminders(date(2025, 11, 27))
    assert len(mail.outbox) == 1 and "到期" in mail.outbox[0].subject


def test_the_remind_command_runs_the_task(world: World, officer: User) -> None:
    from io import StringIO

    out = StringIO()
    call_command("remind", stdout=out)
    assert "发出提醒" in out.getvalue()


def test_similar_applications_of_the_same_applicant_are_shown_first(
    world: World, officer: User
) -> None:
    first = register(world, officer, date(2025, 11, 3))
    second = register(world, officer, date(2025, 11, 10))
    similar = similar_applications(second)
    assert similar[0][0] == first and similar[0][1] == 1.0
    assert monthly_counts(second) == [("2025-11", 2)]


def test_the_inbox_shows_queues_and_notifications(
    world: World, officer: User, client: Client
) -> None:
    register(world, officer, date(2025, 11, 3))
    send_reminders(date(2025, 11, 26))
    client.force_login(officer)
    page = client.get(reverse("console:inbox")).content.decode()
    assert "未办结的政府信息公开申请" in page and "将于 2025-12-01 到期" in page
    note = Notification.objects.get(user=officer)
    client.post(reverse("console:notification_read", args=[note.pk]))
    assert "没有未读提醒" in client.get(reverse("console:inbox")).content.decode()


def test_appeals_are_recorded_in_the_console(
    world: World, officer: User, client: Client
) -> None:
    app = register(world, officer, date(2025, 11, 3))
    client.force_login(officer)
    client.post(
        reverse("console:application_step", args=[app.pk, "file_appeal"]),
        {
            "file_appeal-kind": "administrative_review",
            "file_appeal-filed_on": "2025-12-20",
            "file_appeal-body": "湘桥区人民政府",
        },
    )
    appeal = app.appeals.get()
    client.post(
        reverse("console:application_step", args=[app.pk, "conclude_appeal"]),
        {
            "conclude_appeal-appeal": appeal.pk,
            "conclude_appeal-result": "corrected",
            "conclude_appeal-on": "2026-01-20",
        },
    )
    appeal.refresh_from_db()
    assert (appeal.result, appeal.concluded_on) == ("corrected", date(2026, 1, 20))
