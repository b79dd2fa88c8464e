from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.applications import services
from gongkai.applications.models import Application, EventKind, Status
from gongkai.audit.models import AuditEvent
from gongkai.core.crypto import decrypt
from tests.applications.conftest import APPLICANT, REQUEST
from tests.conftest import World

TODAY = date(2025, 12, 31)


def cli_due(*args: str) -> str:
    out = StringIO()
    call_command("deadline", *args, "--today", TODAY.isoformat(), "--json", stdout=out)
    return str(json.loads(out.getvalue())["due_on"])


def test_an_online_application_corrected_consulted_extended_and_partly_granted_matches_the_cli(
    world: World, officer: User
) -> None:
    app = services.submit_online_application(
        unit=world.bureau,
        applicant=APPLICANT,
        request=REQUEST,
        submission_token="t1",
        ip="10.0.0.1",
        today=date(2025, 11, 2),
    )
    assert app.status == Status.AWAITING_CONFIRMATION and app.due_on is None
    services.confirm_receipt(
        actor=officer, application=app, confirmed_on=date(2025, 11, 3), today=TODAY
    )
    services.request_correction(
        actor=officer,
        application=app,
        on=date(2025, 11, 5),
        items="请明确学校范围",
        today=TODAY,
    )
    assert app.status == Status.AWAITING_CORRECTION
    services.receive_correction(
        actor=officer, application=app, on=date(2025, 11, 10), today=TODAY
    )
    started = services.start_consultation(
        actor=officer,
        application=app,
        kind="third_party",
        on=date(2025, 11, 12),
        party="某民办学校",
        today=TODAY,
    )
    services.end_consultation(
        actor=officer,
        application=app,
        started=started,
        on=date(2025, 11, 19),
        opinion="不同意公开学生名单",
        today=TODAY,
    )
    services.extend(
        actor=officer,
        application=app,
        on=date(2025, 12, 1),
        workdays=10,
        approved_by="人秘股股长",
        reason="涉及多所学校",
        today=TODAY,
    )
    app.refresh_from_db()
    expected = cli_due(
        "--received",
        "2025-11-03",
        "--channel",
        "in_person",
        "--correction-requested",
        "2025-11-05",
        "--correction-received",
        "2025-11-10",
        "--consultation",
        "2025-11-12:2025-11-19",
        "--extension",
        "10",
        "--extension-on",
        "2025-12-01",
    )
    assert app.due_on == date.fromisoformat(expected)
    services.decide(
        actor=officer,
        application=app,
        outcome_key="partially_granted",
        on=date(2025, 12, 10),
        reasoning="招生计划予以公开；学生名单涉及个人隐私，不予公开",
        today=TODAY,
    )
    services.record_delivery(
        actor=officer,
        application=app,
        on=date(2025, 12, 11),
        method="电子邮件",
        today=TODAY,
    )
    app.refresh_from_db()
    assert (app.status, app.outcome, app.decided_on) == (
        Status.CLOSED,
        "partially_granted",
        date(2025, 12, 10),
    )
    kinds = list(app.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.SUBMITTED,
        EventKind.RECEIPT_CONFIRMED,
        EventKind.CORRECTION_REQUESTED,
        EventKind.CORRECTION_RECEIVED,
        EventKind.CONSULTATION_STARTED,
        EventKind.CONSULTATION_ENDED,
        EventKind.EXTENDED,
        EventKind.DECIDED,
        EventKind.DELIVERED,
    ]
    assert (
        AuditEvent.objects.filter(
            object_type="applications.application", object_id=str(app.pk)
        ).count()
        == 9
    )


def test_the_same_form_submitted_twice_creates_one_application(world: World) -> None:
    first = services.submit_online_application(
        unit=world.bureau,
        applicant=APPLICANT,
        request=REQUEST,
        submission_token="same",
        ip=None,
    )
    second = services.submit_online_application(
        unit=world.bureau,
        applicant=APPLICANT,
        request=REQUEST,
        submission_token="same",
        ip=None,
    )
    assert first.pk == second.pk
    assert Application.objects.count() == 1


def test_identity_numbers_are_encrypted_at_rest_and_shown_masked(world: World) -> None:
    app = services.submit_online_application(
        unit=world.bureau,
        applicant=APPLICANT,
        request=REQUEST,
        submission_token="t",
        ip=None,
    )
    assert "440102199001011234" not in app.id_number_encrypted
    assert decrypt(app.id_number_encrypted) == "440102199001011234"
    assert app.id_number_hint == "440102********1234"
    assert "440102199001011234" not in json.dumps(
        list(AuditEvent.objects.values("summary", "data")), ensure_ascii=False
    )


def test_query_codes_are_unguessable_and_references_sequential(world: World) -> None:
    apps = [
        services.submit_online_application(
            unit=world.bureau,
            applicant=APPLICANT,
            request=REQUEST,
            submission_token=f"t{i}",
            ip=None,
        )
        for i in range(3)
    ]
    assert len({a.query_code for a in apps}) == 3
    assert all(len(a.query_code) == 19 for a in apps)
    assert [a.reference[-4:] for a in apps] == ["0001", "0002", "0003"]


