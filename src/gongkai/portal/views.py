"""The public portal's shell: home, column pages, the elder-mode switch."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongkai.accounts.selectors import site_unit
from gongkai.catalogue.selectors import column_items, public_columns
from gongkai.core.context_processors import ELDER_COOKIE


def home(request: HttpRequest) -> HttpResponse:
    unit = site_unit()
    columns = list(public_columns(unit)) if unit else []
    latest = [(c, list(column_items(c)[:5])) for c in columns]
    return render(
        request,
        "portal/home.html",
        {"columns": columns, "latest": latest, "title": "首页"},
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
