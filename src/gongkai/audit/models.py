"""The audit trail: one append-only, hash-chained event log.

Each row's ``hash`` is SHA-256 over the previous row's hash and the row's own
canonical content, so a row changed, inserted or deleted in the database breaks
the chain at that row. ``AuditChainHead`` holds the last sequence number and hash:
it is locked (``SELECT … FOR UPDATE``) while appending, which serialises writers
on PostgreSQL, and it reveals rows deleted from the end of the chain.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

GENESIS_HASH = "0" * 64


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Bulk changes are refused too: the only way rows leave the table is
    ``gongkai.audit.archive`` (after they are written to checksummed files, and
    never before the retention floor)."""

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(
            "审计记录只能追加，不能删除；超过保存期限的记录请用 gongkai audit archive 归档"
        )

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("审计记录只能追加，不能修改")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-seq"]
        indexes: ClassVar = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("审计记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计记录只能追加，不能删除")


class AuditChainHead(models.Model):
    """The single row (pk=1) holding the end of the chain."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(id=1), name="audit_head_singleton"
            )
        ]

    def __str__(self) -> str:
        return f"head #{self.seq}"


class AuditArchive(models.Model):
    """One archived range of the chain: the rows ``first_seq`` … ``last_seq`` were
    written to ``file_name`` (SHA-256 ``sha256``) and its manifest, then deleted.
    The latest archive is the anchor the live chain continues from: its first
    live row's ``prev_hash`` is ``last_hash``."""

    first_seq = models.PositiveBigIntegerField()
    last_seq = models.PositiveBigIntegerField(unique=True)
    count = models.PositiveIntegerField()
    first_prev_hash = models.CharField(max_length=64)
    last_hash = models.CharField(max_length=64)
    file_name = models.CharField(max_length=200)
    manifest_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    directory = models.CharField(max_length=500)
    cutoff = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["last_seq"]
        verbose_name = "审计归档"
        verbose_name_plural = "审计归档"

    def __str__(self) -> str:
        return f"归档 #{self.first_seq}–#{self.last_seq}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计归档记录不能删除")
