"""The public portal's shell: home, column pages, the elder-mode switch."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongkai.accounts.selectors import site_unit
from gongkai.catalogue.models import Column
from gongkai.catalogue.selectors import public_columns
from gongkai.core.context_processors import ELDER_COOKIE


def home(request: HttpRequest) -> HttpResponse:
    unit = site_unit()
    columns = list(public_columns(unit)) if unit else []
    return render(request, "portal/home.html", {"columns": columns, "title": "首页"})


def column(request: HttpRequest, slug: str) -> HttpResponse:
    unit = site_unit()
    if unit is None:
        raise Http404
    col = get_object_or_404(Column, unit=unit, slug=slug, is_visible=True)
    return render(
        request,
        "portal/column.html",
        {"column": col, "columns": list(public_columns(unit)), "title": col.name},
    )


@require_POST
def toggle_elder_mode(request: HttpRequest) -> HttpResponse:
    """长者模式: larger text and higher contrast, kept in a cookie; works without JS."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get(ELDER_COOKIE) == "1":
        response.delete_cookie(ELDER_COOKIE)
    else:
        response.set_cookie(ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax")
    return response
