"""Reading back an export (``gongkai.catalogue.exporting``) into an instance that
has no items yet, reproducing it exactly: item, revision, attachment, review and
finding numbers, 索引号, statuses, times and files. Units, columns and kinds are
matched by organisation code and slug and created when missing; a user named in
the export who does not exist here becomes an inactive account without a
password, so that reviews keep their reviewer."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction

from gongkai.accounts.models import Unit, User
from gongkai.accounts.services import create_unit
from gongkai.audit.services import record_event
from gongkai.catalogue.exporting import FORMAT, VERSION
from gongkai.catalogue.importing.files import remove_stored
from gongkai.catalogue.importing.report import ImportReport, id_ranges, new_batch_id
from gongkai.catalogue.importing.sources import ImportFileError
from gongkai.catalogue.models import (
    Attachment,
    Column,
    Finding,
    IndexSequence,
    Item,
    ItemRevision,
    Kind,
    Review,
)
from gongkai.catalogue.services.columns import create_column
from gongkai.catalogue.services.common import sanitise_body
from gongkai.search.services import index_items

RESTORED = (Item, ItemRevision, Attachment, Finding, Review)


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def is_export(path: Path) -> bool:
    folder = path if path.is_dir() else path.parent
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


def _load(folder: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportFileError(f"无法读取导出包的 manifest.json：{exc}") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise ImportFileError("不是本系统导出的信息包，或版本不受支持")
    for name, digest in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise ImportFileError(f"导出包缺少文件 {name}，未导入任何信息")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise ImportFileError(
                f"文件 {name} 的校验值不符，导出包已损坏，未导入任何信息"
            )
    lines = (folder / "items.jsonl").read_text(encoding="utf-8").splitlines()
    return manifest, [json.loads(line) for line in lines if line.strip()]


class _Refs:
    def __init__(self, manifest: dict[str, Any], report: ImportReport) -> None:
        self.units = self._units(manifest["units"], report)
        self.kinds = self._kinds(manifest["kinds"])
        self.columns = self._columns(manifest["columns"], report)
        self.users = self._users(manifest["users"])

    def _units(
        self, rows: list[dict[str, Any]], report: ImportReport
    ) -> dict[str, Unit]:
        units = {u.org_code: u for u in Unit.objects.all()}
        for row in rows:  # parents come first
            if row["org_code"] not in units:
                units[row["org_code"]] = create_unit(
                    actor=None,
                    parent=units.get(row["parent"] or ""),
                    name=row["name"],
                    short_name=row["short_name"],
                    org_code=row["org_code"],
                    kind=row["kind"],
                )
                report.created_units.append(row["name"])
        return units

    def _kinds(self, rows: list[dict[str, Any]]) -> dict[str, Kind]:
        kinds = {k.slug: k for k in Kind.objects.all()}
        for row in rows:
            if row["slug"] not in kinds:
                kinds[row["slug"]] = Kind.objects.create(**row)
        return kinds

    def _columns(
        self, rows: list[dict[str, Any]], report: ImportReport
    ) -> dict[tuple[str, str], Column]:
        columns = {
            (c.unit.org_code, c.slug): c for c in Column.objects.select_related("unit")
        }
        for row in rows:
            key = (row["unit"], row["slug"])
            if key in columns:
                continue
            unit = self.units[row["unit"]]
            column = create_column(
                actor=None,
                unit=unit,
                name=row["name"],
                slug=row["slug"],
                sort_order=row["sort_order"],
                description=row["description"],
            )
            if not row["is_visible"]:
                Column.objects.filter(pk=column.pk).update(is_visible=False)
            columns[key] = column
            report.created_columns.append(f"{unit.short_name}·{row['name']}")
        return columns

    def _users(self, rows: list[dict[str, Any]]) -> dict[str, User]:
        users = {
            u.username: u
            for u in User.objects.filter(username__in=[r["username"] for r in rows])
        }
        for row in rows:
            if row["username"] not in users:
                user = User(
                    username=row["username"],
                    full_name=row["full_name"],
                    unit=self.units.get(row["unit"] or ""),
                    is_active=False,
                )
                user.set_unusable_password()
                user.save()
                users[user.username] = user
        return users

    def user(self, name: str | None) -> User | None:
        return self.users[name] if name else None


def _file(row: dict[str, Any], folder: Path, stored: list[str]) -> str:
    """The attachment's stored name: the original one when that is free here or
    already holds the same bytes."""
    name: str = row["file"]
    if row["blob"] is None:
        return name  # the file was already missing where the export was made
    data = (folder / "attachments" / row["blob"]).read_bytes()
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as fh:
            if hashlib.sha256(fh.read()).hexdigest() == row["blob"]:
                return name
    saved = default_storage.save(name, ContentFile(data))
    stored.append(saved)
    return saved


def restore_export(*, actor: User | None, directory: Path) -> ImportReport:
    """Import an export folder into an instance without items."""
    started = time.perf_counter()
    folder = directory if directory.is_dir() else directory.parent
    manifest, records = _load(folder)
    report = ImportReport(new_batch_id(), str(folder), "export", total=len(records))
    if any(model.objects.exists() for model in RESTORED):
        raise ImportFileError(
            "本实例已有信息：导出包只能导入到还没有任何信息的实例，以便原样保留信息编号。未导入任何信息。"
        )
    stored: list[str] = []
    try:
        with transaction.atomic():
            _restore(manifest, records, folder, report, actor, stored)
    except IntegrityError as exc:
        remove_stored(stored)
        raise ImportFileError(
            f"导出包与本实例已有的单位、栏目、类别或用户冲突，未导入任何信息：{exc}"
        ) from None
    except BaseException:
        remove_stored(stored)
        raise
    report.seconds = time.perf_counter() - started
    return report


def _restore(
    manifest: dict[str, Any],
    records: list[dict[str, Any]],
    folder: Path,
    report: ImportReport,
    actor: User | None,
    stored: list[str],
) -> None:
    refs = _Refs(manifest, report)
    _write(records, refs, folder, report, stored)
    for seq in manifest["index_sequences"]:
        unit = refs.units[seq["unit"]]
        row, _ = IndexSequence.objects.get_or_create(unit=unit, year=seq["year"])
        if row.last < seq["last"]:
            row.last = seq["last"]
            row.save(update_fields=["last"])
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(RESTORED)):
            cursor.execute(sql)
    report.imported = len(records)
    report.item_ids = [r["id"] for r in records]
    indexing = time.perf_counter()
    report.indexed = index_items(report.item_ids)
    report.index_seconds = time.perf_counter() - indexing
    record_event(
        actor=actor,
        action="catalogue.items_imported",
        summary=f"从导出包恢复信息 {report.imported} 条（批次 {report.batch}）",
        data={
            "batch": report.batch,
            "source": report.source,
            "format": "export",
            "exported_at": manifest["exported_at"],
            "imported": report.imported,
            "attachments": report.attachments,
            "created_units": report.created_units,
            "created_columns": report.created_columns,
            "item_ids": id_ranges(report.item_ids),
        },
    )


def _write(
    records: list[dict[str, Any]],
    refs: _Refs,
    folder: Path,
    report: ImportReport,
    stored: list[str],
) -> None:
    items, revisions, attachments, findings, reviews = [], [], [], [], []
    times: dict[str, dict[int, datetime]] = {"item": {}, "rev": {}, "review": {}}
    links: list[tuple[Item, dict[int, int], dict[str, Any]]] = []
    for rec in records:
        item = Item(
            pk=rec["id"],
            unit=refs.units[rec["unit"]],
            status=rec["status"],
            is_public=False,  # until its revisions exist (check constraint)
            index_number=rec["index_number"],
            external_id=rec["external_id"],
            published_at=_when(rec["published_at"]),
            scheduled_at=_when(rec["scheduled_at"]),
            validity=rec["validity"],
            validity_changed_on=_day(rec["validity_changed_on"]),
            withdrawn_reason=rec["withdrawn_reason"],
            imported=rec["imported"],
            author=refs.user(rec["author"]),
        )
        times["item"][item.pk] = datetime.fromisoformat(rec["created_at"])
        items.append(item)
        numbers: dict[int, int] = {}
        for rv in rec["revisions"]:
            numbers[rv["number"]] = rv["id"]
            revisions.append(
                ItemRevision(
                    pk=rv["id"],
                    item_id=item.pk,
                    number=rv["number"],
                    column=refs.columns[(rv["column"][0], rv["column"][1])],
                    kind=refs.kinds[rv["kind"]],
                    title=rv["title"],
                    summary=rv["summary"],
                    # Cleaned again (a no-op for a genuine export): the portal shows
                    # bodies as HTML, and an export file may have been edited.
                    body=sanitise_body(rv["body"]),
                    document_number=rv["document_number"],
                    written_on=_day(rv["written_on"]),
                    formed_on=date.fromisoformat(rv["formed_on"]),
                    topic=rv["topic"],
                    genre=rv["genre"],
                    interprets_id=rv["interprets"],
                    created_by=refs.user(rv["created_by"]),
                )
            )
            times["rev"][rv["id"]] = datetime.fromisoformat(rv["created_at"])
            for at in rv["attachments"]:
                attachments.append(
                    Attachment(
                        pk=at["id"],
                        revision_id=rv["id"],
                        name=at["name"],
                        file=_file(at, folder, stored),
                        kind=at["kind"],
                        mime=at["mime"],
                        size=at["size"],
                        sha256=at["sha256"],
                        text=at["text"],
                    )
                )
            for f in rv["findings"]:
                findings.append(
                    Finding(
                        pk=f["id"],
                        revision_id=rv["id"],
                        **{k: f[k] for k in ("field", "kind", "text", "start", "end")},
                        **{k: f[k] for k in ("masked", "context", "status", "reason")},
                        resolved_by=refs.user(f["resolved_by"]),
                        resolved_at=_when(f["resolved_at"]),
                    )
                )
        for rw in rec["reviews"]:
            reviews.append(
                Review(
                    pk=rw["id"],
                    item_id=item.pk,
                    revision_id=numbers[rw["revision"]],
                    step=rw["step"],
                    decision=rw["decision"],
                    reviewer=refs.user(rw["reviewer"]),
                    comment=rw["comment"],
                    checklist=rw["checklist"],
                    conclusion=rw["conclusion"],
                )
            )
            times["review"][rw["id"]] = datetime.fromisoformat(rw["decided_at"])
        links.append((item, numbers, rec))
    Item.objects.bulk_create(items, batch_size=500)
    ItemRevision.objects.bulk_create(revisions, batch_size=500)
    Attachment.objects.bulk_create(attachments, batch_size=500)
    Finding.objects.bulk_create(findings, batch_size=500)
    Review.objects.bulk_create(reviews, batch_size=500)
    report.attachments = len(attachments)
    # auto_now_add stamped the rows with the present; put the recorded times back.
    for obj in items:
        obj.created_at = times["item"][obj.pk]
    for rev in revisions:
        rev.created_at = times["rev"][rev.pk]
    for review in reviews:
        review.decided_at = times["review"][review.pk]
    for item, numbers, rec in links:
        item.draft_revision_id = numbers.get(rec["draft_revision"] or 0)
        item.published_revision_id = numbers.get(rec["published_revision"] or 0)
        item.is_public = rec["is_public"]
    Item.objects.bulk_update(
        items,
        ["created_at", "draft_revision", "published_revision", "is_public"],
        batch_size=500,
    )
    ItemRevision.objects.bulk_update(revisions, ["created_at"], batch_size=500)
    Review.objects.bulk_update(reviews, ["decided_at"], batch_size=500)
