"""Staff views of the 标准目录: the catalogue, editing, import, export and the
coverage matrix."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.accounts.roles import Role
from gongkai.accounts.selectors import units_visible_to
from gongkai.console.views.common import add_service_error, staff_view
from gongkai.law.obligations import STATUS_LABELS
from gongkai.obligations import exporting, services
from gongkai.obligations.coverage import build_matrix, staff_matrix
from gongkai.obligations.forms import ExemptForm, ImportForm, ObligationForm
from gongkai.obligations.importing import ImportRejected, import_obligations
from gongkai.obligations.models import Obligation
from gongkai.obligations.permissions import can_edit_catalogue, can_exempt
from gongkai.obligations.selectors import (
    exemptions_of,
    obligations_visible_to,
    responsible_units,
)
from gongkai.obligations.views.common import chosen_year, year_choices
from gongkai.workdays.selectors import work_calendar

MAX_UPLOAD = 5 * 1024 * 1024


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _officer(user: User) -> bool:
    return user.has_role(Role.DISCLOSURE_OFFICER)


def _visible(request: HttpRequest, pk: int) -> Obligation:
    return get_object_or_404(obligations_visible_to(_user(request)), pk=pk)


def _editable(request: HttpRequest, pk: int) -> Obligation:
    obligation = _visible(request, pk)
    if not can_edit_catalogue(_user(request), obligation.unit):
        raise ServiceError("只有公开办工作人员可以编辑标准目录")
    return obligation


@staff_view()
def obligation_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    groups: dict[Unit, list[Obligation]] = defaultdict(list)
    for obligation in obligations_visible_to(user):
        groups[obligation.unit].append(obligation)
    return render(
        request,
        "obligations/console_list.html",
        {
            "title": "标准目录",
            "groups": [
                (unit, rows, can_edit_catalogue(user, unit))
                for unit, rows in groups.items()
            ],
            "can_edit": user.unit is not None and can_edit_catalogue(user, user.unit),
        },
    )


@staff_view(_officer)
def obligation_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    assert user.unit is not None
    form = ObligationForm(
        request.POST or None,
        owner=user.unit,
        initial={"for_owner": True, "levels": ["县级"], "audience": "public"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            obligation = services.create_obligation(
                actor=user, unit=user.unit, **form.service_fields()
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已新增公开事项“{obligation}”。")
            return redirect("console:obligation", pk=obligation.pk)
    return render(request, "console/form.html", {"form": form, "title": "新增公开事项"})


@staff_view(_officer)
def obligation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    try:
        obligation = _editable(request, pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("console:obligation", pk=pk)
    form = ObligationForm(
        request.POST or None,
        owner=obligation.unit,
        initial=ObligationForm.initial_of(obligation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_obligation(
                actor=user, obligation=obligation, **form.service_fields()
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("console:obligation", pk=obligation.pk)
    return render(
        request, "console/form.html", {"form": form, "title": f"修改：{obligation}"}
    )


@staff_view(_officer)
@require_POST
def obligation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = _visible(request, pk)
    try:
        services.delete_obligation(actor=_user(request), obligation=obligation)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("console:obligation", pk=pk)
    messages.success(request, f"已删除公开事项“{obligation}”。")
    return redirect("console:obligation_list")


@staff_view()
def obligation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    obligation = _visible(request, pk)
    today = timezone.localdate()
    year = chosen_year(request, today)
    units = responsible_units(obligation, units_visible_to(user).order_by("path"))
    matrix = build_matrix(
        units=units,
        obligations=[obligation],
        year=year,
        today=today,
        calendar=work_calendar(),
    )
    exemptible = [u for u in units if can_exempt(user, u)]
    return render(
        request,
        "obligations/console_detail.html",
        {
            "title": str(obligation),
            "obligation": obligation,
            "year": year,
            "years": year_choices(today),
            "cells": matrix.cells(),
            "exemptions": [
                e for e in exemptions_of(obligation, year) if e.unit in exemptible
            ],
            "exempt_form": ExemptForm(units=exemptible, initial={"year": year})
            if exemptible
            else None,
            "can_edit": can_edit_catalogue(user, obligation.unit),
            "responsible": exporting.responsible_text(obligation),
        },
    )


@staff_view()
def obligation_coverage(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    year = chosen_year(request, today)
    matrix = staff_matrix(user, year=year, today=today, calendar=work_calendar())
    return render(
        request,
        "obligations/console_coverage.html",
        {
            "title": f"标准目录落实情况（{year}年）",
            "matrix": matrix,
            "year": year,
            "years": year_choices(today),
            "counts": [
                (s.value, STATUS_LABELS[s], n) for s, n in matrix.counts().items()
            ],
        },
    )


@staff_view()
def obligation_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    year = chosen_year(request, today)
    fmt = request.GET.get("format", "xlsx")
    what = request.GET.get("what", "catalogue")
    if fmt not in exporting.FORMATS or what not in exporting.WHATS:
        messages.error(request, "导出格式应为 JSON、CSV 或 XLSX")
        return redirect("console:obligation_list")
    matrix = staff_matrix(user, year=year, today=today, calendar=work_calendar())
    result = exporting.export(
        what=what,
        fmt=fmt,
        obligations=list(obligations_visible_to(user)),
        matrix=matrix,
        stem=f"obligations-{what}-{year}",
    )
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


@staff_view(_officer)
def obligation_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    assert user.unit is not None
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size and upload.size > MAX_UPLOAD:
                raise ImportRejected(["文件超过5MB"])
            result = import_obligations(
                actor=user,
                unit=user.unit,
                filename=upload.name or "",
                content=upload.read(),
                update_existing=form.cleaned_data["update_existing"],
            )
        except ImportRejected as exc:
            errors = exc.errors
        except ServiceError as exc:
            errors = [exc.message]
        else:
            messages.success(
                request,
                f"已导入：新增{result.created}项，更新{result.updated}项。",
            )
            return redirect("console:obligation_list")
    return render(
        request,
        "obligations/console_import.html",
        {"title": "导入标准目录", "form": form, "errors": errors},
    )
