"""Writing to the audit trail. Every service calls ``record_event`` in its own
transaction, so the change and its audit row commit or roll back together."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from gongkai.audit.chain import canonical_content, chain_hash
from gongkai.audit.models import AuditChainHead, AuditEvent
from gongkai.core.context import current_ip

if TYPE_CHECKING:
    from gongkai.accounts.models import Unit, User


def _json_ready(data: dict[str, Any] | None) -> dict[str, Any]:
    # Round-trip once so that what is hashed is exactly what the database returns
    # (dates become strings, tuples lists), on SQLite and PostgreSQL alike.
    result: dict[str, Any] = json.loads(
        json.dumps(data or {}, ensure_ascii=False, default=str, sort_keys=True)
    )
    return result


def record_event(
    *,
    actor: User | None,
    action: str,
    summary: str,
    obj: models.Model | None = None,
    unit: Unit | None = None,
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event to the chain (joins the caller's transaction)."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    if unit is None and actor is not None:
        unit = actor.unit
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    label = actor_label or (actor.get_username() if actor is not None else "系统")
    payload = _json_ready(data)
    ip = current_ip()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        seq = head.seq + 1
        occurred_at = timezone.now()
        content = canonical_content(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor.pk if actor is not None else None,
            actor_label=label,
            unit_id=unit.pk if unit is not None else None,
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary,
            data=payload,
            ip=ip,
        )
        digest = chain_hash(head.hash, content)
        event = AuditEvent.objects.create(
            seq=seq,
            occurred_at=occurred_at,
            actor=actor,
            actor_label=label,
            unit=unit,
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary,
            data=payload,
            ip=ip,
            prev_hash=head.hash,
            hash=digest,
        )
        head.seq = seq
        head.hash = digest
        head.save(update_fields=["seq", "hash"])
    return event
