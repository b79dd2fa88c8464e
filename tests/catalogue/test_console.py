from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.catalogue.models import Item, Status
from tests.catalogue.conftest import CHECKLIST, ID_NUMBER, School, draft
from tests.conftest import World


def test_the_whole_chain_in_the_console(
    world: World, school: School, client: Client
) -> None:
    client.force_login(school.author)
    response = client.post(
        reverse("console:item_new"),
        {
            "column": school.column.pk,
            "kind": school.news.pk,
            "title": "家长会通知",
            "body": f"<p>联系人身份证 {ID_NUMBER}</p>",
            "formed_on": timezone.localdate().isoformat(),
        },
    )
    item = Item.objects.get()
    assert response["Location"] == reverse("console:item", args=[item.pk])
    client.post(reverse("console:item_action", args=[item.pk, "submit"]))
    client.force_login(school.reviewer)
    client.post(
        reverse("console:item_action", args=[item.pk, "approve"]), {"comment": "同意"}
    )
    client.force_login(school.secrecy)
    page = client.get(reverse("console:item", args=[item.pk])).content.decode()
    assert "440102********" in page and ID_NUMBER not in page.split("正文")[0]
    finding = item.draft_revision.findings.get()  # type: ignore[union-attr]
    client.post(
        reverse("console:item_action", args=[item.pk, "resolve"]),
        {"finding": finding.pk, "action": "mask"},
    )
    answers = {f"q_{k}": ("yes" if v else "no") for k, v in CHECKLIST.items()}
    client.post(
        reverse("console:item_action", args=[item.pk, "approve"]),
        {**answers, "conclusion": "同意公开"},
    )
    client.force_login(school.signer)
    client.post(
        reverse("console:item_action", args=[item.pk, "approve"]), {"comment": "签发"}
    )
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert ID_NUMBER not in item.published_revision.body  # type: ignore[union-attr]


def test_the_console_lists_queues_and_publication_deadlines(
    world: World, school: School, client: Client
) -> None:
    from datetime import date

    item = draft(school, formed_on=date(2025, 9, 1))
    client.force_login(school.author)
    page = client.get(reverse("console:items")).content.decode()
    assert "我的草稿" in page and item.draft_revision.title in page  # type: ignore[union-attr]
    assert "已超期" in page


def test_a_school_author_cannot_open_another_schools_item(
    world: World, school: School, client: Client
) -> None:
    item = draft(school)
    client.force_login(world.school_b_author)
    assert client.get(reverse("console:item", args=[item.pk])).status_code == 404


def test_a_refused_upload_is_explained(
    world: World, school: School, client: Client
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = draft(school)
    client.force_login(school.author)
    response = client.post(
        reverse("console:item_action", args=[item.pk, "attach"]),
        {"file": SimpleUploadedFile("名单.pdf", b"MZ\x90\x00 not a pdf")},
        follow=True,
    )
    assert "未能上传" in response.content.decode()


def test_revisions_can_be_compared(
    world: World, school: School, client: Client
) -> None:
    from gongkai.catalogue.services import editing
    from tests.catalogue.test_workflow import publish_quickly

    item = draft(school)
    publish_quickly(school, item)
    editing.update_draft(actor=school.author, item=item, title="新标题")
    client.force_login(school.author)
    page = client.get(
        reverse("console:item_diff", args=[item.pk, 1, 2])
    ).content.decode()
    assert "-2025年秋季学期一年级新生名单公示" in page and "+新标题" in page
