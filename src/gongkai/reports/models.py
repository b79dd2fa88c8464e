"""Figures of the annual report that do not come from the disclosure records.

* ``ExternalFigure``: table 二's 行政许可, 行政处罚, 行政强制 decision counts and the
  行政事业性收费 amount come from the licensing, enforcement and finance work: they
  are entered or imported per unit and year, always with their source.
* ``ChannelTally``: posts on a channel that are not catalogue items (a WeChat
  account's news posts, a government website's sub-page before the portal), per
  unit and year, with their source; the pre-2019 report adds them to what the
  delivery records show.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExternalKey(models.TextChoices):
    LICENSING = "administrative_licensing_decisions", "行政许可处理决定数量"
    PENALTY = "administrative_penalty_decisions", "行政处罚处理决定数量"
    COERCION = "administrative_coercion_decisions", "行政强制处理决定数量"
    FEES = "administrative_fees_amount_wan_yuan", "行政事业性收费金额（万元）"


class ExternalFigure(models.Model):
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    key = models.CharField("项目", max_length=48, choices=ExternalKey)
    value = models.DecimalField("数值", max_digits=16, decimal_places=6)
    source = models.CharField("数据来源", max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["unit", "year", "key"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["unit", "year", "key"], name="external_figure_unique"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="external_figure_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(source=""), name="external_figure_has_source"
            ),
        ]
        verbose_name = "外部统计数据"
        verbose_name_plural = "外部统计数据"

    def __str__(self) -> str:
        return f"{self.year} {self.get_key_display()}：{self.value}"


class TallyChannel(models.TextChoices):
    GOVERNMENT_WEBSITE = "government_website", "政府网站"
    WECHAT = "wechat", "微信公众号"
    WEIBO = "weibo", "政务微博"
    OTHER = "other", "其他渠道"


class ChannelTally(models.Model):
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    channel = models.CharField("渠道", max_length=32, choices=TallyChannel)
    count = models.PositiveIntegerField("发布条数")
    source = models.CharField("数据来源", max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["unit", "year", "channel"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["unit", "year", "channel"], name="channel_tally_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=""), name="channel_tally_has_source"
            ),
        ]
        verbose_name = "渠道发布统计"
        verbose_name_plural = "渠道发布统计"

    def __str__(self) -> str:
        return f"{self.year} {self.get_channel_display()}：{self.count}"


class ReportDraft(models.Model):
    """A unit's annual report on a year while it is drafted: the editable narrative,
    and the catalogue item (kind 年度报告) that carries it through review and
    publication on the portal."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="report_drafts"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    format = models.CharField(max_length=16)
    overview = models.TextField("一、总体情况")
    problems = models.TextField("五、存在的主要问题及改进情况")
    other = models.TextField("六、其他需要报告的事项", blank=True)
    item = models.OneToOneField(
        "catalogue.Item",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_draft",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["unit", "year"], name="one_report_draft_per_unit_year"
            ),
        ]
        verbose_name = "年度报告草稿"
        verbose_name_plural = "年度报告草稿"

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年度报告"
