"""Exporting the whole catalogue to a folder that another instance can import
(``gongkai items import-export DIR``) to reproduce it exactly:

* ``items.jsonl`` — one item a line with all its metadata, every revision with
  its attachments' metadata and scanner findings, and its reviews;
* ``attachments/<sha256>`` — each attachment file once, named by its digest;
* ``manifest.json`` — the format, counts, the SHA-256 of every file, and what
  the items refer to: units, columns, kinds, users (by name) and the 索引号
  sequences.

Records are written with sorted keys, so exporting the same catalogue twice
gives the same ``items.jsonl``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
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

FORMAT = "gongkai-items-export"
VERSION = 1


def moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class ExportSummary:
    directory: Path
    items: int = 0
    revisions: int = 0
    attachments: int = 0
    files: int = 0
    missing_files: list[str] = field(default_factory=list)


class _Refs:
    """What the exported items refer to, collected while writing them."""

    def __init__(self) -> None:
        self.units: dict[int, Unit] = {}
        self.columns: dict[int, Column] = {}
        self.kinds: dict[int, Kind] = {}
        self.users: dict[int, User] = {}

    def user(self, user: User | None) -> str | None:
        if user is None:
            return None
        self.users[user.pk] = user
        return user.username

    def unit(self, unit: Unit) -> str:
        self.units[unit.pk] = unit
        return unit.org_code


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _attachment(
    att: Attachment, folder: Path, summary: ExportSummary
) -> dict[str, Any]:
    blob = None
    name = str(att.file.name)
    try:
        with default_storage.open(name, "rb") as fh:
            data = fh.read()
    except OSError:
        summary.missing_files.append(name)
    else:
        blob = _sha256(data)
        target = folder / blob
        if not target.exists():
            target.write_bytes(data)
            summary.files += 1
    summary.attachments += 1
    return {
        "id": att.pk,
        "name": att.name,
        "file": name,
        "kind": att.kind,
        "mime": att.mime,
        "size": att.size,
        "sha256": att.sha256,
        "text": att.text,
        "blob": blob,
    }


def _revision(
    rev: ItemRevision, refs: _Refs, folder: Path, summary: ExportSummary
) -> dict[str, Any]:
    refs.columns[rev.column_id] = rev.column
    refs.unit(rev.column.unit)
    refs.kinds[rev.kind_id] = rev.kind
    summary.revisions += 1
    return {
        "id": rev.pk,
        "number": rev.number,
        "column": [rev.column.unit.org_code, rev.column.slug],
        "kind": rev.kind.slug,
        "title": rev.title,
        "summary": rev.summary,
        "body": rev.body,
        "document_number": rev.document_number,
        "written_on": day(rev.written_on),
        "formed_on": day(rev.formed_on),
        "topic": rev.topic,
        "genre": rev.genre,
        "interprets": rev.interprets_id,
        "created_by": refs.user(rev.created_by),
        "created_at": moment(rev.created_at),
        "attachments": [_attachment(a, folder, summary) for a in rev.attachments.all()],
        "findings": [
            {
                "id": f.pk,
                "field": f.field,
                "kind": f.kind,
                "text": f.text,
                "start": f.start,
                "end": f.end,
                "masked": f.masked,
                "context": f.context,
                "status": f.status,
                "resolved_by": refs.user(f.resolved_by),
                "resolved_at": moment(f.resolved_at),
                "reason": f.reason,
            }
            for f in rev.findings.all()
        ],
    }


def item_record(
    item: Item, refs: _Refs, folder: Path, summary: ExportSummary
) -> dict[str, Any]:
    numbers = {r.pk: r.number for r in item.revisions.all()}
    return {
        "id": item.pk,
        "unit": refs.unit(item.unit),
        "status": item.status,
        "is_public": item.is_public,
        "index_number": item.index_number,
        "external_id": item.external_id,
        "published_at": moment(item.published_at),
        "scheduled_at": moment(item.scheduled_at),
        "validity": item.validity,
        "validity_changed_on": day(item.validity_changed_on),
        "withdrawn_reason": item.withdrawn_reason,
        "imported": item.imported,
        "author": refs.user(item.author),
        "created_at": moment(item.created_at),
        "draft_revision": numbers.get(item.draft_revision_id or 0),
        "published_revision": numbers.get(item.published_revision_id or 0),
        "revisions": [
            _revision(r, refs, folder, summary) for r in item.revisions.all()
        ],
        "reviews": [
            {
                "id": rv.pk,
                "revision": numbers[rv.revision_id],
                "step": rv.step,
                "decision": rv.decision,
                "reviewer": refs.user(rv.reviewer),
                "decided_at": moment(rv.decided_at),
                "comment": rv.comment,
                "checklist": rv.checklist,
                "conclusion": rv.conclusion,
            }
            for rv in item.reviews.all()
        ],
    }


def _manifest(
    refs: _Refs, files: dict[str, str], summary: ExportSummary
) -> dict[str, Any]:
    units = dict(refs.units)
    for unit in list(units.values()):
        parent = unit.parent
        while parent is not None and parent.pk not in units:
            units[parent.pk] = parent
            parent = parent.parent
    ordered = sorted(units.values(), key=lambda u: (u.depth, u.pk))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": moment(timezone.now()),
        "counts": {
            "items": summary.items,
            "revisions": summary.revisions,
            "attachments": summary.attachments,
            "files": summary.files,
        },
        "files": files,
        "missing_files": summary.missing_files,
        "units": [
            {
                "org_code": u.org_code,
                "name": u.name,
                "short_name": u.short_name,
                "kind": u.kind,
                "parent": u.parent.org_code if u.parent else None,
            }
            for u in ordered
        ],
        "columns": sorted(
            (
                {
                    "unit": c.unit.org_code,
                    "slug": c.slug,
                    "name": c.name,
                    "description": c.description,
                    "sort_order": c.sort_order,
                    "is_visible": c.is_visible,
                }
                for c in refs.columns.values()
            ),
            key=lambda c: (c["unit"], c["slug"]),
        ),
        "kinds": sorted(
            (
                {
                    "slug": k.slug,
                    "name": k.name,
                    "report_role": k.report_role,
                    "sort_order": k.sort_order,
                }
                for k in refs.kinds.values()
            ),
            key=lambda k: k["slug"],
        ),
        "users": sorted(
            (
                {
                    "username": u.username,
                    "full_name": u.full_name,
                    "unit": u.unit.org_code if u.unit else None,
                }
                for u in refs.users.values()
            ),
            key=lambda u: u["username"],
        ),
        "index_sequences": [
            {"unit": s.unit.org_code, "year": s.year, "last": s.last}
            for s in IndexSequence.objects.filter(unit__in=list(units))
            .select_related("unit")
            .order_by("unit__org_code", "year")
        ],
    }


def export_items(directory: Path) -> ExportSummary:
    """Write every item to ``directory`` (created if missing; must be empty)."""
    if directory.exists() and any(directory.iterdir()):
        raise ServiceError(f"导出目录 {directory} 不是空目录，请指定新目录")
    folder = directory / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary(directory)
    refs = _Refs()
    revisions = ItemRevision.objects.select_related(
        "column__unit", "kind", "created_by"
    ).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk")),
        Prefetch(
            "findings",
            queryset=Finding.objects.select_related("resolved_by").order_by("pk"),
        ),
    )
    items = (
        Item.objects.select_related("unit", "author")
        .prefetch_related(
            Prefetch("revisions", queryset=revisions.order_by("number")),
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("reviewer").order_by("pk"),
            ),
        )
        .order_by("pk")
    )
    path = directory / "items.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for item in items.iterator(chunk_size=500):
            record = item_record(item, refs, folder, summary)
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            summary.items += 1
    files = {"items.jsonl": _sha256(path.read_bytes())}
    files |= {f"attachments/{p.name}": p.name for p in sorted(folder.iterdir())}
    manifest = _manifest(refs, files, summary)
    (directory / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    return summary
