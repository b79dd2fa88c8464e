"""Checking the audit chain: reports the first altered, inserted or deleted row.

The live chain starts after the last archived row (the anchor, ``AuditArchive``) with
that row's hash, or at the genesis hash when nothing was archived. ``verify_archive``
also re-reads the archive files: checksums, every row's hash, and their continuity
with each other and with the live chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.audit.chain import canonical_content, chain_hash
from gongkai.audit.models import (
    GENESIS_HASH,
    AuditArchive,
    AuditChainHead,
    AuditEvent,
)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    archived: int = 0


def _check_anchors() -> tuple[int, str, ChainReport | None]:
    """The archived ranges must follow one another; returns the anchor."""
    prev_seq, prev_hash = 0, GENESIS_HASH
    for archive in AuditArchive.objects.order_by("last_seq"):
        if archive.first_seq != prev_seq + 1 or archive.first_prev_hash != prev_hash:
            return (
                prev_seq,
                prev_hash,
                ChainReport(
                    False,
                    0,
                    archive.first_seq,
                    f"归档记录不连续：归档 第 {archive.first_seq} 至 {archive.last_seq} 号"
                    f"未接续第 {prev_seq} 号",
                ),
            )
        prev_seq, prev_hash = archive.last_seq, archive.last_hash
    return prev_seq, prev_hash, None


def _check_archive_event(anchor: AuditArchive) -> ChainReport | None:
    """The anchor is attested by its ``audit.archived`` event in the live chain."""
    from gongkai.audit.archive import archive_event_data

    event = AuditEvent.objects.filter(
        action="audit.archived",
        object_type=AuditArchive._meta.label_lower,
        object_id=str(anchor.pk),
    ).first()
    if event is None or event.data != archive_event_data(anchor):
        return ChainReport(
            False,
            0,
            anchor.last_seq + 1,
            f"归档锚点（第 {anchor.last_seq} 号）与链中的归档事件不符（锚点被改动或伪造）",
        )
    return None


def verify_chain() -> ChainReport:
    anchor_seq, prev_hash, problem = _check_anchors()
    if problem is not None:
        return problem
    anchor = AuditArchive.objects.get(last_seq=anchor_seq) if anchor_seq else None
    expected_seq = anchor_seq + 1
    checked = 0
    rows = (
        AuditEvent.objects.filter(seq__gt=anchor_seq)
        .order_by("seq")
        .iterator(chunk_size=2000)
    )
    # Rows at or before the anchor should be gone: any left there were inserted.
    stray = AuditEvent.objects.filter(seq__lte=anchor_seq).order_by("seq").first()
    if stray is not None:
        return ChainReport(
            False,
            0,
            stray.seq,
            f"第 {stray.seq} 号记录已归档，却仍在数据库中（被插入或归档未完成）",
        )
    for row in rows:
        if row.seq != expected_seq:
            if row.seq > expected_seq:
                problem_text = (
                    f"第 {expected_seq} 至 {row.seq - 1} 号记录缺失（被删除）"
                )
            else:
                problem_text = f"第 {row.seq} 号记录序号重复（被插入）"
            return ChainReport(False, checked, expected_seq, problem_text)
        if row.prev_hash != prev_hash:
            return ChainReport(
                False,
                checked,
                row.seq,
                f"第 {row.seq} 号记录的前序哈希与链不符（插入或删除）",
            )
        content = canonical_content(
            seq=row.seq,
            occurred_at=row.occurred_at,
            actor_id=row.actor_id,
            actor_label=row.actor_label,
            unit_id=row.unit_id,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            summary=row.summary,
            data=row.data,
            ip=row.ip,
        )
        if chain_hash(prev_hash, content) != row.hash:
            return ChainReport(
                False, checked, row.seq, f"第 {row.seq} 号记录内容被改动"
            )
        prev_hash = row.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS_HASH
    if head_seq != expected_seq - 1 or head_hash != prev_hash:
        return ChainReport(
            False,
            checked,
            expected_seq,
            f"链尾不符：应有 {head_seq - anchor_seq} 条记录，实有 {checked} 条"
            "（末尾记录被删除或链头被改动）",
        )
    if anchor is not None and (problem := _check_archive_event(anchor)) is not None:
        return problem
    return ChainReport(True, checked)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _bad(seq: int | None, problem: str, archived: int = 0) -> ChainReport:
    return ChainReport(False, 0, seq, problem, archived)


def _check_file(
    manifest: dict[str, Any], path: Path, prev_seq: int, prev_hash: str
) -> tuple[int, str, ChainReport | None]:
    """One archive file against its manifest and the chain before it."""
    from gongkai.audit.archive import record_hash

    name = path.name
    if not path.exists():
        return prev_seq, prev_hash, _bad(manifest["first_seq"], f"归档文件 {name} 缺失")
    if _sha256(path) != manifest["sha256"]:
        return (
            prev_seq,
            prev_hash,
            _bad(
                manifest["first_seq"],
                f"归档文件 {name} 的校验和与清单不符（文件被改动）",
            ),
        )
    count = 0
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                record = json.loads(line)
                seq = int(record["seq"])
                ok = record["prev_hash"] == prev_hash and seq == prev_seq + 1
                ok = ok and record_hash(record, prev_hash) == record["hash"]
            except (ValueError, KeyError, TypeError):
                return (
                    prev_seq,
                    prev_hash,
                    _bad(prev_seq + 1, f"归档文件 {name} 第 {number} 行无法读取"),
                )
            if not ok:
                return (
                    prev_seq,
                    prev_hash,
                    _bad(
                        prev_seq + 1,
                        f"归档文件 {name} 中第 {prev_seq + 1} 号记录与哈希链不符",
                    ),
                )
            prev_seq, prev_hash = seq, record["hash"]
            count += 1
    if (
        count != manifest["count"]
        or prev_seq != manifest["last_seq"]
        or prev_hash != manifest["last_hash"]
    ):
        return (
            prev_seq,
            prev_hash,
            _bad(
                manifest["first_seq"], f"归档文件 {name} 的记录数或末条哈希与清单不符"
            ),
        )
    return prev_seq, prev_hash, None


def verify_archive(directory: Path) -> ChainReport:
    """The archive files in ``directory`` and the live chain after them."""
    manifests: list[dict[str, Any]] = []
    for path in sorted(directory.glob("audit-*.manifest.json")):
        try:
            manifests.append(json.loads(path.read_text()) | {"_name": path.name})
        except ValueError:
            return _bad(None, f"归档清单 {path.name} 无法读取")
    by_name = {m["_name"]: m for m in manifests}
    archives = list(AuditArchive.objects.order_by("last_seq"))
    for archive in archives:
        manifest = by_name.get(archive.manifest_name)
        if manifest is None:
            return _bad(
                archive.first_seq,
                f"归档清单 {archive.manifest_name} 缺失（目录 {directory}）",
            )
        if manifest.get("sha256") != archive.sha256:
            return _bad(
                archive.first_seq,
                f"归档清单 {archive.manifest_name} 的校验和与数据库中的归档记录不符",
            )
    registered = {a.manifest_name for a in archives}
    prev_seq, prev_hash, archived = 0, GENESIS_HASH, 0
    for manifest in sorted(
        (m for m in manifests if m["_name"] in registered),
        key=lambda m: int(m["first_seq"]),
    ):
        try:
            start = int(manifest["first_seq"])
            path = directory / Path(str(manifest["file"])).name
        except (KeyError, ValueError, TypeError):
            return _bad(None, f"归档清单 {manifest['_name']} 内容不完整")
        if start != prev_seq + 1 or manifest.get("first_prev_hash") != prev_hash:
            return _bad(start, f"归档 {manifest['_name']} 未接续第 {prev_seq} 号记录")
        try:
            prev_seq, prev_hash, problem = _check_file(
                manifest, path, prev_seq, prev_hash
            )
        except (KeyError, TypeError):
            return _bad(start, f"归档清单 {manifest['_name']} 内容不完整")
        if problem is not None:
            return problem
        archived += int(manifest["count"])
    live = verify_chain()
    if not live.ok:
        return live
    if archives and (archives[-1].last_seq, archives[-1].last_hash) != (
        prev_seq,
        prev_hash,
    ):
        return _bad(prev_seq + 1, "归档文件与数据库中的链不衔接")
    return ChainReport(True, live.checked, archived=archived)
