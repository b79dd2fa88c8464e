"""Retention and archiving of the audit trail (等级保护 2.0: audit records are kept at
least 180 days).

``archive_events`` moves the events older than a cut-off out of the database:

1. plan: the range runs from the row after the current anchor (the last archived
   row, or the start of the chain) up to the last row before the first one that is
   not older than the cut-off, so nothing younger is ever taken;
2. write: the rows (every field, the chain hashes included) go to a JSONL file, then
   a manifest (SHA-256 of the file, first/last sequence and hash, count, time) —
   each written to a temporary file, flushed to disk and renamed into place;
3. commit: in one transaction the rows are deleted, an ``AuditArchive`` row (the
   new anchor) is made, and an ``audit.archived`` event is recorded.

A crash between 2 and 3 loses nothing: the rows are still in the database and a new
run writes the same range again (a left-over file of an unfinished run is replaced).
``verify_chain`` continues from the anchor; ``verify_archive`` re-reads the files.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.audit.chain import canonical_content, chain_hash
from gongkai.audit.models import (
    AuditArchive,
    AuditChainHead,
    AuditEvent,
)
from gongkai.audit.services import record_event

# The floor is the law's, not a setting: no configuration archives (and so deletes
# from the database) an audit row younger than this.
RETENTION_FLOOR_DAYS = 180
FORMAT = "gongkai-audit-archive/1"


@dataclass(frozen=True)
class ArchivePlan:
    cutoff: datetime
    first_seq: int
    last_seq: int
    count: int
    first_prev_hash: str
    last_hash: str

    @property
    def stem(self) -> str:
        return f"audit-{self.first_seq:012d}-{self.last_seq:012d}"


@dataclass(frozen=True)
class ArchiveFiles:
    directory: Path
    file_name: str
    manifest_name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class ArchiveResult:
    plan: ArchivePlan | None
    files: ArchiveFiles | None = None
    dry_run: bool = False

    @property
    def count(self) -> int:
        return self.plan.count if self.plan else 0


def default_directory() -> Path:
    configured = getattr(settings, "GONGKAI_AUDIT_ARCHIVE_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "audit-archive"


def default_days() -> int:
    return int(getattr(settings, "GONGKAI_AUDIT_ARCHIVE_AFTER_DAYS", 365))


def check_days(days: int) -> None:
    if days < RETENTION_FLOOR_DAYS:
        raise ServiceError(
            f"审计记录至少保存 {RETENTION_FLOOR_DAYS} 天（等级保护 2.0），"
            f"不能归档 {days} 天内的记录；请指定不少于 {RETENTION_FLOOR_DAYS} 天",
            field="older_than",
        )


def anchor() -> AuditArchive | None:
    """The last archived range: the live chain continues from its ``last_hash``."""
    return AuditArchive.objects.order_by("-last_seq").first()


def plan_archive(*, days: int) -> ArchivePlan | None:
    """The range that would be archived with this cut-off, or None if none. Refused
    while the live chain does not verify: a broken chain is not baked into files."""
    from gongkai.audit.verify import verify_chain

    check_days(days)
    report = verify_chain()
    if not report.ok:
        raise ServiceError(f"审计链校验未通过（{report.problem}），不能归档")
    cutoff = timezone.now() - timedelta(days=days)
    last = anchor()
    live = AuditEvent.objects.filter(seq__gt=last.last_seq if last else 0)
    young = live.filter(occurred_at__gte=cutoff).order_by("seq").first()
    if young is not None:
        upper = young.seq - 1
    else:
        newest = live.order_by("-seq").first()
        upper = newest.seq if newest else 0
    rows = live.filter(seq__lte=upper).order_by("seq")
    first = rows.first()
    final = rows.last()
    if first is None or final is None:
        return None
    return ArchivePlan(
        cutoff=cutoff,
        first_seq=first.seq,
        last_seq=final.seq,
        count=rows.count(),
        first_prev_hash=first.prev_hash,
        last_hash=final.hash,
    )


def event_record(row: AuditEvent) -> dict[str, Any]:
    """Every field of a row, as one line of the archive."""
    return {
        "seq": row.seq,
        "id": row.pk,
        "occurred_at": row.occurred_at.astimezone(UTC).isoformat(),
        "actor_id": row.actor_id,
        "actor_label": row.actor_label,
        "unit_id": row.unit_id,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "summary": row.summary,
        "data": row.data,
        "ip": row.ip,
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


def record_hash(record: dict[str, Any], prev_hash: str) -> str:
    """The chain hash of an archived line, recomputed from its fields."""
    content = canonical_content(
        seq=record["seq"],
        occurred_at=datetime.fromisoformat(record["occurred_at"]),
        actor_id=record["actor_id"],
        actor_label=record["actor_label"],
        unit_id=record["unit_id"],
        action=record["action"],
        object_type=record["object_type"],
        object_id=record["object_id"],
        summary=record["summary"],
        data=record["data"],
        ip=record["ip"],
    )
    return chain_hash(prev_hash, content)


def _lines(plan: ArchivePlan) -> Iterator[bytes]:
    rows = AuditEvent.objects.filter(
        seq__gte=plan.first_seq, seq__lte=plan.last_seq
    ).order_by("seq")
    for row in rows.iterator(chunk_size=2000):
        yield (
            json.dumps(event_record(row), ensure_ascii=False, sort_keys=True).encode()
            + b"\n"
        )


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(path: Path, chunks: Iterator[bytes]) -> tuple[str, int]:
    """Write to a temporary file beside ``path``, fsync, rename; SHA-256 and size."""
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)
    return digest.hexdigest(), size


def _remove_unfinished(directory: Path, after_seq: int) -> None:
    """Files of a run that wrote them and then stopped before deleting the rows: not
    registered as an archive, starting after the anchor. The rows they hold are
    still in the database, so they are written again by this run."""
    registered = set(AuditArchive.objects.values_list("manifest_name", flat=True))
    for manifest in directory.glob("audit-*.manifest.json"):
        if manifest.name in registered:
            continue
        try:
            first_seq = int(manifest.name.split("-")[1])
        except (IndexError, ValueError):
            continue
        if first_seq > after_seq:
            data_file = manifest.with_name(
                manifest.name.removesuffix(".manifest.json") + ".jsonl"
            )
            manifest.unlink(missing_ok=True)
            data_file.unlink(missing_ok=True)


def write_archive(plan: ArchivePlan, directory: Path) -> ArchiveFiles:
    """Write the range's JSONL file and then its manifest, each atomically. Nothing
    in the database changes."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServiceError(f"无法创建归档目录 {directory}：{exc.strerror}") from None
    _remove_unfinished(directory, plan.first_seq - 1)
    data_path = directory / f"{plan.stem}.jsonl"
    manifest_path = directory / f"{plan.stem}.manifest.json"
    try:
        sha256, size = _write_atomically(data_path, _lines(plan))
        manifest = {
            "format": FORMAT,
            "file": data_path.name,
            "sha256": sha256,
            "size": size,
            "count": plan.count,
            "first_seq": plan.first_seq,
            "last_seq": plan.last_seq,
            "first_prev_hash": plan.first_prev_hash,
            "last_hash": plan.last_hash,
            "cutoff": plan.cutoff.astimezone(UTC).isoformat(),
            "created_at": timezone.now().astimezone(UTC).isoformat(),
        }
        body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
        _write_atomically(manifest_path, iter([body.encode() + b"\n"]))
    except OSError as exc:
        raise ServiceError(
            f"写入归档文件失败（{exc.strerror or exc}），数据库中的审计记录未作改动"
        ) from None
    return ArchiveFiles(directory, data_path.name, manifest_path.name, sha256, size)


