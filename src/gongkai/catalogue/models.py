"""Proactive disclosure (主动公开). For now: the columns (栏目) of a unit's site."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class Column(models.Model):
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="columns"
    )
    name = models.CharField("栏目名称", max_length=40)
    slug = models.SlugField("路径", max_length=40)
    description = models.CharField("说明", max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    is_visible = models.BooleanField("在门户显示", default=True)

    class Meta:
        ordering: ClassVar = ["unit", "sort_order", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["unit", "slug"], name="column_unique_slug"),
            models.UniqueConstraint(fields=["unit", "name"], name="column_unique_name"),
        ]
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    def __str__(self) -> str:
        return self.name
