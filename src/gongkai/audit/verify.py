"""Checking the audit chain: reports the first altered, inserted or deleted row."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.audit.chain import canonical_content, chain_hash
from gongkai.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify_chain() -> ChainReport:
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    rows = AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    for row in rows:
        if row.seq != expected_seq:
            if row.seq > expected_seq:
                problem = f"第 {expected_seq} 至 {row.seq - 1} 号记录缺失（被删除）"
            else:
                problem = f"第 {row.seq} 号记录序号重复（被插入）"
            return ChainReport(False, checked, expected_seq, problem)
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
    if head_seq != checked or head_hash != prev_hash:
        return ChainReport(
            False,
            checked,
            checked + 1,
            f"链尾不符：应有 {head_seq} 条记录，实有 {checked} 条（末尾记录被删除或链头被改动）",
        )
    return ChainReport(True, checked)
