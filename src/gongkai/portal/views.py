"""The public portal's shell: home, column pages, the elder-mode switch."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from gongkai.accounts.selectors import site_unit
from gongkai.catalogue.selectors import public_columns
from gongkai.catalogue.views.public import page_number
from gongkai.core.context_processors import ELDER_COOKIE
from gongkai.portal.guide import guide_context
from gongkai.search.listing import FACETS, catalogue, clean_filters, latest


def home(request: HttpRequest) -> HttpResponse:
    unit = site_unit()
    columns = list(public_columns(unit)) if unit else []
    newest = [(c, latest(column=c)) for c in columns]
    return render(
        request,
        "portal/home.html",
        {"columns": columns, "latest": newest, "title": "首页"},
    )


def guide(request: HttpRequest) -> HttpResponse:
    unit = site_unit()
    if unit is None:
        raise Http404
    return render(
        request,
        "portal/guide.html",
        {
            "title": "政府信息公开指南",
            **guide_context(unit),
            "columns": list(public_columns(unit)),
        },
    )


def catalogue_index(request: HttpRequest) -> HttpResponse:
    """公开目录: browse by unit, column, topic, genre, kind and year."""
    unit = site_unit()
    if unit is None:
        raise Http404
    filters, ignored = clean_filters({k: request.GET.get(k, "") for k in FACETS})
    page, facets = catalogue(unit, filters, page_number(request))
    query = urlencode(filters)
    return render(
        request,
        "portal/catalogue.html",
        {
            "title": "政府信息公开目录",
            "columns": list(public_columns(unit)),
            "page": page,
            "facets": facets,
            "filters": filters,
            "ignored": ignored,
            "query": query,
        },
    )


@require_GET
def toggle_elder_mode(request: HttpRequest) -> HttpResponse:
    """长者模式: larger text and higher contrast, kept in a cookie; works without JS.

    A plain link (GET): it changes only a display preference of this browser, so the
    pages carry no CSRF token and stay cacheable (ETag, 304)."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get(ELDER_COOKIE) == "1":
        response.delete_cookie(ELDER_COOKIE)
    else:
        response.set_cookie(ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax")
    return response
