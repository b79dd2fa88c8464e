"""Sending a notification: one row per user and key (so a job that runs twice
reminds once), and an e-mail through Django's mail backend when the user has an
address. Mail goes out after the transaction commits."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from gongkai.core.models import Notification

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from gongkai.accounts.models import User


def notify(user: User, *, key: str, text: str, url: str = "") -> bool:
    """True if the notification is new."""
    try:
        with transaction.atomic():
            Notification.objects.create(
                user=user, key=key[:120], text=text[:500], url=url
            )
    except IntegrityError:
        return False
    if user.email:
        transaction.on_commit(lambda: _mail(user.email, text, url))
    return True


def _mail(address: str, text: str, url: str) -> None:
    # The console notification is already stored; a mail server that is down
    # must not undo it or fail the job.
    try:
        send_mail(
            subject=f"【政府信息公开】{text[:60]}",
            message=f"{text}\n\n{url}",
            from_email=None,
            recipient_list=[address],
        )
    except OSError:
        logger.warning("reminder mail to %s failed", address, exc_info=True)


def mark_read(user: User, pk: int) -> None:
    from django.utils import timezone

    Notification.objects.filter(user=user, pk=pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
