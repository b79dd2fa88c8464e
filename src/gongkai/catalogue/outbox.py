"""Delivering published items to their channels from the outbox.

A delivery row is written in the publishing transaction, so a publication is never
lost. The worker claims due rows, sends, and marks them delivered; a send that
fails is retried with exponential back-off. If the worker dies after sending but
before marking, the row is sent again with the same idempotency key, which the
receiver uses to ignore the repeat, so the receiver acts on it once."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from gongkai.catalogue.models import ChannelKind, Delivery, DeliveryStatus

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


class DeliveryError(Exception):
    """A channel refused or could not be reached; the delivery will be retried."""


def item_payload(delivery: Delivery) -> dict[str, Any]:
    item, revision = delivery.item, delivery.revision
    base = getattr(settings, "GONGKAI_PUBLIC_URL", "").rstrip("/")
    return {
        "event": "item.published",
        "idempotency_key": delivery.idempotency_key,
        "item": {
            "id": item.pk,
            "index_number": item.index_number,
            "title": revision.title,
            "summary": revision.summary,
            "document_number": revision.document_number,
            "unit": item.unit.name,
            "column": revision.column.name,
            "kind": revision.kind.name,
            "published_at": item.published_at.isoformat()
            if item.published_at
            else None,
            "url": base + reverse("portal:item", args=[item.pk]),
            "revision": revision.number,
        },
    }


def send_webhook(delivery: Delivery) -> None:
    """POST the item as JSON, signed with HMAC-SHA256 over the body
    (``X-Gongkai-Signature: sha256=…``) and carrying the idempotency key."""
    config = delivery.channel.config
    url = str(config.get("url", ""))
    secret_env = str(config.get("secret_env", ""))
    secret = (
        settings.GONGKAI_WEBHOOK_SECRETS.get(secret_env) if secret_env else None
    ) or ""
    if not url.startswith(("http://", "https://")):
        raise DeliveryError("Webhook 地址未配置或无效")
    body = json.dumps(
        item_payload(delivery), ensure_ascii=False, sort_keys=True
    ).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": delivery.idempotency_key,
            "X-Gongkai-Signature": f"sha256={signature}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            if not 200 <= response.status < 300:
                raise DeliveryError(f"接收方返回 {response.status}")
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"接收方返回 {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"无法连接接收方：{exc}") from None


def deliver_feed(delivery: Delivery) -> None:
    """Feeds are pulled: the item is in the unit's and column's feeds once public."""
    if not delivery.item.is_public:
        raise DeliveryError("信息已不公开")


SENDERS: dict[str, Callable[[Delivery], None]] = {
    ChannelKind.FEED: deliver_feed,
    ChannelKind.WEBHOOK: send_webhook,
}


def register_sender(kind: str, sender: Callable[[Delivery], None]) -> None:
    SENDERS[kind] = sender


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))


@dataclass
class RunReport:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def _claim(now: datetime) -> Delivery | None:
    qs = Delivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return qs.select_related(
        "item__unit", "revision__column", "revision__kind", "channel"
    ).first()


def deliver_one(now: datetime | None = None) -> str | None:
    """Claim and deliver one due row; returns its new status, or None if none was due.

    The row stays locked while it is sent (other workers skip it); if this process
    dies, the transaction rolls back and the row is due again."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = _claim(now)
        if delivery is None:
            return None
        sender = SENDERS.get(delivery.channel.kind)
        delivery.attempts += 1
        try:
            if sender is None:
                raise DeliveryError(
                    f"渠道类型“{delivery.channel.get_kind_display()}”未配置发送方式"
                )
            sender(delivery)
        except DeliveryError as exc:
            delivery.last_error = str(exc)[:500]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
            logger.warning("delivery %s failed: %s", delivery.pk, exc)
        else:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
        delivery.save()
        return delivery.status if delivery.status != DeliveryStatus.PENDING else "retry"


def run_outbox(now: datetime | None = None, limit: int = 1000) -> RunReport:
    report = RunReport()
    for _ in range(limit):
        outcome = deliver_one(now)
        if outcome is None:
            break
        if outcome == DeliveryStatus.DELIVERED:
            report.delivered += 1
        elif outcome == DeliveryStatus.FAILED:
            report.failed += 1
        else:
            report.retried += 1
    return report
