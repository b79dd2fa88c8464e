"""The bulk import of legacy items, already published on the old site: validated
first, then written in bulk straight into the published state (recorded as
imported), with one audit event for the whole batch. Each row is all or nothing:
it is imported with its revision and 索引号, or it is rejected with its reason."""

from __future__ import annotations

import time
import zlib
from collections import defaultdict
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.accounts.roles import Role
from gongkai.accounts.selectors import site_unit
from gongkai.accounts.services import create_unit
from gongkai.audit.services import record_event
from gongkai.catalogue.importing.files import remove_stored, store_attachments
from gongkai.catalogue.importing.numbering import allocate_index_numbers
from gongkai.catalogue.importing.report import (
    ImportReport,
    RowNote,
    id_ranges,
    new_batch_id,
)
from gongkai.catalogue.importing.sources import SourceRow, unknown_keys
from gongkai.catalogue.importing.validation import Rejection, Validator, ValidRow
from gongkai.catalogue.models import (
    Attachment,
    Column,
    Item,
    ItemRevision,
    Kind,
    Status,
)
from gongkai.catalogue.services.columns import create_column
from gongkai.core.bulk import allocate_ids, insert_all
from gongkai.search.services import index_items

CHUNK = 1000


def import_rows(
    *,
    actor: User | None,
    rows: list[SourceRow],
    source: str,
    format: str,
    default_unit: Unit | None = None,
    default_kind: Kind | None = None,
    create_units: bool = False,
    create_columns: bool = False,
) -> ImportReport:
    """Import ``rows`` (from ``sources.read_rows`` or ``crawl.read_crawl``).
    ``default_unit`` publishes rows that name no agency; ``default_kind`` (else
    其他) is the kind of rows that name none."""
    started = time.perf_counter()
    if actor is not None and not (
        actor.is_active and actor.has_role(Role.DISCLOSURE_OFFICER)
    ):
        raise ServiceError("只有公开办工作人员可以导入信息")
    report = ImportReport(new_batch_id(), source, format, total=len(rows))
    kind = default_kind or Kind.objects.filter(slug="other").first()
    if kind is None:
        raise ServiceError("没有默认的信息类别“其他”，请用 --kind 指定类别")
    validator = Validator(
        default_unit=default_unit,
        default_kind=kind,
        create_units=create_units,
        create_columns=create_columns,
    )
    validator.prefetch(rows)
    valid: list[ValidRow] = []
    for row in rows:
        result = validator.validate(row)
        if isinstance(result, Rejection):
            report.rejected.append(result)
        else:
            valid.append(result)
    if unknown := unknown_keys(rows):
        report.file_notes.append(f"未识别的字段已忽略：{'、'.join(unknown)}")
    with transaction.atomic():
        _serialise_imports()
        valid = _drop_taken(valid, report)
        units = _units(valid, validator, report)
        columns = _columns(valid, validator, units, report)
        _number(valid, units)
        for start in range(0, len(valid), CHUNK):
            _write_chunk_or_rows(
                valid[start : start + CHUNK], actor, units, columns, report
            )
        report.imported = len(report.item_ids)
        report.notes = [
            RowNote(r.source.line, r.source.label, note)
            for r in valid
            for note in r.source.notes
        ] + report.notes
        # In the same transaction: the index rows commit or roll back with the
        # items they describe.
        indexing = time.perf_counter()
        report.indexed = index_items(report.item_ids)
        report.index_seconds = time.perf_counter() - indexing
        _audit(actor, report, units)
    report.seconds = time.perf_counter() - started
    return report


