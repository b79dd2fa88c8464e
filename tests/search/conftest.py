"""Published items to search in, and a short way to ask the search."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from gongkai.catalogue.models import Item
from gongkai.search.params import API_PAGE_MAX_SIZE, parse_params
from gongkai.search.selectors import SearchResults, search
from tests.catalogue.conftest import School, draft, staff_for
from tests.catalogue.test_workflow import publish_quickly
from tests.conftest import World


@pytest.fixture
def school(world: World) -> School:
    return staff_for(world.school_a, "s")


def publish(school: School, title: str, body: str = "", **extra: Any) -> Item:
    """A published item of ``school`` (through the whole review chain)."""
    item = draft(school, title, body=body or f"<p>{title}</p>", **extra)
    publish_quickly(school, item)
    item.refresh_from_db()
    return item


def results(q: str = "", **filters: Any) -> SearchResults:
    data: Mapping[str, Any] = {"q": q, "page_size": API_PAGE_MAX_SIZE, **filters}
    params, _ = parse_params(data, strict=True, max_page_size=API_PAGE_MAX_SIZE)
    return search(params, clamp_page=False)


def found(q: str = "", **filters: Any) -> list[int]:
    """Item ids the search returns for ``q``, in ranking order."""
    return [hit.document.item_id for hit in results(q, **filters).hits]
