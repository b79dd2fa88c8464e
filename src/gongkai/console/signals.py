"""Security events from authentication go to the audit trail."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from gongkai.accounts.models import User
from gongkai.audit.services import record_event


def _known_user(username: str) -> User | None:
    return User.objects.select_related("unit").filter(username=username).first()


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    record_event(
        actor=user, action="auth.login", summary=f"登录成功：{user.username}", obj=user
    )


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record_event(
            actor=user,
            action="auth.logout",
            summary=f"退出登录：{user.username}",
            obj=user,
        )


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    known = _known_user(username)
    record_event(
        actor=None,
        actor_label=username or "（空用户名）",
        action="auth.login_failed",
        summary=f"登录失败：{username or '（空用户名）'}",
        obj=known,
        unit=known.unit if known else None,
    )


@receiver(user_locked_out)
def on_locked_out(
    sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any
) -> None:
    known = _known_user(username)
    record_event(
        actor=None,
        actor_label=username,
        action="auth.locked_out",
        summary=f"连续登录失败，账号被锁定：{username}",
        obj=known,
        unit=known.unit if known else None,
    )
