from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.errors import ServiceError
from gongkai.audit.models import AuditEvent
from gongkai.catalogue.models import Delivery, FindingStatus, Item, ReviewChain, Status
from gongkai.catalogue.services import editing, publishing, review
from tests.catalogue.conftest import CHECKLIST, ID_NUMBER, School, draft, xlsx_with
from tests.conftest import World


def test_an_id_number_in_an_attachment_blocks_until_masked_then_the_signer_publishes(
    world: World, school: School, client: Client
) -> None:
    item = draft(school)
    editing.add_attachment(
        actor=school.author,
        item=item,
        name="新生名单.xlsx",
        data=xlsx_with(("姓名", "身份证号"), ("张小明", ID_NUMBER)),
    )
    findings = review.submit(actor=school.author, item=item)
    assert [(f.kind, f.text) for f in findings] == [("id_number", ID_NUMBER)]
    review.approve(actor=school.reviewer, item=item)
    assert item.status == Status.CONFIDENTIALITY_REVIEW
    with pytest.raises(ServiceError, match="1 处敏感信息未处理"):
        review.approve(
            actor=school.secrecy, item=item, checklist=CHECKLIST, conclusion="同意公开"
        )
    finding = item.draft_revision.findings.get()  # type: ignore[union-attr]
    review.resolve_finding(actor=school.secrecy, finding=finding, action="mask")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.MASKED
    attachment = item.draft_revision.attachments.get()  # type: ignore[union-attr]
    assert ID_NUMBER not in attachment.text and "440102********1236" in attachment.text
    review.approve(
        actor=school.secrecy,
        item=item,
        checklist=CHECKLIST,
        conclusion="已遮盖身份证号，同意公开",
    )
    assert item.status == Status.SIGN_OFF and not item.is_public
    review.approve(actor=school.signer, item=item)
    assert item.status == Status.PUBLISHED and item.is_public
    assert item.index_number == f"{world.school_a.org_code}/{date.today().year}-00001"
    page = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    assert "2025年秋季学期一年级新生名单公示" in page and item.index_number in page
    download = client.get(reverse("portal:attachment", args=[item.pk, attachment.pk]))
    assert ID_NUMBER.encode() not in b"".join(download.streaming_content)  # type: ignore[attr-defined]
    confidentiality = item.reviews.get(step="confidentiality_review")
    assert (
        confidentiality.checklist == CHECKLIST
        and confidentiality.conclusion.startswith("已遮盖")
    )


def test_the_confidentiality_checklist_must_allow_publication(
    world: World, school: School
) -> None:
    item = draft(school)
    review.submit(actor=school.author, item=item)
    review.approve(actor=school.reviewer, item=item)
    with pytest.raises(ServiceError, match="个人隐私"):
        review.approve(
            actor=school.secrecy,
            item=item,
            checklist={**CHECKLIST, "privacy": True},
            conclusion="x",
        )
    with pytest.raises(ServiceError, match="保密审查结论"):
        review.approve(
            actor=school.secrecy, item=item, checklist=CHECKLIST, conclusion=" "
        )


def test_a_unit_may_skip_unit_review_but_never_the_confidentiality_review(
    world: World, school: School
) -> None:
    ReviewChain.objects.create(unit=world.school_a, unit_review=False, sign_off=False)
    item = draft(school)
    review.submit(actor=school.author, item=item)
    assert item.status == Status.CONFIDENTIALITY_REVIEW
    review.approve(
        actor=school.secrecy, item=item, checklist=CHECKLIST, conclusion="同意"
    )
    assert item.is_public


def test_a_return_sends_the_item_back_with_the_comment(
    world: World, school: School
) -> None:
    item = draft(school)
    review.submit(actor=school.author, item=item)
    with pytest.raises(ServiceError, match="填写意见"):
        review.return_item(actor=school.reviewer, item=item, comment="")
    review.return_item(actor=school.reviewer, item=item, comment="标题请写明学年")
    assert item.status == Status.DRAFT
    assert item.reviews.last().comment == "标题请写明学年"  # type: ignore[union-attr]


def test_only_the_role_of_the_current_step_can_approve(
    world: World, school: School
) -> None:
    item = draft(school)
    review.submit(actor=school.author, item=item)
    with pytest.raises(ServiceError, match="单位审核"):
        review.approve(actor=school.signer, item=item)


