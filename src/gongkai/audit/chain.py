"""Canonical content and hashing of audit rows (shared by writing and verifying)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any


def canonical_content(
    *,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_label: str,
    unit_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    summary: str,
    data: Any,
    ip: str | None,
) -> str:
    return json.dumps(
        {
            "seq": seq,
            "at": occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "actor": actor_id,
            "actor_label": actor_label,
            "unit": unit_id,
            "action": action,
            "object": [object_type, object_id],
            "summary": summary,
            "data": data,
            "ip": ip,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def chain_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + "\n" + content).encode()).hexdigest()
