from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from gongkai.accounts.models import Department, Unit, UnitKind
from gongkai.accounts.roles import Role


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages = {
            "invalid_login": "用户名或密码错误。请注意区分大小写；连续多次输入错误，账号将被暂时锁定。",
            "inactive": "该账号已停用，请联系系统管理员。",
        }
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


class UnitForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=40)
    org_code = forms.RegexField(
        label="组织机构代码",
        regex=r"^[0-9A-Z]{8,18}$",
        max_length=18,
        error_messages={"invalid": "组织机构代码应为8至18位数字或大写字母"},
    )
    kind = forms.ChoiceField(label="类型", choices=UnitKind.choices)
    address = forms.CharField(label="办公地址", max_length=200, required=False)
    postcode = forms.RegexField(
        label="邮政编码",
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": "邮政编码应为6位数字"},
    )
    office_hours = forms.CharField(label="办公时间", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    fax = forms.CharField(label="传真", max_length=40, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)


class UnitEditForm(UnitForm):
    kind = None  # type: ignore[assignment]


class DepartmentForm(forms.Form):
    name = forms.CharField(label="名称", max_length=60)
    is_disclosure_office = forms.BooleanField(
        label="是政府信息公开工作机构", required=False
    )
    phone = forms.CharField(label="联系电话", max_length=40, required=False)


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label="用户名",
        regex=r"^[A-Za-z0-9_.-]{3,40}$",
        error_messages={"invalid": "用户名为3至40位字母、数字或 _ . -"},
    )
    full_name = forms.CharField(label="姓名", max_length=40)
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    department = forms.ModelChoiceField(
        label="内设机构", queryset=Department.objects.none(), required=False
    )
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["department"].queryset = Department.objects.filter(unit__in=units)  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class PasswordForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(
        label="再次输入", widget=forms.PasswordInput, strip=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") != data.get("password2"):
            raise forms.ValidationError("两次输入的密码不一致")
        return data


class AuditFilterForm(forms.Form):
    action = forms.CharField(label="事件类型", max_length=64, required=False)
    actor = forms.CharField(label="操作人", max_length=150, required=False)
    object_id = forms.CharField(label="对象编号", max_length=64, required=False)
    since = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
