from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.catalogue.models import Status
from gongkai.catalogue.services.columns import create_column
from gongkai.core.models import Notification
from gongkai.reports import drafting
from gongkai.reports.models import ReportDraft
from tests.catalogue.conftest import CHECKLIST
from tests.conftest import World, make_user


@pytest.fixture
def office(world: World) -> User:
    create_column(actor=None, unit=world.bureau, name="政府信息公开年报", slug="ndbg")
    return make_user(world.bureau, "rep_officer", Role.DISCLOSURE_OFFICER, Role.AUTHOR)


def test_a_draft_carries_the_tables_and_goes_through_the_review_chain_to_the_portal(
    world: World,
    office: User,
    client: Client,
) -> None:
    draft = drafting.start_draft(actor=office, unit=world.bureau, year=2025)
    item = draft.item
    assert item is not None and item.draft_revision is not None
    body = item.draft_revision.body
    assert "三、收到和处理政府信息公开申请情况" in body and "结转下年度继续办理" in body
    assert (
        item.draft_revision.column.slug == "ndbg"
        and item.draft_revision.kind.report_role == "annual_report"
    )
    with pytest.raises(ServiceError, match="已在起草中"):
        drafting.start_draft(actor=office, unit=world.bureau, year=2025)
    check = drafting.update_narrative(
        actor=office,
        draft=draft,
        overview="2025年，本局共收到政府信息公开申请99件。",
        problems="时效性有待提升。",
        other="",
    )
    assert any("99" in w for w in check.warnings)
    drafting.submit_report(actor=office, draft=draft)
    item.refresh_from_db()
    assert item.status == Status.UNIT_REVIEW
    reviewer = make_user(world.bureau, "rep_rev", Role.UNIT_REVIEWER)
    secrecy = make_user(world.bureau, "rep_sec", Role.CONFIDENTIALITY_REVIEWER)
    signer = make_user(world.bureau, "rep_sign", Role.SIGNER)
    from gongkai.catalogue.services import review

    review.approve(actor=reviewer, item=item)
    review.approve(actor=secrecy, item=item, checklist=CHECKLIST, conclusion="同意")
    review.approve(actor=signer, item=item)
    assert item.is_public
    listing = client.get("/annual-reports/").content.decode()
    assert "2025年度政府信息公开工作年度报告" in listing
    assert "99件" in client.get(reverse("portal:item", args=[item.pk])).content.decode()


def test_only_an_author_of_the_unit_drafts_and_only_for_finished_years(
    world: World, office: User
) -> None:
    with pytest.raises(ServiceError, match="撰稿人"):
        drafting.start_draft(actor=world.sysadmin, unit=world.bureau, year=2025)
    with pytest.raises(ServiceError, match="已结束年度"):
        drafting.start_draft(actor=office, unit=world.bureau, year=date.today().year)
    assert not ReportDraft.objects.exists()


def test_offices_are_reminded_when_the_report_is_due_and_unpublished(
    world: World, office: User
) -> None:
    assert drafting.send_report_reminders(date(2026, 1, 5)) == 0
    assert drafting.send_report_reminders(date(2026, 1, 25)) == 1
    assert "2025年度" in Notification.objects.get(user=office).text
    assert drafting.send_report_reminders(date(2026, 1, 25)) == 0


def test_the_console_drafts_and_saves_the_narrative(
    world: World, office: User, client: Client
) -> None:
    client.force_login(office)
    response = client.post(reverse("console:reports"), {"year": "2025"})
    draft = ReportDraft.objects.get()
    assert response["Location"] == reverse("console:report_draft", args=[draft.pk])
    page = client.get(response["Location"]).content.decode()
    assert "表格勾稽关系全部正确" in page
    client.post(
        response["Location"],
        {
            "overview": "新的总体情况。",
            "problems": "问题。",
            "other": "",
            "action": "save",
        },
    )
    draft.refresh_from_db()
    assert draft.overview == "新的总体情况。"
    assert draft.item is not None and draft.item.revisions.count() == 1


def test_the_draft_quotes_how_the_units_obligations_were_met(
    world: World, office: User
) -> None:
    from gongkai.obligations.starter import load_starter

    load_starter(world.bureau)
    draft = drafting.start_draft(actor=office, unit=world.bureau, year=2025)
    assert "标准目录" in draft.overview or "公开事项" in draft.overview
