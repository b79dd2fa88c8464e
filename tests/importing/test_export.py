from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.catalogue.models import Attachment, Column, Item, Kind, Status
from gongkai.catalogue.services import editing, publishing, review
from gongkai.catalogue.services.columns import create_column
from tests.catalogue.conftest import ID_NUMBER, School, draft, staff_for, xlsx_with
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World
from tests.importing.conftest import run
from tests.importing.rows import legacy_rows, write_jsonl


@pytest.fixture
def catalogue(world: World, tmp_path: Path) -> School:
    """Items in every state: published with an attachment and a masked finding,
    republished after an edit, withdrawn, an interpretation, a draft under
    review, and imported ones."""
    school = staff_for(world.school_a, "s")
    first = draft(school, "2025年秋季学期一年级新生名单公示")
    editing.add_attachment(
        actor=school.author,
        item=first,
        name="新生名单.xlsx",
        data=xlsx_with(("姓名", "身份证号"), ("张小明", ID_NUMBER)),
    )
    review.submit(actor=school.author, item=first)
    review.approve(actor=school.reviewer, item=first)
    finding = first.draft_revision.findings.get()  # type: ignore[union-attr]
    review.resolve_finding(actor=school.secrecy, finding=finding, action="mask")
    review.approve(
        actor=school.secrecy,
        item=first,
        checklist={k: k == "approved" for k in _checklist()},
        conclusion="已遮盖身份证号，同意公开",
    )
    review.approve(actor=school.signer, item=first)
    editing.update_draft(actor=school.author, item=first, title="更正后的新生名单公示")
    publish_quickly(school, first)
    withdrawn = draft(school, "已撤回的通知")
    publish_quickly(school, withdrawn)
    publishing.withdraw(actor=school.signer, item=withdrawn, reason="信息有误")
    interpretation = draft(
        school,
        "《新生名单公示》解读",
        kind=Kind.objects.get(slug="interpretation"),
        interprets=first,
    )
    publish_quickly(school, interpretation)
    pending = draft(school, "审核中的草稿")
    review.submit(actor=school.author, item=pending)
    for name, slug in [
        ("通知公告", "tzgg"),
        ("政策文件", "zcwj"),
        ("工作动态", "gzdt"),
        ("人事信息", "rsxx"),
    ]:
        create_column(actor=None, unit=world.bureau, name=name, slug=slug)
    run(
        "import",
        str(
            write_jsonl(
                tmp_path / "legacy.jsonl", legacy_rows(4, agency="测试区体育局")
            )
        ),
        "--create-units",
        "--create-columns",
    )
    run("import", str(write_jsonl(tmp_path / "more.jsonl", legacy_rows(3, start=10))))
    return school


def empty_instance() -> None:
    """Every table emptied, the seeded kinds too, as in a new installation."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred foreign-key checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _checklist() -> list[str]:
    from tests.catalogue.conftest import CHECKLIST

    return list(CHECKLIST)


def test_an_export_imported_into_an_empty_instance_reproduces_it_exactly(
    catalogue: School, tmp_path: Path, client: Client
) -> None:
    first = tmp_path / "first"
    out = run("export", str(first))
    assert "已导出 11 条信息、12 个版本、2 个附件（1 个文件）" in out
    attachment = Attachment.objects.order_by("pk").last()
    assert attachment is not None
    stored = attachment.file.read()
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["items"] == 11 and manifest["missing_files"] == []
    blob = first / "attachments" / attachment.sha256
    assert blob.read_bytes() == stored

    # An empty instance: every table emptied (the seeded kinds too), no files.
    empty_instance()
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Item.objects.exists() and not Kind.objects.exists()

    out = run("import-export", str(first))
    assert "导入 11 条" in out
    second = tmp_path / "second"
    run("export", str(second))
    assert (second / "items.jsonl").read_bytes() == (first / "items.jsonl").read_bytes()
    again = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    for key in ("exported_at",):
        manifest.pop(key), again.pop(key)
    assert again == manifest

    restored = Item.objects.get(pk=attachment.revision.item_id)
    assert (
        restored.status == Status.PUBLISHED and restored.published_revision is not None
    )
    assert restored.published_revision.title == "更正后的新生名单公示"
    assert restored.revisions.count() == 2 and restored.reviews.count() == 8
    page = client.get(reverse("portal:item", args=[restored.pk]))
    assert "更正后的新生名单公示" in page.content.decode()
    download = client.get(
        reverse("portal:attachment", args=[restored.pk, attachment.pk])
    )
    assert b"".join(download.streaming_content) == stored  # type: ignore[attr-defined]
    signer = User.objects.get(username="s_signer")
    assert not signer.is_active and not signer.has_usable_password()


def test_an_export_is_refused_by_an_instance_that_already_has_items(
    catalogue: School, tmp_path: Path
) -> None:
    run("export", str(tmp_path / "out"))
    with pytest.raises(CommandError, match="本实例已有信息"):
        run("import-export", str(tmp_path / "out"))


def test_a_damaged_export_is_refused_before_anything_is_written(
    catalogue: School, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run("export", str(out))
    lines = (out / "items.jsonl").read_text(encoding="utf-8").splitlines()
    (out / "items.jsonl").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    empty_instance()
    with pytest.raises(CommandError, match="校验值不符"):
        run("import", str(out / "items.jsonl"))
    assert not Item.objects.exists()


def test_the_import_command_recognises_an_export_by_its_manifest(
    catalogue: School, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run("export", str(out))
    count = Item.objects.count()
    empty_instance()
    assert "导入" in run("import", str(out / "items.jsonl"))
    assert Item.objects.count() == count and not Column.objects.filter(slug="").exists()


def test_an_export_needs_an_empty_folder(world: World, tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CommandError, match="不是空目录"):
        run("export", str(tmp_path / "full"))
