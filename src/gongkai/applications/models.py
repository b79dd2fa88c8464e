"""Disclosure applications (依申请公开) and the events that make up their record.

The due date is never typed in: it is computed by ``gongkai.law.clock`` from the
application's events and the working-day calendar and stored for listing and
reminders (``due_on``), and recomputed whenever an event or the calendar changes.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.law.outcomes import OUTCOMES
from gongkai.law.receipt import CHANNEL_LABELS, Channel


class ApplicantKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL_ENTERPRISE = "commercial_enterprise", "商业企业"
    RESEARCH_INSTITUTION = "research_institution", "科研机构"
    SOCIAL_WELFARE_ORG = "social_welfare_org", "社会公益组织"
    LEGAL_SERVICE_ORG = "legal_service_org", "法律服务机构"
    OTHER_ORG = "other_org", "其他"


CHANNEL_CHOICES = [(c.value, CHANNEL_LABELS[c]) for c in Channel]


class FormWanted(models.TextChoices):
    PAPER = "paper", "纸质文本"
    ELECTRONIC = "electronic", "电子文本（电子邮件）"
    DISC = "disc", "光盘等存储介质"
    INSPECTION = "inspection", "当场查阅、抄录"


class Delivery(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "自行领取"
    ONLINE = "online", "网上获取"


class Status(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", "待确认收到"
    IN_PROGRESS = "in_progress", "办理中"
    AWAITING_CORRECTION = "awaiting_correction", "待补正"
    DECIDED = "decided", "已作出答复"
    CLOSED = "closed", "已办结"


OPEN_STATUSES = (
    Status.AWAITING_CONFIRMATION,
    Status.IN_PROGRESS,
    Status.AWAITING_CORRECTION,
)

OUTCOME_CHOICES = [(o.key, o.label) for o in OUTCOMES]


class Application(models.Model):
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="applications"
    )
    reference = models.CharField("受理编号", max_length=40, unique=True)
    query_code = models.CharField("查询码", max_length=32, unique=True)
    submission_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True
    )
    channel = models.CharField("提交渠道", max_length=20, choices=CHANNEL_CHOICES)
    submitted_on = models.DateField("提交日期")
    received_on = models.DateField("收到申请之日", null=True, blank=True)
    receipt_basis = models.CharField("收到日期依据", max_length=300, blank=True)

    applicant_kind = models.CharField(
        "申请人类型", max_length=32, choices=ApplicantKind
    )
    applicant_name = models.CharField("姓名或名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=40, blank=True)
    id_number_encrypted = models.TextField(blank=True)
    id_number_hint = models.CharField("证件号码（掩码）", max_length=40, blank=True)
    org_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    contact_person = models.CharField("联系人", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=40)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)

    subject = models.CharField("所需信息名称", max_length=200)
    document_number = models.CharField("文号", max_length=100, blank=True)
    description = models.TextField("所需信息的特征性描述")
    form_wanted = models.CharField("获取信息的形式", max_length=20, choices=FormWanted)
    delivery = models.CharField("获取信息的途径", max_length=20, choices=Delivery)

    status = models.CharField(max_length=32, choices=Status, db_index=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(default=False)
    outcome = models.CharField(
        "办理结果", max_length=48, choices=OUTCOME_CHOICES, blank=True
    )
    decided_on = models.DateField("答复日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    letter_number = models.CharField(
        "答复文号", max_length=60, null=True, blank=True, unique=True
    )
    submitted_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [models.Index(fields=["unit", "status", "due_on"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(decided_on__isnull=False),
                name="application_outcome_has_date",
            ),
        ]
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", "提交申请"
    RECEIPT_CONFIRMED = "receipt_confirmed", "确认收到申请"
    HANDLER_ASSIGNED = "handler_assigned", "指定承办人"
    CORRECTION_REQUESTED = "correction_requested", "告知补正"
    CORRECTION_RECEIVED = "correction_received", "收到补正"
    CONSULTATION_STARTED = "consultation_started", "征求意见"
    CONSULTATION_ENDED = "consultation_ended", "收到意见"
    EXTENDED = "extended", "延期答复"
    AGENCY_SET_DATE = "agency_set_date", "确定延迟答复期限"
    FEE_NOTICE = "fee_notice", "发出收费通知"
    FEE_PAID = "fee_paid", "缴纳信息处理费"
    DECIDED = "decided", "作出答复"
    DELIVERED = "delivered", "送达"
    WITHDRAWN = "withdrawn", "申请人撤回申请"
    CLOSED = "closed", "办结"
    DEADLINE_RECOMPUTED = "deadline_recomputed", "答复期限重新计算"
    APPEAL_FILED = "appeal_filed", "申请人提起复议或诉讼"
    APPEAL_CONCLUDED = "appeal_concluded", "复议或诉讼审结"


class ApplicationEvent(models.Model):
    """One step in an application's record. ``on`` is the legal date of the step
    (what the clock counts); ``at`` is when it was recorded."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=32, choices=EventKind)
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=True, help_text="在公众查询页显示")

    class Meta:
        ordering: ClassVar = ["on", "id"]
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class AppealKind(models.TextChoices):
    ADMINISTRATIVE_REVIEW = "administrative_review", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"


class AppealResult(models.TextChoices):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class Appeal(models.Model):
    """An administrative review (复议) or lawsuit (诉讼) about an application.

    Per the 2021 report format, a lawsuit in which this unit is only the review body
    sued as co-defendant counts for the original agency, not here
    (``as_review_body``)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="appeals"
    )
    kind = models.CharField("类型", max_length=32, choices=AppealKind)
    filed_on = models.DateField("提起日期")
    body = models.CharField("复议机关或法院", max_length=100)
    case_number = models.CharField("案号", max_length=100, blank=True)
    as_review_body = models.BooleanField("本机关仅作为复议机关共同被告", default=False)
    result = models.CharField(
        "结果", max_length=16, choices=AppealResult, default=AppealResult.PENDING
    )
    concluded_on = models.DateField("审结日期", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["filed_on", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(result="pending", concluded_on__isnull=True)
                | (~Q(result="pending") & Q(concluded_on__isnull=False)),
                name="appeal_concluded_has_date",
            ),
        ]
        verbose_name = "复议或诉讼"
        verbose_name_plural = "复议或诉讼"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number}"


class FileKind(models.TextChoices):
    IDENTITY_DOCUMENT = "identity_document", "身份证明材料"
    RECEIPT_EVIDENCE = "receipt_evidence", "收件凭证（信封、邮件、传真件等）"
    OTHER = "other", "其他材料"


class ApplicationFile(models.Model):
    """A file in an application's record. Identity documents are stored encrypted
    (Fernet, the field key) and shown only to the disclosure office."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(max_length=32, choices=FileKind)
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to="applications/%Y/%m/")
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    encrypted = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["uploaded_at", "id"]
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"

    def __str__(self) -> str:
        return self.name
