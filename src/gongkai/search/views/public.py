"""The search page (``/search/``) and its JSON twin (``/api/search``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.accounts.selectors import site_unit
from gongkai.catalogue.selectors import public_columns
from gongkai.search.api import search_api_payload
from gongkai.search.facets import search_facets
from gongkai.search.params import (
    PAGE_SIZE,
    SORTS,
    InvalidSearch,
    SearchParams,
    parse_params,
)
from gongkai.search.selectors import search

JSON_OPTIONS = {"ensure_ascii": False}


def _query_string(params: SearchParams) -> str:
    """The accepted parameters (not the dropped ones) for the pager's links."""
    values = {
        "q": params.q,
        "unit": params.unit,
        "column": params.column,
        "kind": params.kind,
        "year": params.year,
        "validity": params.validity,
        "sort": "" if params.sort == "relevance" else params.sort,
        "page_size": "" if params.page_size == PAGE_SIZE else params.page_size,
    }
    return urlencode({k: v for k, v in values.items() if v not in {None, ""}})


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    params, messages = parse_params(request.GET, strict=False)
    results = search(params) if params.has_criteria else None
    unit = site_unit()
    return render(
        request,
        "search/results.html",
        {
            "title": f"检索：{params.q}" if params.q else "站内检索",
            "columns": list(public_columns(unit)) if unit else [],
            "params": params,
            "results": results,
            "messages_": messages,
            "facets": search_facets(params, results.exact if results else []),
            "sorts": SORTS,
            "query_string": _query_string(params),
        },
    )


@require_GET
def api_search(request: HttpRequest) -> JsonResponse:
    try:
        payload = search_api_payload(request.GET)
    except InvalidSearch as error:
        return JsonResponse(
            {"error": error.message, "parameter": error.parameter},
            status=400,
            json_dumps_params=JSON_OPTIONS,
        )
    return JsonResponse(payload, json_dumps_params=JSON_OPTIONS)