def publish_quickly(school: School, item: Item) -> None:
    review.submit(actor=school.author, item=item)
    review.approve(actor=school.reviewer, item=item)
    review.approve(
        actor=school.secrecy, item=item, checklist=CHECKLIST, conclusion="同意"
    )
    review.approve(actor=school.signer, item=item)


def test_a_published_items_edit_is_reviewed_before_the_public_sees_it(
    world: World, school: School, client: Client
) -> None:
    item = draft(school)
    publish_quickly(school, item)
    editing.update_draft(actor=school.author, item=item, title="更正后的标题")
    item.refresh_from_db()
    assert item.is_public and item.status == Status.DRAFT
    assert (
        "更正后的标题"
        not in client.get(reverse("portal:item", args=[item.pk])).content.decode()
    )
    publish_quickly(school, item)
    assert (
        "更正后的标题"
        in client.get(reverse("portal:item", args=[item.pk])).content.decode()
    )
    assert item.revisions.count() == 2
    assert item.index_number.endswith("-00001")  # type: ignore[union-attr]


def test_withdrawal_needs_a_reason_hides_the_item_and_keeps_its_index_number(
    world: World, school: School, client: Client
) -> None:
    item = draft(school)
    publish_quickly(school, item)
    with pytest.raises(ServiceError, match="说明原因"):
        publishing.withdraw(actor=school.signer, item=item, reason="")
    publishing.withdraw(actor=school.signer, item=item, reason="信息有误")
    assert client.get(reverse("portal:item", args=[item.pk])).status_code == 404
    second = draft(school, title="另一条信息")
    publish_quickly(school, second)
    assert second.index_number.endswith("-00002")  # type: ignore[union-attr]


def test_repeal_changes_validity_with_its_date(world: World, school: School) -> None:
    item = draft(school)
    publish_quickly(school, item)
    publishing.change_validity(
        actor=school.signer, item=item, validity="repealed", on=date.today()
    )
    assert (item.validity, item.validity_changed_on) == ("repealed", date.today())
    assert AuditEvent.objects.filter(action="catalogue.validity_changed").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "请填写名称"),
        ({"document_number": "湘教2025-12"}, "文号"),
        ({"formed_on": date(2099, 1, 1)}, "不能晚于今天"),
        (
            {"written_on": date(2025, 9, 2), "formed_on": date(2025, 9, 1)},
            "成文日期不能晚于",
        ),
    ],
)
def test_bad_drafts_are_refused_naming_the_field(
    world: World, school: School, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ServiceError, match=message):
        draft(school, **fields)  # type: ignore[arg-type]
    assert Item.objects.count() == 0


def test_a_document_number_is_normalised(world: World, school: School) -> None:
    item = draft(school, document_number="湘教[2025]12号")
    assert item.draft_revision.document_number == "湘教〔2025〕12号"  # type: ignore[union-attr]


def test_a_file_pretending_to_be_a_pdf_is_refused(world: World, school: School) -> None:
    item = draft(school)
    with pytest.raises(ServiceError, match=r"名单\.pdf"):
        editing.add_attachment(
            actor=school.author,
            item=item,
            name="名单.pdf",
            data=b"<html><script>alert(1)</script></html>",
        )
    assert not item.draft_revision.attachments.exists()  # type: ignore[union-attr]


def test_body_html_is_sanitised(world: World, school: School) -> None:
    item = draft(
        school,
        body='<p onclick="x()">正文<script>alert(1)</script><a href="javascript:x">链接</a></p>',
    )
    body = item.draft_revision.body  # type: ignore[union-attr]
    assert "script" not in body and "onclick" not in body and "javascript" not in body


def test_publishing_writes_one_delivery_per_matching_channel(
    world: World, school: School
) -> None:
    from gongkai.catalogue.models import Channel

    Channel.objects.create(unit=world.school_a, kind="feed", name="订阅")
    other = Channel.objects.create(
        unit=world.school_a,
        kind="webhook",
        name="只推送招生",
        config={"url": "http://127.0.0.1:9/"},
    )
    from gongkai.catalogue.services.columns import create_column

    other.columns.add(
        create_column(actor=None, unit=world.school_a, name="招生", slug="zs")
    )
    item = draft(school)
    publish_quickly(school, item)
    assert list(Delivery.objects.values_list("channel__name", flat=True)) == ["订阅"]