def test_rate_limit_per_address_refuses_with_a_chinese_message(
    world: World, settings: object
) -> None:
    settings.GONGKAI_APPLY_LIMIT_PER_IP_PER_HOUR = 2  # type: ignore[attr-defined]
    for i in range(2):
        services.submit_online_application(
            unit=world.bureau,
            applicant=APPLICANT,
            request=REQUEST,
            submission_token=f"r{i}",
            ip="10.1.1.1",
        )
    with pytest.raises(ServiceError, match="提交过于频繁"):
        services.submit_online_application(
            unit=world.bureau,
            applicant=APPLICANT,
            request=REQUEST,
            submission_token="r9",
            ip="10.1.1.1",
        )


def registered(
    world: World, officer: User, received: date = date(2025, 11, 3)
) -> Application:
    return services.register_application(
        actor=officer,
        unit=world.bureau,
        channel="registered_post",
        submitted_on=date(2025, 10, 31),
        signed_on=received,
        applicant=APPLICANT,
        request=REQUEST,
        evidence="挂号信封扫描件",
        today=TODAY,
    )


def test_registered_post_is_received_on_the_day_signed_for(
    world: World, officer: User
) -> None:
    app = registered(world, officer)
    assert app.received_on == date(2025, 11, 3)
    assert "签收" in app.receipt_basis
    assert app.due_on == date(2025, 12, 1)


def test_a_second_extension_and_a_second_correction_are_refused(
    world: World, officer: User
) -> None:
    app = registered(world, officer)
    services.extend(
        actor=officer,
        application=app,
        on=date(2025, 11, 20),
        workdays=5,
        approved_by="股长",
        reason="复杂",
        today=TODAY,
    )
    with pytest.raises(ServiceError, match="只能延长一次"):
        services.extend(
            actor=officer,
            application=app,
            on=date(2025, 11, 21),
            workdays=5,
            approved_by="股长",
            reason="再延",
            today=TODAY,
        )
    with pytest.raises(ServiceError, match="20"):
        services.extend(
            actor=officer,
            application=registered(world, officer),
            on=date(2025, 11, 21),
            workdays=25,
            approved_by="股长",
            reason="过长",
            today=TODAY,
        )


def test_a_fee_lapse_without_a_fee_notice_is_refused(
    world: World, officer: User
) -> None:
    app = registered(world, officer)
    with pytest.raises(ServiceError, match="没有收费通知"):
        services.lapse_fee(
            actor=officer, application=app, on=date(2025, 12, 20), today=TODAY
        )


def test_deciding_a_closed_application_is_refused_and_changes_nothing(
    world: World, officer: User
) -> None:
    app = registered(world, officer)
    services.withdraw(
        actor=officer,
        application=app,
        on=date(2025, 11, 5),
        reason="申请人来电撤回",
        today=TODAY,
    )
    events = app.events.count()
    with pytest.raises(ServiceError, match="已办结"):
        services.decide(
            actor=officer,
            application=app,
            outcome_key="granted",
            on=date(2025, 11, 6),
            reasoning="x",
            today=TODAY,
        )
    app.refresh_from_db()
    assert (app.outcome, app.events.count()) == ("other", events)


def test_staff_without_the_disclosure_role_cannot_handle_applications(
    world: World, officer: User
) -> None:
    app = registered(world, officer)
    with pytest.raises(ServiceError, match="公开工作机构"):
        services.decide(
            actor=world.author,
            application=app,
            outcome_key="granted",
            on=date(2025, 11, 6),
            reasoning="x",
            today=TODAY,
        )


def test_a_correction_that_lapses_closes_the_application_as_other_handling_one(
    world: World, officer: User
) -> None:
    app = registered(world, officer)
    services.request_correction(
        actor=officer,
        application=app,
        on=date(2025, 11, 4),
        items="补充身份证明",
        today=TODAY,
    )
    with pytest.raises(ServiceError, match="尚未届满"):
        services.lapse_correction(
            actor=officer, application=app, on=date(2025, 11, 20), today=TODAY
        )
    services.lapse_correction(
        actor=officer, application=app, on=date(2025, 11, 26), today=TODAY
    )
    app.refresh_from_db()
    assert (app.status, app.outcome) == (Status.CLOSED, "other_correction_lapsed")


def test_a_per_page_fee_notice_quotes_the_tiers_and_pauses_the_clock(
    world: World, officer: User
) -> None:
    app = registered(world, officer)
    before = app.due_on
    amount = services.issue_fee_notice(
        actor=officer,
        application=app,
        on=date(2025, 11, 10),
        basis="per_page",
        pages=120,
        today=TODAY,
    )
    assert amount == 70 * 10 + 20 * 20
    services.record_fee_payment(
        actor=officer, application=app, on=date(2025, 11, 14), today=TODAY
    )
    app.refresh_from_db()
    assert app.due_on is not None and before is not None and app.due_on > before
    with pytest.raises(ServiceError, match="重复计算"):
        services.issue_fee_notice(
            actor=officer,
            application=app,
            on=date(2025, 11, 15),
            basis="per_application",
            today=TODAY,
        )


def test_dates_out_of_order_are_refused_naming_the_field(
    world: World, officer: User
) -> None:
    app = registered(world, officer)
    services.request_correction(
        actor=officer, application=app, on=date(2025, 11, 5), items="补充", today=TODAY
    )
    with pytest.raises(ServiceError, match="correction_received_on"):
        services.receive_correction(
            actor=officer, application=app, on=date(2025, 11, 4), today=TODAY
        )
    assert app.events.filter(kind=EventKind.CORRECTION_RECEIVED).count() == 0
