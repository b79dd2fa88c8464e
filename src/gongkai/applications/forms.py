from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from gongkai.applications.models import (
    CHANNEL_CHOICES,
    AppealKind,
    AppealResult,
    ApplicantKind,
    Delivery,
    FormWanted,
)
from gongkai.law.clock import ConsultationKind
from gongkai.law.outcomes import GROUP_LABELS, OUTCOMES

PHONE_RE = r"^[0-9+\-() ]{7,20}$"


def _not_future(value: Any) -> Any:
    if value and value > timezone.localdate():
        raise forms.ValidationError("日期不能晚于今天")
    return value


def date_field(
    label: str, *, required: bool = True, past: bool = True
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        validators=[_not_future] if past else [],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请输入有效的日期（YYYY-MM-DD）"},
    )


class ApplicantForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label="申请人类型", choices=ApplicantKind.choices
    )
    applicant_name = forms.CharField(label="姓名或名称", max_length=100)
    id_type = forms.CharField(
        label="身份证明（证件名称）",
        max_length=40,
        required=False,
        initial="居民身份证",
    )
    id_number = forms.CharField(label="证件号码", max_length=40, required=False)
    org_code = forms.RegexField(
        label="统一社会信用代码（法人或其他组织）",
        regex=r"^[0-9A-Z]{18}$",
        required=False,
        error_messages={"invalid": "统一社会信用代码应为18位数字或大写字母"},
    )
    contact_person = forms.CharField(label="联系人", max_length=40, required=False)
    phone = forms.RegexField(
        label="联系电话",
        regex=PHONE_RE,
        max_length=20,
        error_messages={"invalid": "请填写有效的联系电话"},
    )
    email = forms.EmailField(label="电子邮箱", required=False)
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    postcode = forms.RegexField(
        label="邮政编码",
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": "邮政编码应为6位数字"},
    )
    subject = forms.CharField(label="所需政府信息的名称", max_length=200)
    document_number = forms.CharField(
        label="文号（如知道）", max_length=100, required=False
    )
    description = forms.CharField(
        label="所需政府信息的特征性描述",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    form_wanted = forms.ChoiceField(label="获取信息的形式", choices=FormWanted.choices)
    delivery = forms.ChoiceField(label="获取信息的途径", choices=Delivery.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("applicant_kind")
        if kind == ApplicantKind.NATURAL_PERSON and not data.get("id_number"):
            self.add_error(
                "id_number", "自然人申请须填写身份证明的证件号码（第二十九条）"
            )
        if kind and kind != ApplicantKind.NATURAL_PERSON and not data.get("org_code"):
            self.add_error("org_code", "法人或其他组织申请须填写统一社会信用代码")
        if data.get("delivery") == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", "选择电子邮件获取时须填写电子邮箱")
        if data.get("delivery") == Delivery.POST and not data.get("address"):
            self.add_error("address", "选择邮寄时须填写通信地址")
        return data


class OnlineApplicationForm(ApplicantForm):
    identity_document = forms.FileField(
        label="身份证明材料（可选，PDF或图片，20 MB以内）",
        required=False,
        help_text="加密保存，仅政府信息公开工作机构可见。",
    )
    # A field people never see; bots fill it in (honeypot).
    website = forms.CharField(required=False, label="请勿填写此项")
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


class IntakeForm(ApplicantForm):
    channel = forms.ChoiceField(
        label="提交渠道", choices=[c for c in CHANNEL_CHOICES if c[0] != "online"]
    )
    submitted_on = date_field("申请人提交（寄出、发送）日期")
    signed_on = date_field("签收日期（挂号信）", required=False)
    confirmed_on = date_field(
        "确认日期（平常信函、电子邮件、传真、电话）", required=False
    )
    evidence = forms.CharField(
        label="收件凭证说明（信封、邮件等）", max_length=300, required=False
    )
    evidence_file = forms.FileField(
        label="收件凭证扫描件（信封、邮件、传真件）", required=False
    )


class DateForm(forms.Form):
    on = date_field("日期")


class CorrectionRequestForm(DateForm):
    items = forms.CharField(
        label="需要补正的事项",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class NoteForm(DateForm):
    note = forms.CharField(label="说明", max_length=500, required=False)


class ConsultationForm(DateForm):
    kind = forms.ChoiceField(
        label="征求对象",
        choices=[
            (ConsultationKind.third_party.value, "第三方"),
            (ConsultationKind.other_agency.value, "其他机关"),
        ],
    )
    party = forms.CharField(label="被征求意见的第三方或机关", max_length=200)


class ConsultationEndForm(DateForm):
    started = forms.IntegerField(widget=forms.HiddenInput)
    opinion = forms.CharField(label="意见", max_length=1000, required=False)


class ExtensionForm(DateForm):
    workdays = forms.IntegerField(label="延长工作日数", min_value=1, max_value=20)
    approved_by = forms.CharField(label="批准人（工作机构负责人）", max_length=60)
    reason = forms.CharField(label="延期理由", max_length=500)


class AgencyDateForm(DateForm):
    due_on = date_field("延迟答复的合理期限", past=False)
    reason = forms.CharField(label="理由", max_length=500)


class FeeNoticeForm(DateForm):
    basis = forms.ChoiceField(
        label="计收方式",
        choices=[("per_application", "按件计收"), ("per_page", "按量计收")],
    )
    pages = forms.IntegerField(
        label="页数（按量计收）", min_value=0, max_value=100000, required=False
    )


class DecisionForm(DateForm):
    outcome = forms.ChoiceField(
        label="办理结果",
        choices=[
            (
                o.key,
                o.label
                if o.group in {"granted", "partially_granted"}
                else f"{GROUP_LABELS[o.group]}：{o.label}",
            )
            for o in OUTCOMES
            if not o.key.startswith("other_")
        ],
    )
    reasoning = forms.CharField(
        label="答复理由", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    provided = forms.CharField(
        label="提供的信息（文件名或链接）", max_length=1000, required=False
    )
    confidentiality_reviewer = forms.CharField(
        label="保密审查人（公开或部分公开时必填）", max_length=60, required=False
    )
    confidentiality_conclusion = forms.CharField(
        label="保密审查结论",
        max_length=500,
        required=False,
        help_text="如：经审查，提供的信息不涉及国家秘密、个人隐私和商业秘密，同意提供。",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        releases = data.get("outcome") in {"granted", "partially_granted"}
        if releases and not (
            data.get("confidentiality_reviewer")
            and data.get("confidentiality_conclusion")
        ):
            raise forms.ValidationError(
                "予以公开或部分公开的，须登记对所提供信息的保密审查（审查人和结论）"
            )
        return data


class DeliveryForm(DateForm):
    method = forms.CharField(label="送达方式", max_length=60)
    note = forms.CharField(label="送达凭证说明", max_length=300, required=False)


class WithdrawForm(DateForm):
    reason = forms.CharField(label="撤回说明", max_length=500)


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=AppealKind.choices)
    filed_on = date_field("提起日期")
    body = forms.CharField(label="复议机关或法院", max_length=100)
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    as_review_body = forms.BooleanField(
        label="本机关仅作为复议机关共同被告（不计入本机关年报）", required=False
    )


class AppealConclusionForm(forms.Form):
    appeal = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label="结果", choices=[c for c in AppealResult.choices if c[0] != "pending"]
    )
    on = date_field("审结日期")
    note = forms.CharField(label="说明", max_length=500, required=False)
