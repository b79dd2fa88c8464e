"""Forms parse input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.accounts.models import Unit
from gongkai.obligations.models import Audience, Mode, Obligation


class ObligationForm(forms.Form):
    number = forms.IntegerField(
        label="序号", min_value=0, max_value=99999, required=False
    )
    category = forms.CharField(
        label="一级事项", max_length=60, help_text="如：招生管理"
    )
    name = forms.CharField(label="二级事项", max_length=100, help_text="如：招生计划")
    elements = forms.CharField(
        label="公开内容（要素）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一个要素，如：学校名称、招生范围、招生计划",
    )
    basis = forms.CharField(
        label="公开依据", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    time_rule = forms.CharField(
        label="公开时限",
        max_length=100,
        required=False,
        help_text="留空即“信息形成或者变更之日起20个工作日内”；定期事项如“每年6月30日前”",
    )
    for_owner = forms.BooleanField(label="本单位为公开主体", required=False)
    for_schools = forms.BooleanField(label="各学校为公开主体", required=False)
    named_units = forms.ModelMultipleChoiceField(
        label="其他公开主体",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    channels = forms.CharField(
        label="公开渠道和载体",
        max_length=200,
        required=False,
        help_text="如：政府网站、政务新媒体、学校公告栏",
    )
    audience = forms.ChoiceField(label="公开对象", choices=Audience.choices)
    mode = forms.ChoiceField(label="公开方式", choices=Mode.choices)
    levels = forms.MultipleChoiceField(
        label="公开层级",
        choices=[("县级", "县级"), ("乡级", "乡级")],
        widget=forms.CheckboxSelectMultiple,
    )
    keywords = forms.CharField(
        label="匹配关键词",
        max_length=200,
        required=False,
        help_text="用顿号分隔；起草信息时据此推荐所属事项",
    )
    effective_from = forms.DateField(
        label="执行日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="此前已截止的期间不计入落实情况；留空为本年1月1日",
    )

    def __init__(self, *args: Any, owner: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named_units"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            path__startswith=owner.path, is_active=True
        ).exclude(pk=owner.pk)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["levels"] = "、".join(data["levels"])
        return data

    @staticmethod
    def initial_of(obligation: Obligation) -> dict[str, Any]:
        return {
            "number": obligation.number,
            "category": obligation.category,
            "name": obligation.name,
            "elements": obligation.elements,
            "basis": obligation.basis,
            "time_rule": obligation.time_rule,
            "for_owner": obligation.for_owner,
            "for_schools": obligation.for_schools,
            "named_units": list(obligation.named_units.all()),
            "channels": obligation.channels,
            "audience": obligation.audience,
            "mode": obligation.mode,
            "levels": obligation.levels.split("、"),
            "keywords": obligation.keywords,
            "effective_from": obligation.effective_from,
        }


class ImportForm(forms.Form):
    file = forms.FileField(label="标准目录文件（CSV 或 XLSX）")
    update_existing = forms.BooleanField(
        label="更新已有事项",
        required=False,
        help_text="一级事项和二级事项相同的行更新已有事项；不勾选时视为重复",
    )


class ExemptForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="单位", queryset=Unit.objects.none(), empty_label="请选择单位"
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    reason = forms.CharField(label="不适用原因", max_length=200)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in units]
        )


class LinkForm(forms.Form):
    obligation = forms.ModelChoiceField(
        label="公开事项",
        queryset=Obligation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    period = forms.CharField(
        label="期间",
        max_length=16,
        required=False,
        help_text="留空按信息形成日期确定，如“2026”；一年多个时限的事项如“2026-2”",
    )

    def __init__(self, *args: Any, obligations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["obligation"].queryset = obligations  # type: ignore[attr-defined]
        self.fields["obligation"].label_from_instance = (  # type: ignore[attr-defined]
            lambda o: f"{o.number}. {o.category}›{o.name}（{o.time_rule}）"
        )
