"""Notifications shown in a user's console inbox (and mailed where an address is known)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=120, help_text="去重键：同一事项同一天只提醒一次")
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "key"], name="notification_once_per_key"
            ),
        ]
        verbose_name = "提醒"
        verbose_name_plural = "提醒"

    def __str__(self) -> str:
        return self.text


class PageGeneration(models.Model):
    """One row: the generation of the public pages. A cached page belongs to
    the generation it was rendered in; changing anything the public sees moves
    the generation on, so every cached page is then out of date at once
    (``gongkai.core.pagecache``)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "公开页面版本"
        verbose_name_plural = "公开页面版本"

    def __str__(self) -> str:
        return str(self.value)
