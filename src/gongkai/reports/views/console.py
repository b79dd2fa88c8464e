"""The office drafts the annual report here; review and publication happen on the
report's item page like any other item."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import User
from gongkai.accounts.roles import Role
from gongkai.console.views.common import scoped_unit_or_404, staff_view
from gongkai.reports import drafting
from gongkai.reports.models import ReportDraft


class NarrativeForm(forms.Form):
    overview = forms.CharField(
        label="一、总体情况", widget=forms.Textarea(attrs={"rows": 10}), max_length=6000
    )
    problems = forms.CharField(
        label="五、存在的主要问题及改进情况",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
    )
    other = forms.CharField(
        label="六、其他需要报告的事项",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


def _author(user: User) -> bool:
    return user.has_role(Role.AUTHOR) or user.has_role(Role.DISCLOSURE_OFFICER)


@staff_view(_author)
def report_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    assert user.unit is not None
    drafts = ReportDraft.objects.filter(
        unit__path__startswith=user.unit.path
    ).select_related("unit", "item")
    if request.method == "POST":
        try:
            draft = drafting.start_draft(
                actor=user, unit=user.unit, year=int(request.POST.get("year", "0") or 0)
            )
        except (ServiceError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", "年份无效"))
        else:
            return redirect("console:report_draft", pk=draft.pk)
    return render(
        request,
        "reports/console_list.html",
        {
            "title": "年度报告",
            "drafts": drafts,
            "last_year": timezone.localdate().year - 1,
        },
    )


@staff_view(_author)
def report_draft(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    draft = get_object_or_404(ReportDraft.objects.select_related("unit", "item"), pk=pk)
    scoped_unit_or_404(user, draft.unit, request)
    form = NarrativeForm(
        request.POST or None,
        initial={
            "overview": draft.overview,
            "problems": draft.problems,
            "other": draft.other,
        },
    )
    check = None
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "submit":
                drafting.update_narrative(actor=user, draft=draft, **form.cleaned_data)
                check = drafting.submit_report(actor=user, draft=draft)
                messages.success(request, "已提交审核。")
                assert draft.item is not None
                return redirect("console:item", pk=draft.item.pk)
            check = drafting.update_narrative(
                actor=user, draft=draft, **form.cleaned_data
            )
            messages.success(request, "正文已保存。")
        except ServiceError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "reports/console_draft.html",
        {
            "title": f"{draft.unit.short_name}{draft.year}年度报告",
            "draft": draft,
            "form": form,
            "check": check or drafting.check_draft(draft),
        },
    )
