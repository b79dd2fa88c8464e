"""Proactive disclosure (主动公开): columns, kinds, items with their revisions and
attachments, the review chain, scanner findings, index numbers, channels and the
delivery outbox."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q


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


class ReportRole(models.TextChoices):
    """What an item kind counts as in the annual report."""

    NONE = "", "—"
    NEWS = "news", "政务动态"
    GUIDE = "guide", "指南"
    DOCUMENT = "document", "文件"
    REGULATION = "regulation", "规章"
    NORMATIVE_DOCUMENT = "normative_document", "行政规范性文件"
    INTERPRETATION = "interpretation", "政策解读"
    PUBLIC_CONCERN_RESPONSE = "public_concern_response", "回应关切"
    ANNUAL_REPORT = "annual_report", "年度报告"


class Kind(models.Model):
    """An item kind (政务动态, 规章, 政策解读 …); the list is configurable."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField("类别", max_length=40, unique=True)
    report_role = models.CharField(max_length=32, choices=ReportRole, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["sort_order", "id"]
        verbose_name = "信息类别"
        verbose_name_plural = "信息类别"

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    UNIT_REVIEW = "unit_review", "待单位审核"
    CONFIDENTIALITY_REVIEW = "confidentiality_review", "待保密审查"
    SIGN_OFF = "sign_off", "待领导签发"
    SCHEDULED = "scheduled", "定时发布"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Validity(models.TextChoices):
    IN_FORCE = "in_force", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"


class Item(models.Model):
    """One piece of government information. Its content lives in revisions: the
    public sees ``published_revision`` while ``is_public``; staff edit
    ``draft_revision``, which goes through the review chain (``status``) before it
    replaces the published one, so a later edit is reviewed before anyone sees it."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="items"
    )
    status = models.CharField(
        max_length=32, choices=Status, default=Status.DRAFT, db_index=True
    )
    draft_revision = models.ForeignKey(
        "ItemRevision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_revision = models.ForeignKey(
        "ItemRevision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_public = models.BooleanField("公众可见", default=False, db_index=True)
    index_number = models.CharField(
        "索引号", max_length=64, unique=True, null=True, blank=True
    )
    external_id = models.CharField(
        "原系统编号", max_length=200, blank=True, db_index=True
    )
    published_at = models.DateTimeField(
        "发布时间", null=True, blank=True, db_index=True
    )
    scheduled_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    validity = models.CharField(
        "有效性", max_length=16, choices=Validity, default=Validity.IN_FORCE
    )
    validity_changed_on = models.DateField("失效或废止日期", null=True, blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=500, blank=True)
    imported = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-published_at", "-id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(is_public=False)
                | Q(index_number__isnull=False, published_revision__isnull=False),
                name="item_published_has_index_number",
            ),
        ]
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"

    def __str__(self) -> str:
        rev = self.published_revision or self.draft_revision
        return rev.title if rev else f"#{self.pk}"


class ItemRevision(models.Model):
    """A snapshot of an item's content and metadata; never changed once reviewed."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(Kind, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=200)
    summary = models.CharField("内容概述", max_length=500, blank=True)
    body = models.TextField("正文", blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    formed_on = models.DateField("形成或变更日期")
    topic = models.CharField("主题分类", max_length=60, blank=True)
    genre = models.CharField("体裁分类", max_length=60, blank=True)
    interprets = models.ForeignKey(
        Item,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interpretations",
        verbose_name="解读的政策文件",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["item", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["item", "number"], name="revision_unique_number"
            ),
        ]
        verbose_name = "版本"
        verbose_name_plural = "版本"

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"


class Attachment(models.Model):
    revision = models.ForeignKey(
        ItemRevision, on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField("文件名", max_length=200)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    kind = models.CharField(max_length=16)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar = ["revision", "id"]
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.name


class FindingStatus(models.TextChoices):
    OPEN = "open", "待处理"
    MASKED = "masked", "已遮盖"
    FALSE_POSITIVE = "false_positive", "误报"


class Finding(models.Model):
    """A scanner finding on a revision; publication is blocked while one is open."""

    revision = models.ForeignKey(
        ItemRevision, on_delete=models.CASCADE, related_name="findings"
    )
    field = models.CharField(max_length=220)
    kind = models.CharField(max_length=32)
    text = models.CharField(max_length=200)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    masked = models.CharField(max_length=200)
    context = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=16, choices=FindingStatus, default=FindingStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["revision", "field", "start"]
        verbose_name = "敏感信息检查结果"
        verbose_name_plural = "敏感信息检查结果"

    def __str__(self) -> str:
        return f"{self.kind} {self.masked}"


class ReviewStep(models.TextChoices):
    SUBMIT = "submit", "提交"
    UNIT_REVIEW = "unit_review", "单位审核"
    CONFIDENTIALITY_REVIEW = "confidentiality_review", "保密审查"
    SIGN_OFF = "sign_off", "领导签发"


class Decision(models.TextChoices):
    APPROVE = "approve", "通过"
    RETURN = "return", "退回"


class Review(models.Model):
    """One decision in the review chain. For 保密审查 it records the checklist and
    the conclusion (第十七条: 先审查、后公开)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reviews")
    revision = models.ForeignKey(
        ItemRevision, on_delete=models.CASCADE, related_name="reviews"
    )
    step = models.CharField(max_length=32, choices=ReviewStep)
    decision = models.CharField(max_length=16, choices=Decision)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)
    checklist = models.JSONField(default=dict, blank=True)
    conclusion = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["decided_at", "id"]
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.get_decision_display()}"


class ReviewChain(models.Model):
    """A unit's review chain. 保密审查 can never be skipped."""

    unit = models.OneToOneField(
        "accounts.Unit", on_delete=models.CASCADE, related_name="review_chain"
    )
    unit_review = models.BooleanField("需要单位审核", default=True)
    sign_off = models.BooleanField("需要领导签发", default=True)
    interpretation_blocks = models.BooleanField(
        "行政规范性文件无解读时禁止发布", default=False
    )

    class Meta:
        verbose_name = "审核流程"
        verbose_name_plural = "审核流程"

    def __str__(self) -> str:
        return f"{self.unit} 审核流程"


class IndexSequence(models.Model):
    """The last serial number of 索引号 per unit and year; only ever increases, so a
    number is never reused, also after withdrawal."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["unit", "year"], name="index_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class ChannelKind(models.TextChoices):
    FEED = "feed", "RSS/Atom 订阅"
    WEBHOOK = "webhook", "Webhook 推送"
    WECHAT = "wechat", "微信公众号"
    NOTICE_BOARD = "notice_board", "公告栏（A4 打印）"
    LED = "led", "LED 屏文本"


class Channel(models.Model):
    """Where a published item is delivered besides the portal itself."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField(max_length=16, choices=ChannelKind)
    name = models.CharField(max_length=60)
    columns = models.ManyToManyField(Column, blank=True, help_text="为空表示全部栏目")
    config = models.JSONField(default=dict, blank=True)
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["unit", "kind", "id"]
        verbose_name = "发布渠道"
        verbose_name_plural = "发布渠道"

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待投递"
    DELIVERED = "delivered", "已投递"
    FAILED = "failed", "投递失败"


class Delivery(models.Model):
    """One item revision to one channel: the outbox row, written in the publishing
    transaction; the worker delivers it with retries and back-off."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="deliveries")
    revision = models.ForeignKey(
        ItemRevision, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="deliveries"
    )
    idempotency_key = models.CharField(max_length=80, unique=True)
    status = models.CharField(
        max_length=16,
        choices=DeliveryStatus,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["created_at", "id"]
        verbose_name = "渠道投递"
        verbose_name_plural = "渠道投递"

    def __str__(self) -> str:
        return f"{self.channel} ← {self.revision}"
