"""A user of one school reaches nothing of another school: not by a console URL (every
pattern that takes an object id, read and write), not by the API, not by an export.

School A has one of everything (a draft with an attachment, a published item with
its notice-board delivery, an application with its receipt evidence, letters and
evidence package, a report draft, an obligation, a user with an API token). School
B's staff hold every non-administrator role, and school B has its own system and
security administrators; each URL is tried by the one who could use it in their own
school. Every answer is 404 (or 403), and nothing of school A changes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import ApiToken, Unit, User
from gongkai.accounts.roles import Role
from gongkai.accounts.tokens import create_token
from gongkai.applications import services as applications
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.audit.models import AuditEvent
from gongkai.catalogue import outbox
from gongkai.catalogue.models import Attachment, Channel, Delivery, Item
from gongkai.catalogue.services import editing
from gongkai.catalogue.services.columns import create_column
from gongkai.obligations.models import Obligation
from gongkai.obligations.starter import load_starter
from gongkai.reports import drafting
from gongkai.reports.models import ReportDraft
from tests.applications.conftest import APPLICANT, REQUEST
from tests.catalogue.conftest import draft, staff_for
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World, make_user
from tests.documents.builders import pdf_bytes

STAFF_ROLES = (
    Role.AUTHOR,
    Role.UNIT_REVIEWER,
    Role.CONFIDENTIALITY_REVIEWER,
    Role.SIGNER,
    Role.DISCLOSURE_OFFICER,
)


@dataclass
class SchoolA:
    draft: Item
    attachment: Attachment
    published: Item
    delivery: Delivery
    application: Application
    report: ReportDraft
    obligation: Obligation
    user: User
    token: ApiToken


@pytest.fixture
def school_a(world: World, settings: Any, tmp_path: Any) -> SchoolA:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    staff = staff_for(world.school_a, "sa")
    item = draft(staff, title="一小内部草稿")
    attachment = editing.add_attachment(
        actor=staff.author, item=item, name="名单.txt", data="一小名单".encode()
    )
    Channel.objects.create(unit=world.school_a, kind="notice_board", name="公告栏")
    published = draft(staff, title="一小已公开的通知")
    publish_quickly(staff, published)
    outbox.run_outbox()
    officer = make_user(
        world.school_a, "sa_officer", Role.DISCLOSURE_OFFICER, Role.AUTHOR
    )
    application = applications.register_application(
        actor=officer,
        unit=world.school_a,
        channel="registered_post",
        submitted_on=date(2025, 10, 31),
        signed_on=date(2025, 11, 3),
        applicant=APPLICANT,
        request=REQUEST,
        evidence="挂号信封扫描件",
        evidence_file=("信封.pdf", pdf_bytes(["registered envelope"])),
        today=date(2025, 11, 10),
    )
    applications.decide(
        actor=officer,
        application=application,
        outcome_key="granted",
        on=date(2025, 11, 10),
        reasoning="予以公开",
        provided="招生计划.pdf",
        today=date(2025, 11, 10),
    )
    create_column(actor=None, unit=world.school_a, name="年度报告", slug="ndbg")
    report = drafting.start_draft(actor=officer, unit=world.school_a, year=2025)
    load_starter(world.school_a)
    token, _secret = create_token(actor=world.school_a_author, name="一小的令牌")
    return SchoolA(
        draft=item,
        attachment=attachment,
        published=published,
        delivery=Delivery.objects.get(channel__unit=world.school_a),
        application=application,
        report=report,
        obligation=Obligation.objects.filter(unit=world.school_a).first(),  # type: ignore[arg-type]
        user=world.school_a_author,
        token=token,
    )


@dataclass
class SchoolB:
    staff: User
    sysadmin: User
    secadmin: User


@pytest.fixture
def school_b(world: World) -> SchoolB:
    return SchoolB(
        staff=make_user(world.school_b, "b_staff", *STAFF_ROLES),
        sysadmin=make_user(world.school_b, "b_sys", Role.SYSTEM_ADMIN),
        secadmin=make_user(world.school_b, "b_sec", Role.SECURITY_ADMIN),
    )


def _state(unit: Unit) -> dict[str, Any]:
    """Everything of school A that a write could change."""
    items = Item.objects.filter(unit=unit).order_by("pk")
    return {
        "items": [
            (i.pk, i.status, i.is_public, i.draft_revision_id, i.validity)
            for i in items
        ],
        "attachments": sorted(
            Attachment.objects.filter(revision__item__unit=unit).values_list(
                "pk", flat=True
            )
        ),
        "applications": [
            (a.pk, a.status, a.handler_id, a.due_on)
            for a in Application.objects.filter(unit=unit)
        ],
        "events": ApplicationEvent.objects.filter(application__unit=unit).count(),
        "reports": [
            (r.pk, r.overview, r.problems, r.other, r.item_id)
            for r in ReportDraft.objects.filter(unit=unit)
        ],
        "obligations": sorted(
            Obligation.objects.filter(unit=unit).values_list("pk", "name")
        ),
        "users": [
            (u.pk, u.is_active, sorted(u.roles.values_list("role", flat=True)))
            for u in User.objects.filter(unit=unit)
        ],
        "tokens": sorted(
            ApiToken.objects.filter(user__unit=unit).values_list("pk", "revoked_at")
        ),
        "unit": (unit.name, unit.short_name, unit.phone),
    }


def _urls(a: SchoolA, world: World) -> list[tuple[str, str, str, dict[str, str]]]:
    """(who, method, url, data) for every console URL that takes an object id."""
    item, app = a.draft.pk, a.application.pk
    file_id = a.application.files.get().pk
    rows: list[tuple[str, str, str, dict[str, str]]] = [
        ("staff", "get", reverse("console:item", args=[item]), {}),
        ("staff", "get", reverse("console:item_edit", args=[item]), {}),
        ("staff", "post", reverse("console:item_edit", args=[item]), {"title": "改"}),
        ("staff", "get", reverse("console:item_diff", args=[item, 1, 1]), {}),
        ("staff", "get", reverse("console:item", args=[a.published.pk]), {}),
        ("staff", "get", reverse("console:application", args=[app]), {}),
        ("staff", "get", reverse("console:application_file", args=[app, file_id]), {}),
        ("staff", "get", reverse("console:application_evidence_pdf", args=[app]), {}),
        ("staff", "get", reverse("console:application_evidence_zip", args=[app]), {}),
        ("staff", "get", reverse("console:report_draft", args=[a.report.pk]), {}),
        (
            "staff",
            "post",
            reverse("console:report_draft", args=[a.report.pk]),
            {"overview": "改写", "problems": "改写"},
        ),
        ("staff", "get", reverse("console:obligation", args=[a.obligation.pk]), {}),
        (
            "staff",
            "get",
            reverse("console:obligation_edit", args=[a.obligation.pk]),
            {},
        ),
        (
            "staff",
            "post",
            reverse("console:obligation_delete", args=[a.obligation.pk]),
            {},
        ),
        (
            "staff",
            "post",
            reverse("console:obligation_exempt", args=[a.obligation.pk]),
            {"reason": "x"},
        ),
        (
            "staff",
            "get",
            reverse("console:obligation_item_link", args=[a.published.pk]),
            {},
        ),
        (
            "staff",
            "post",
            reverse("console:obligation_item_unlink", args=[a.published.pk]),
            {},
        ),
        ("staff", "get", reverse("console:noticeboard_pdf", args=[a.delivery.pk]), {}),
        ("staff", "post", reverse("console:token_revoke", args=[a.token.pk]), {}),
        ("sysadmin", "get", reverse("console:unit", args=[world.school_a.pk]), {}),
        ("sysadmin", "get", reverse("console:unit_edit", args=[world.school_a.pk]), {}),
        (
            "sysadmin",
            "post",
            reverse("console:unit_edit", args=[world.school_a.pk]),
            {"name": "被改名的学校", "short_name": "改", "phone": "1"},
        ),
        (
            "sysadmin",
            "post",
            reverse("console:unit_create", args=[world.school_a.pk]),
            {"name": "夹带的下级单位", "short_name": "夹", "org_code": "999999999"},
        ),
        (
            "sysadmin",
            "post",
            reverse("console:department_create", args=[world.school_a.pk]),
            {"name": "夹带的科室"},
        ),
        ("sysadmin", "get", reverse("console:user", args=[a.user.pk]), {}),
        ("secadmin", "get", reverse("console:user", args=[a.user.pk]), {}),
    ]
    for kind in ("decision", "correction", "extension", "fee"):
        for name in ("application_letter_pdf", "application_letter_docx"):
            rows.append(
                ("staff", "get", reverse(f"console:{name}", args=[app, kind]), {})
            )
    for action in (
        "submit",
        "approve",
        "return",
        "attach",
        "detach",
        "resolve",
        "withdraw",
        "validity",
    ):
        for target in (item, a.published.pk):
            rows.append(
                (
                    "staff",
                    "post",
                    reverse("console:item_action", args=[target, action]),
                    {
                        "comment": "越权",
                        "reason": "越权",
                        "attachment": str(a.attachment.pk),
                        "validity": "repealed",
                        "on": "2025-12-01",
                    },
                )
            )
    for step in ("assign", "extend", "decide", "record_delivery", "withdraw"):
        rows.append(
            (
                "staff",
                "post",
                reverse("console:application_step", args=[app, step]),
                {f"{step}-on": "2025-11-20", "handler": ""},
            )
        )
    for action in (
        "deactivate",
        "activate",
        "grant",
        "revoke",
        "reset_password",
        "unlock",
    ):
        for who in ("sysadmin", "secadmin"):
            rows.append(
                (
                    who,
                    "post",
                    reverse("console:user_action", args=[a.user.pk, action]),
                    {"role": Role.SIGNER, "password": "Another-password-2026"},
                )
            )
    return rows


def test_no_console_url_of_one_school_answers_another_schools_staff(
    world: World, school_a: SchoolA, school_b: SchoolB
) -> None:
    before = _state(world.school_a)
    clients = {}
    for who in ("staff", "sysadmin", "secadmin"):
        clients[who] = Client()
        clients[who].force_login(getattr(school_b, who))
    answered = []
    for who, method, url, data in _urls(school_a, world):
        response = getattr(clients[who], method)(url, data)
        if response.status_code not in {403, 404}:
            answered.append((who, method, url, response.status_code))
    assert answered == []
    assert _state(world.school_a) == before
    # The bureau above both schools still sees school A's record (scope, not a
    # blanket refusal).
    bureau = Client()
    bureau.force_login(make_user(world.bureau, "bureau_staff", *STAFF_ROLES))
    assert (
        bureau.get(reverse("console:item", args=[school_a.draft.pk])).status_code == 200
    )
    assert (
        bureau.get(
            reverse("console:application", args=[school_a.application.pk])
        ).status_code
        == 200
    )
    assert AuditEvent.objects.filter(action="security.out_of_scope").exists()


def test_no_staff_api_call_of_one_school_reaches_another_schools_records(
    world: World, school_a: SchoolA, school_b: SchoolB
) -> None:
    before = _state(world.school_a)
    _row, secret = create_token(actor=school_b.staff, name="二小")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = Client()
    item, app = school_a.draft.pk, school_a.application.pk
    body = json.dumps({"comment": "越权", "on": "2025-11-20"})
    calls = [
        ("get", f"/api/staff/applications/{app}", None),
        ("post", f"/api/staff/applications/{app}/steps/extend", body),
        ("post", f"/api/staff/applications/{app}/steps/decide", body),
        ("post", f"/api/staff/items/{item}/submit", body),
        ("post", f"/api/staff/items/{item}/approve", body),
        ("post", f"/api/staff/items/{item}/return", body),
        ("get", f"/api/obligations/staff/items/{item}/suggestions", None),
        ("delete", f"/api/obligations/staff/items/{school_a.published.pk}/link", None),
    ]
    answered = []
    for method, url, data in calls:
        kwargs: dict[str, Any] = dict(auth)
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        response = getattr(client, method)(url, **kwargs)
        if response.status_code not in {403, 404}:
            answered.append((method, url, response.status_code))
    assert answered == []
    listed_items = client.get("/api/staff/items", **auth).json()
    assert all(i["unit"] != world.school_a.name for i in listed_items)
    listed_apps = client.get("/api/staff/applications", **auth).content.decode()
    assert school_a.application.reference not in listed_apps
    assert _state(world.school_a) == before


def test_another_schools_draft_and_its_attachment_are_not_public(
    world: World, school_a: SchoolA, client: Client
) -> None:
    item = school_a.draft
    assert client.get(reverse("portal:item", args=[item.pk])).status_code == 404
    attachment = reverse("portal:attachment", args=[item.pk, school_a.attachment.pk])
    assert client.get(attachment).status_code == 404
    # Nor via a published item's id with the draft's attachment id.
    mixed = reverse(
        "portal:attachment", args=[school_a.published.pk, school_a.attachment.pk]
    )
    assert client.get(mixed).status_code == 404
