"""Drafting: creating an item, editing its draft revision, attachments."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.db import transaction

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.accounts.permissions import is_in_scope
from gongkai.accounts.roles import Role
from gongkai.catalogue.models import (
    Attachment,
    Column,
    Item,
    ItemRevision,
    Kind,
    Status,
)
from gongkai.catalogue.services.common import (
    STALE_MESSAGE,
    audit,
    check_dates,
    normalise_document_number,
    require,
    require_scope,
    sanitise_body,
)
from gongkai.core.storage import stored_file
from gongkai.documents.extraction import ExtractionError, extract_text
from gongkai.documents.filetypes import FileRefused, check_upload, sha256_hex

CONTENT_FIELDS = (
    "column",
    "kind",
    "title",
    "summary",
    "body",
    "document_number",
    "written_on",
    "formed_on",
    "topic",
    "genre",
    "interprets",
)
EDITABLE = {Status.DRAFT}


def _can_author(actor: User, unit: Unit) -> bool:
    return actor.is_active and actor.has_role(Role.AUTHOR) and is_in_scope(actor, unit)


def _clean(unit: Unit, fields: dict[str, Any]) -> dict[str, Any]:
    title = str(fields.get("title", "")).strip()
    if not title:
        raise ServiceError("请填写名称", field="title")
    if len(title) > 200:
        raise ServiceError("名称不能超过200字", field="title")
    column: Column = fields["column"]
    if column.unit_id != unit.pk:
        raise ServiceError("栏目不属于该单位", field="column")
    kind: Kind = fields["kind"]
    formed_on: date | None = fields.get("formed_on")
    if formed_on is None:
        raise ServiceError("请填写信息形成或变更日期", field="formed_on")
    check_dates(written_on=fields.get("written_on"), formed_on=formed_on)
    interprets: Item | None = fields.get("interprets")
    if interprets is not None and kind.report_role != "interpretation":
        raise ServiceError(
            "只有“政策解读”类信息可以关联被解读的政策文件", field="interprets"
        )
    return {
        **fields,
        "title": title,
        "summary": str(fields.get("summary", "")).strip()[:500],
        "body": sanitise_body(str(fields.get("body", ""))),
        "document_number": normalise_document_number(
            str(fields.get("document_number", ""))
        ),
        "topic": str(fields.get("topic", "")).strip(),
        "genre": str(fields.get("genre", "")).strip(),
    }


def create_item(*, actor: User, unit: Unit, **fields: Any) -> Item:
    """A new draft with its first revision."""
    require(_can_author(actor, unit), "只有本单位的撰稿人可以起草信息")
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ServiceError(f"未知字段：{', '.join(sorted(unknown))}")
    data = _clean(unit, fields)
    with transaction.atomic():
        item = Item.objects.create(unit=unit, author=actor, status=Status.DRAFT)
        revision = ItemRevision.objects.create(
            item=item, number=1, created_by=actor, **data
        )
        item.draft_revision = revision
        item.save(update_fields=["draft_revision"])
        audit(actor, item, "item_created", f"起草信息：{data['title']}")
    return item


def draft_version(item: Item) -> str:
    """A fingerprint of the draft as an edit form shows it (the revision and every
    content field): an edit carries the one it was based on, and is refused if the
    draft has changed since, instead of silently overwriting a colleague's edit."""
    rev = item.draft_revision
    if rev is None:
        return ""
    values = {
        "revision": rev.pk,
        "number": rev.number,
        **{
            f: str(
                getattr(rev, f"{f}_id" if f in {"column", "kind", "interprets"} else f)
            )
            for f in CONTENT_FIELDS
        },
    }
    encoded = json.dumps(values, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def update_draft(
    *, actor: User, item: Item, based_on: str | None = None, **fields: Any
) -> ItemRevision:
    """Edit the draft. A draft never submitted is changed in place; once it has been
    reviewed or published, a new revision is made, so every reviewed version stays.
    With ``based_on`` (``draft_version`` when the form was opened) the edit is refused
    if someone else changed the draft in between."""
    require_scope(actor, item)
    require(_can_author(actor, item.unit), "只有本单位的撰稿人可以修改信息")
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ServiceError(f"未知字段：{', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if locked.status not in {Status.DRAFT, Status.PUBLISHED}:
            raise ServiceError("信息正在审核中，不能修改；如需修改，请审核人退回")
        if based_on is not None and based_on != draft_version(locked):
            raise ServiceError(STALE_MESSAGE)
        current = locked.draft_revision
        assert current is not None
        merged = {f: getattr(current, f) for f in CONTENT_FIELDS} | fields
        data = _clean(locked.unit, merged)
        reviewed = (
            current.reviews.exists() or current.pk == locked.published_revision_id
        )
        if reviewed:
            revision = _new_revision(locked, current, actor, data)
        else:
            for key, value in data.items():
                setattr(current, key, value)
            current.save()
            current.findings.all().delete()
            revision = current
        locked.draft_revision = revision
        if locked.status == Status.PUBLISHED:
            # A published item's edit goes through the chain again; the public keeps
            # seeing the published revision until the new one is published.
            locked.status = Status.DRAFT
        locked.save(update_fields=["draft_revision", "status"])
        audit(
            actor,
            locked,
            "draft_updated",
            f"修改信息：{data['title']}（第{revision.number}版）",
        )
    item.refresh_from_db()
    return revision


def _new_revision(
    item: Item, current: ItemRevision, actor: User, data: dict[str, Any]
) -> ItemRevision:
    number = (
        item.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    revision = ItemRevision.objects.create(
        item=item, number=number, created_by=actor, **data
    )
    for att in current.attachments.all():
        Attachment.objects.create(
            revision=revision,
            name=att.name,
            file=att.file.name,
            kind=att.kind,
            mime=att.mime,
            size=att.size,
            sha256=att.sha256,
            text=att.text,
        )
    return revision


def add_attachment(*, actor: User, item: Item, name: str, data: bytes) -> Attachment:
    """Attach a file to the draft: typed from its content, size- and archive-checked,
    hashed, and its text extracted for the scanner and search."""
    require_scope(actor, item)
    require(_can_author(actor, item.unit), "只有本单位的撰稿人可以添加附件")
    if item.status not in EDITABLE:
        raise ServiceError("只有草稿可以添加附件")
    try:
        detected = check_upload(data, name)
    except FileRefused as exc:
        raise ServiceError(
            f"附件“{name}”未能上传：{exc.message}", field="file"
        ) from None
    try:
        text = extract_text(data, detected.kind)
    except ExtractionError as exc:
        if detected.kind in {"pdf", "docx", "xlsx", "txt"}:
            raise ServiceError(
                f"附件“{name}”无法读取：{exc.message}", field="file"
            ) from None
        # Formats without text extraction (DOC, WPS, OFD, ZIP) are accepted; the
        # confidentiality reviewer checks them by eye (the checklist records it).
        text = ""
    revision = item.draft_revision
    assert revision is not None
    attachment = Attachment(
        revision=revision,
        name=name[:200],
        kind=detected.kind,
        mime=detected.mime,
        size=len(data),
        sha256=sha256_hex(data),
        text=text,
    )
    # The file is written first (a failed write is refused with nothing stored);
    # if the row or its audit event then fails, the file is removed again.
    with (
        stored_file(
            attachment.file,
            f"{attachment.sha256[:16]}.{detected.extension}",
            data,
            f"附件“{name}”",
        ),
        transaction.atomic(),
    ):
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if locked.status not in EDITABLE or locked.draft_revision_id != revision.pk:
            raise ServiceError(STALE_MESSAGE)
        attachment.save()
        audit(
            actor,
            item,
            "attachment_added",
            f"添加附件：{name}（{detected.label}）",
            sha256=attachment.sha256,
        )
    return attachment


def remove_attachment(*, actor: User, attachment: Attachment) -> None:
    item = attachment.revision.item
    require_scope(actor, item)
    require(_can_author(actor, item.unit), "只有本单位的撰稿人可以删除附件")
    if item.status not in EDITABLE or attachment.revision_id != item.draft_revision_id:
        raise ServiceError("只有草稿的附件可以删除")
    with transaction.atomic():
        attachment.delete()
        audit(actor, item, "attachment_removed", f"删除附件：{attachment.name}")