def _delete_rows(plan: ArchivePlan) -> int:
    """Delete the archived rows (the one place that deletes audit rows), refusing
    if any of them is younger than the retention floor."""
    floor = timezone.now() - timedelta(days=RETENTION_FLOOR_DAYS)
    in_range = AuditEvent.objects.filter(
        seq__gte=plan.first_seq, seq__lte=plan.last_seq
    )
    if in_range.filter(occurred_at__gte=floor).exists():
        raise ServiceError(
            f"范围内有未满 {RETENTION_FLOOR_DAYS} 天的审计记录，拒绝删除"
        )
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE seq >= %s AND seq <= %s AND occurred_at < %s",
            [
                plan.first_seq,
                plan.last_seq,
                connection.ops.adapt_datetimefield_value(floor),
            ],
        )
        return int(cursor.rowcount)


def commit_archive(plan: ArchivePlan, files: ArchiveFiles) -> AuditArchive:
    """Delete the written rows, set the new anchor and record the event: all or
    nothing. Refused if the chain moved on since the plan (another run archived)."""
    with transaction.atomic():
        AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        last = anchor()
        if (last.last_seq if last else 0) != plan.first_seq - 1:
            raise ServiceError("审计日志已被另一次归档处理，请重新运行")
        first = AuditEvent.objects.filter(seq=plan.first_seq).first()
        final = AuditEvent.objects.filter(seq=plan.last_seq).first()
        if (
            first is None
            or final is None
            or first.prev_hash != plan.first_prev_hash
            or final.hash != plan.last_hash
        ):
            raise ServiceError("待归档的审计记录与归档文件不一致，未作改动")
        deleted = _delete_rows(plan)
        if deleted != plan.count:
            raise ServiceError(
                f"应删除 {plan.count} 条审计记录，实际 {deleted} 条；已全部撤销"
            )
        archive = AuditArchive.objects.create(
            first_seq=plan.first_seq,
            last_seq=plan.last_seq,
            count=plan.count,
            first_prev_hash=plan.first_prev_hash,
            last_hash=plan.last_hash,
            file_name=files.file_name,
            manifest_name=files.manifest_name,
            sha256=files.sha256,
            directory=str(files.directory),
            cutoff=plan.cutoff,
            created_at=timezone.now(),
        )
        record_event(
            actor=None,
            action="audit.archived",
            summary=(
                f"归档审计记录 第 {plan.first_seq} 至 {plan.last_seq} 号，共 {plan.count} 条，"
                f"文件 {files.file_name}（SHA-256 {files.sha256[:16]}…）"
            ),
            obj=archive,
            data=archive_event_data(archive),
        )
    return archive


def archive_event_data(archive: AuditArchive) -> dict[str, Any]:
    return {
        "first_seq": archive.first_seq,
        "last_seq": archive.last_seq,
        "count": archive.count,
        "last_hash": archive.last_hash,
        "file": archive.file_name,
        "sha256": archive.sha256,
    }


def archive_events(
    *,
    days: int | None = None,
    directory: Path | None = None,
    dry_run: bool = False,
) -> ArchiveResult:
    """Archive the events older than ``days`` (default: the setting) into
    ``directory`` (default: the setting). With ``dry_run`` nothing is written."""
    days = default_days() if days is None else days
    plan = plan_archive(days=days)
    if plan is None or dry_run:
        return ArchiveResult(plan=plan, dry_run=dry_run)
    files = write_archive(plan, directory or default_directory())
    commit_archive(plan, files)
    return ArchiveResult(plan=plan, files=files)
