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