def _serialise_imports() -> None:
    """Two imports at once could both pass the duplicate check; on PostgreSQL
    they queue on an advisory lock (SQLite already serialises writers)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)",
                [zlib.crc32(b"gongkai.items_import")],
            )


def _drop_taken(valid: list[ValidRow], report: ImportReport) -> list[ValidRow]:
    keys = [r.external_id for r in valid]
    taken: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        taken.update(
            Item.objects.filter(external_id__in=keys[start : start + 500]).values_list(
                "external_id", "pk"
            )
        )
    for row in valid:
        if row.external_id in taken:
            report.rejected.append(
                _reject(
                    row,
                    "id",
                    f"已由另一次导入写入（信息编号 {taken[row.external_id]}）",
                )
            )
    return [r for r in valid if r.external_id not in taken]


def _reject(row: ValidRow, field: str, reason: str) -> Rejection:
    s = row.source
    return Rejection(s.line, s.label, s.data.get("id", ""), field, reason)


def _units(
    valid: list[ValidRow], validator: Validator, report: ImportReport
) -> dict[str, Unit]:
    units = dict(validator.units)
    # New agencies join the portal's own tree, where its administrators see them.
    root = site_unit()
    for name in dict.fromkeys(r.unit_name for r in valid):
        if name not in units:
            plan = validator.planned_units[name]
            units[name] = create_unit(
                actor=None,
                parent=root,
                name=name,
                short_name=name[:40],
                org_code=plan.org_code,
            )
            report.created_units.append(
                f"{name}（组织机构代码 {plan.org_code}，请核实）"
            )
    return units


def _columns(
    valid: list[ValidRow],
    validator: Validator,
    units: dict[str, Unit],
    report: ImportReport,
) -> dict[tuple[str, str], Column]:
    existing = {(c.unit_id, c.name): c for c in Column.objects.all()}
    columns: dict[tuple[str, str], Column] = {}
    for unit_name, name in dict.fromkeys((r.unit_name, r.column_name) for r in valid):
        unit = units[unit_name]
        column = existing.get((unit.pk, name))
        if column is None:
            hint = validator.planned_columns.get((unit_name, name), "")
            column = create_column(
                actor=None, unit=unit, name=name, slug=_free_slug(unit, hint)
            )
            report.created_columns.append(f"{unit.short_name}·{name}（{column.slug}）")
        columns[(unit_name, name)] = column
    return columns


def _free_slug(unit: Unit, hint: str) -> str:
    taken = set(Column.objects.filter(unit=unit).values_list("slug", flat=True))
    base = hint or "imported"
    if hint and hint not in taken:
        return hint
    n = 2
    while f"{base[:34]}-{n}" in taken:
        n += 1
    return f"{base[:34]}-{n}"


def _number(valid: list[ValidRow], units: dict[str, Unit]) -> None:
    """Give rows without a legacy 索引号 one from their unit's sequence for the
    year they were published, older items first."""
    groups: dict[tuple[str, int], list[ValidRow]] = defaultdict(list)
    for row in valid:
        if not row.index_number:
            groups[(row.unit_name, timezone.localtime(row.published_at).year)].append(
                row
            )
    for (unit_name, year), rows in groups.items():
        rows.sort(key=lambda r: (r.published_at, r.source.line))
        numbers = allocate_index_numbers(units[unit_name], year, len(rows))
        for row, number in zip(rows, numbers, strict=True):
            row.index_number = number


def _write_chunk_or_rows(
    rows: list[ValidRow],
    actor: User | None,
    units: dict[str, Unit],
    columns: dict[tuple[str, str], Column],
    report: ImportReport,
) -> None:
    """Write a chunk in bulk; should the database refuse it, write its rows one
    by one so that only the offending rows are rejected."""
    try:
        _write(rows, actor, units, columns, report)
        return
    except DatabaseError as exc:
        if len(rows) == 1:
            report.rejected.append(_reject(rows[0], "", f"数据库拒绝写入：{exc}"))
            return
    for row in rows:
        _write_chunk_or_rows([row], actor, units, columns, report)


def _write(
    rows: list[ValidRow],
    actor: User | None,
    units: dict[str, Unit],
    columns: dict[tuple[str, str], Column],
    report: ImportReport,
) -> None:
    stored: list[str] = []
    notes: list[RowNote] = []
    try:
        with transaction.atomic():
            # Keys first: each item is written already pointing at its revision.
            item_ids = allocate_ids(Item, len(rows))
            revision_ids = allocate_ids(ItemRevision, len(rows))
            items = [
                Item(
                    pk=item_id,
                    unit=units[r.unit_name],
                    status=Status.PUBLISHED,
                    index_number=r.index_number,
                    external_id=r.external_id,
                    published_at=r.published_at,
                    validity=r.validity,
                    imported=True,
                    author=actor,
                    draft_revision_id=revision_id,
                    published_revision_id=revision_id,
                    is_public=True,
                )
                for item_id, revision_id, r in zip(
                    item_ids, revision_ids, rows, strict=True
                )
            ]
            revisions = [
                ItemRevision(
                    pk=revision_id,
                    item=item,
                    number=1,
                    column=columns[(r.unit_name, r.column_name)],
                    kind=r.kind,
                    created_by=actor,
                    **r.content,
                )
                for revision_id, item, r in zip(revision_ids, items, rows, strict=True)
            ]
            insert_all(items)
            insert_all(revisions)
            attachments: list[Attachment] = []
            for revision, r in zip(revisions, rows, strict=True):
                if r.source.attachments:
                    made, warnings = store_attachments(
                        revision, r.source.attachments, stored
                    )
                    attachments += made
                    notes += [
                        RowNote(r.source.line, r.source.label, w) for w in warnings
                    ]
            Attachment.objects.bulk_create(attachments)
    except BaseException:
        remove_stored(stored)
        raise
    report.item_ids += [i.pk for i in items]
    report.attachments += len(attachments)
    report.notes += notes
    report.units = sorted({*report.units, *(r.unit_name for r in rows)})


def _audit(actor: User | None, report: ImportReport, units: dict[str, Unit]) -> None:
    record_event(
        actor=actor,
        action="catalogue.items_imported",
        summary=(
            f"批量导入信息 {report.imported} 条（拒绝 {len(report.rejected)} 条；"
            f"批次 {report.batch}；来源 {report.source}）"
        ),
        unit=units[report.units[0]] if len(report.units) == 1 else None,
        data=_audit_data(report),
    )


def _audit_data(report: ImportReport) -> dict[str, Any]:
    return {
        "batch": report.batch,
        "source": report.source,
        "format": report.format,
        "total": report.total,
        "imported": report.imported,
        "rejected": len(report.rejected),
        "attachments": report.attachments,
        "units": report.units,
        "created_units": report.created_units,
        "created_columns": report.created_columns,
        "item_ids": id_ranges(report.item_ids),
    }
