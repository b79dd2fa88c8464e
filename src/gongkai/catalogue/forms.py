from __future__ import annotations

from typing import Any

from django import forms

from gongkai.accounts.models import Unit
from gongkai.catalogue.checklist import QUESTIONS
from gongkai.catalogue.models import Column, Item, Kind, Validity


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class ItemForm(forms.Form):
    column = forms.ModelChoiceField(label="栏目", queryset=Column.objects.none())
    kind = forms.ModelChoiceField(label="信息类别", queryset=Kind.objects.all())
    title = forms.CharField(label="名称", max_length=200)
    summary = forms.CharField(
        label="内容概述",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="可使用段落、列表、表格等简单格式（HTML），保存时自动清理脚本和样式。",
    )
    document_number = forms.CharField(
        label="文号", max_length=100, required=False, help_text="如：湘教〔2025〕12号"
    )
    written_on = forms.DateField(label="成文日期", required=False, widget=date_input())
    formed_on = forms.DateField(
        label="信息形成或变更日期",
        widget=date_input(),
        help_text="自此日起20个工作日内应当公开（第二十六条）",
    )
    topic = forms.CharField(
        label="主题分类", max_length=60, required=False, help_text="如：科技、教育"
    )
    genre = forms.CharField(
        label="体裁分类",
        max_length=60,
        required=False,
        help_text="如：通知、公告、公示",
    )
    interprets = forms.ModelChoiceField(
        label="解读的政策文件（仅政策解读）",
        queryset=Item.objects.none(),
        required=False,
    )
    # The draft the form was opened on (editing.draft_version): a stale form is refused.
    based_on = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = Column.objects.filter(unit=unit)  # type: ignore[attr-defined]
        self.fields["interprets"].queryset = Item.objects.filter(  # type: ignore[attr-defined]
            unit__path__startswith=unit.path, is_public=True
        ).select_related("published_revision")
        self.fields["interprets"].label_from_instance = lambda i: str(i)  # type: ignore[attr-defined]


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件")


class CommentForm(forms.Form):
    # The review step the page showed: approving a step someone else already passed
    # is refused instead of approving the next one.
    step = forms.CharField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label="意见",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfidentialityForm(CommentForm):
    conclusion = forms.CharField(label="保密审查结论", max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, text, _ok in QUESTIONS:
            self.fields[f"q_{key}"] = forms.TypedChoiceField(
                label=text,
                choices=[("no", "否"), ("yes", "是")],
                coerce=lambda v: v == "yes",
                widget=forms.RadioSelect,
            )

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data[f"q_{key}"]) for key, _t, _ok in QUESTIONS}


class SignOffForm(CommentForm):
    publish_at = forms.DateTimeField(
        label="定时发布（留空立即发布）",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class FindingForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("mask", "遮盖"), ("false_positive", "标记误报")]
    )
    reason = forms.CharField(max_length=300, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=500)


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices)
    on = forms.DateField(label="日期", widget=date_input())
