"""Disclosure obligations (标准目录): what a unit must publish, by when, and which
items fulfil it."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.law.obligations import DEFAULT_RULE, Period


class Audience(models.TextChoices):
    PUBLIC = "public", "全社会"
    SPECIFIC = "specific", "特定群体"


class Mode(models.TextChoices):
    PROACTIVE = "proactive", "主动"
    ON_REQUEST = "on_request", "依申请"


class Obligation(models.Model):
    """One row of a unit's 标准目录 (LAW.md §5): 公开事项 with its content elements,
    basis, time limit (公开时限), responsible units (公开主体), channels, audience,
    mode and level. ``unit`` keeps the catalogue; the obligation falls on ``unit``
    itself when ``for_owner``, on every school below it when ``for_schools``, and on
    the ``named_units``."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="obligations"
    )
    number = models.PositiveIntegerField("序号", default=0)
    category = models.CharField("一级事项", max_length=60)
    name = models.CharField("二级事项", max_length=100)
    elements = models.TextField(
        "公开内容（要素）", blank=True, help_text="每行一个要素"
    )
    basis = models.TextField("公开依据", blank=True)
    time_rule = models.CharField(
        "公开时限",
        max_length=100,
        default=DEFAULT_RULE.text,
        help_text="如“信息形成或者变更之日起20个工作日内”或“每年6月30日前”",
    )
    for_owner = models.BooleanField("本单位为公开主体", default=True)
    for_schools = models.BooleanField("各学校为公开主体", default=False)
    named_units = models.ManyToManyField(
        "accounts.Unit",
        blank=True,
        related_name="+",
        verbose_name="其他公开主体",
    )
    channels = models.CharField("公开渠道和载体", max_length=200, blank=True)
    audience = models.CharField(
        "公开对象", max_length=16, choices=Audience, default=Audience.PUBLIC
    )
    mode = models.CharField(
        "公开方式", max_length=16, choices=Mode, default=Mode.PROACTIVE
    )
    levels = models.CharField("公开层级", max_length=20, default="县级")
    keywords = models.CharField(
        "匹配关键词",
        max_length=200,
        blank=True,
        help_text="用顿号或逗号分隔；起草信息时据此推荐所属事项",
    )
    effective_from = models.DateField("执行日期")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["unit", "number", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["unit", "category", "name"], name="obligation_unique_item"
            ),
        ]
        verbose_name = "公开事项"
        verbose_name_plural = "公开事项"

    def __str__(self) -> str:
        return f"{self.category}›{self.name}"

    @property
    def element_list(self) -> list[str]:
        return [e for e in (line.strip() for line in self.elements.splitlines()) if e]


class ObligationLink(models.Model):
    """An item fulfilling an obligation for one period (e.g. “2026”)."""

    item = models.OneToOneField(
        "catalogue.Item", on_delete=models.CASCADE, related_name="obligation_link"
    )
    obligation = models.ForeignKey(
        Obligation, on_delete=models.PROTECT, related_name="links"
    )
    period = models.CharField("期间", max_length=16)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["obligation", "period", "item"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="obligation_link_year_range",
            ),
        ]
        verbose_name = "事项关联"
        verbose_name_plural = "事项关联"

    def __str__(self) -> str:
        return f"{self.obligation} ← #{self.item_id}（{self.period}）"

    @property
    def period_label(self) -> str:
        year, _, index = self.period.partition("-")
        return Period(int(year), int(index or 0)).label


class Exemption(models.Model):
    """An obligation that does not apply to a unit in a year, with the reason
    (e.g. a kindergarten has no 学区)."""

    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, related_name="exemptions"
    )
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    reason = models.CharField("不适用原因", max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["obligation", "unit", "year"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["obligation", "unit", "year"], name="exemption_unique"
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="exemption_has_reason"
            ),
        ]
        verbose_name = "不适用说明"
        verbose_name_plural = "不适用说明"

    def __str__(self) -> str:
        return f"{self.obligation}：{self.unit_id} {self.year} 不适用"
