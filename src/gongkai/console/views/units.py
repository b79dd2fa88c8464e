from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.accounts import permissions
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Unit, User
from gongkai.accounts.selectors import departments_of, units_visible_to
from gongkai.accounts.services import create_department, create_unit, update_unit
from gongkai.catalogue.models import Column
from gongkai.console.forms import DepartmentForm, UnitEditForm, UnitForm
from gongkai.console.views.common import (
    add_service_error,
    scoped_unit_or_404,
    staff_view,
)


@staff_view()
def unit_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    units = list(units_visible_to(user))
    base = user.unit.depth if user.unit else 0
    rows = [(u, range(u.depth - base)) for u in units]
    return render(
        request,
        "console/units.html",
        {
            "title": "单位",
            "rows": rows,
            "can_manage": permissions.can_manage_units(user),
        },
    )


@staff_view()
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    unit = scoped_unit_or_404(user, get_object_or_404(Unit, pk=pk), request)
    return render(
        request,
        "console/unit_detail.html",
        {
            "title": unit.name,
            "unit": unit,
            "departments": departments_of(unit),
            "columns": Column.objects.filter(unit=unit),
            "children": unit.children.all(),
            "can_manage": permissions.can_manage_units(user),
        },
    )


@staff_view(permissions.can_manage_units)
def unit_create(request: HttpRequest, parent_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    parent = scoped_unit_or_404(user, get_object_or_404(Unit, pk=parent_pk), request)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            unit = create_unit(actor=user, parent=parent, **data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已新建单位：{unit.name}")
            return redirect("console:unit", pk=unit.pk)
    return render(
        request,
        "console/form.html",
        {"form": form, "title": f"在“{parent.short_name}”下新建单位"},
    )


@staff_view(permissions.can_manage_units)
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    unit = scoped_unit_or_404(user, get_object_or_404(Unit, pk=pk), request)
    initial = {f: getattr(unit, f) for f in UnitEditForm.base_fields}
    form = UnitEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_unit(actor=user, unit=unit, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "单位信息已保存。")
            return redirect("console:unit", pk=unit.pk)
    return render(
        request, "console/form.html", {"form": form, "title": f"修改：{unit.name}"}
    )


@staff_view(permissions.can_manage_units)
def department_create(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    unit = scoped_unit_or_404(user, get_object_or_404(Unit, pk=pk), request)
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create_department(actor=user, unit=unit, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "内设机构已新建。")
            return redirect("console:unit", pk=unit.pk)
    return render(
        request,
        "console/form.html",
        {"form": form, "title": f"{unit.short_name}：新建内设机构"},
    )
