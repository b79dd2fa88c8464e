"""API tokens: created and revoked through services, checked by the API's auth."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import ApiToken, User
from gongkai.audit.services import record_event

TOKEN_BYTES = 32


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor itself; returns the row and the token (shown once)."""
    if not name.strip():
        raise ServiceError("请填写令牌用途", field="name")
    if actor.api_tokens.filter(revoked_at__isnull=True).count() >= 10:
        raise ServiceError("有效令牌已达10个，请先撤销不用的令牌")
    token = "gk_" + secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=actor,
            name=name.strip()[:60],
            prefix=token[3:11],
            key_hash=_digest(token),
        )
        record_event(
            actor=actor,
            action="accounts.token_created",
            summary=f"创建接口令牌：{row}",
            obj=row,
        )
    return row, token


def revoke_token(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise ServiceError("只能撤销自己的令牌")
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=actor,
            action="accounts.token_revoked",
            summary=f"撤销接口令牌：{token}",
            obj=token,
        )


def user_for_token(token: str) -> User | None:
    """The active user a valid token belongs to (last use recorded at most once a minute)."""
    if not token.startswith("gk_") or len(token) > 100:
        return None
    row = (
        ApiToken.objects.select_related("user__unit")
        .filter(key_hash=_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
