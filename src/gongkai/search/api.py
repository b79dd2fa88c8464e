"""The search as JSON: ``GET /api/search?q=…&page=…&page_size=…`` (≤ 1,000 per
page) plus the filters ``unit``, ``column``, ``kind``, ``year``, ``validity`` and
``sort`` (``relevance`` or ``date``). Parameters are strict: anything unusable is
an ``InvalidSearch`` (a 400 in the view) naming the parameter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gongkai.search.params import (
    API_PAGE_MAX_SIZE,
    InvalidSearch,
    parse_params,
)
from gongkai.search.selectors import Hit, search


def hit_payload(hit: Hit) -> dict[str, Any]:
    document = hit.document
    return {
        "id": document.item_id,
        "external_id": document.external_id,
        "title": document.title,
        "unit": document.unit.name,
        "unit_id": document.unit_id,
        "column": document.column.name,
        "column_id": document.column_id,
        "kind": document.kind.name,
        "date": timezone.localtime(document.published_at).date().isoformat(),
        "published_at": timezone.localtime(document.published_at).isoformat(),
        "document_number": document.document_number,
        "index_number": document.index_number,
        "validity": document.validity,
        "url": reverse("portal:item", args=[document.item_id]),
        "snippet": hit.snippet,
        "exact": hit.exact,
    }


def search_api_payload(params: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body for the query-string ``params``; raises ``InvalidSearch``."""
    parsed, _ = parse_params(params, strict=True, max_page_size=API_PAGE_MAX_SIZE)
    if not parsed.has_criteria:
        raise InvalidSearch("q", "请提供检索词 q 或至少一个筛选条件")
    results = search(parsed, clamp_page=False)
    return {
        "query": parsed.q,
        "terms": list(parsed.terms),
        "total": results.total,
        # "eq": exactly ``total`` results; "gte": more, only ``total`` reachable.
        "total_relation": "gte" if results.more else "eq",
        "page": results.page,
        "page_size": parsed.page_size,
        "num_pages": results.num_pages,
        "results": [hit_payload(hit) for hit in results.hits],
    }
