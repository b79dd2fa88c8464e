"""The public list of published annual reports (items of kind 年度报告)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.accounts.selectors import site_unit
from gongkai.catalogue.selectors import public_columns, public_items

PAGE_SIZE = 20


@require_GET
def annual_reports(request: HttpRequest) -> HttpResponse:
    unit = site_unit()
    if unit is None:
        raise Http404
    reports = public_items().filter(
        unit__path__startswith=unit.path,
        published_revision__kind__report_role="annual_report",
    )
    try:
        number = max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        number = 1
    page = Paginator(reports, PAGE_SIZE).get_page(number)
    return render(
        request,
        "reports/public_list.html",
        {
            "title": "政府信息公开工作年度报告",
            "page": page,
            "columns": list(public_columns(unit)),
        },
    )
