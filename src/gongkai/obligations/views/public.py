"""The portal's 标准目录 pages: a unit's obligations with links to the items
that fulfil them (how county portals show their 标准目录)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from gongkai.accounts.models import Unit
from gongkai.accounts.selectors import site_unit
from gongkai.catalogue.selectors import public_columns
from gongkai.obligations import exporting
from gongkai.obligations.coverage import unit_matrix
from gongkai.obligations.selectors import public_units
from gongkai.obligations.views.common import chosen_year, legend, year_choices
from gongkai.workdays.selectors import work_calendar


def _page(request: HttpRequest, unit: Unit) -> HttpResponse:
    site = site_unit()
    if site is None:
        raise Http404
    today = timezone.localdate()
    year = chosen_year(request, today)
    matrix = unit_matrix(
        unit, year=year, today=today, calendar=work_calendar(), public_only=True
    )
    rows = [
        (row.obligation, exporting.responsible_text(row.obligation), row.cells[0])
        for row in matrix.rows
    ]
    return render(
        request,
        "obligations/portal_unit.html",
        {
            "title": f"{unit.name}政务公开标准目录",
            "unit": unit,
            "rows": rows,
            "year": year,
            "years": year_choices(today),
            "legend": legend(),
            "units": public_units(site).order_by("path"),
            "columns": list(public_columns(site)),
        },
    )


def obligation_index(request: HttpRequest) -> HttpResponse:
    unit = site_unit()
    if unit is None:
        raise Http404
    return _page(request, unit)


def obligation_unit(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_object_or_404(Unit, pk=pk, is_active=True))
