"""The working-day calendar as data: each year's days off and make-up working days
(调休), with the notice they come from. Years without a row are computed
provisionally by ``gongkai.law``."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class Origin(models.TextChoices):
    SEEDED = "seeded", "随系统预置"
    ENTERED = "entered", "管理员录入"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    MAKEUP_WORKDAY = "makeup_workday", "调休上班"


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源（通知文号）", max_length=200)
    origin = models.CharField(max_length=16, choices=Origin, default=Origin.ENTERED)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["year"]
        verbose_name = "年度放假安排"
        verbose_name_plural = "年度放假安排"

    def __str__(self) -> str:
        return f"{self.year}年放假安排（{self.source}）"


class CalendarDay(models.Model):
    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(unique=True)
    kind = models.CharField(max_length=16, choices=DayKind)
    name = models.CharField("节日", max_length=60)

    class Meta:
        ordering: ClassVar = ["date"]
        verbose_name = "日历日"
        verbose_name_plural = "日历日"

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}（{self.name}）"
