"""Tokenising in a helper process gives the same index as tokenising here, and
an item that changes between being read and being written is indexed as it is
when written."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from gongkai.catalogue.models import Item
from gongkai.search import services
from gongkai.search.models import SearchDocument
from gongkai.search.services import index_items, rebuild_index
from gongkai.search.tokenising import Tokeniser, helper_processes, tokeniser
from tests.catalogue.conftest import School
from tests.search.conftest import found
from tests.search.test_bounded_ranking import make_items

FIELDS = ("item_id", "title", "title_folded", "meta_folded", "text", "folded", "year")


def documents() -> list[tuple[Any, ...]]:
    return list(SearchDocument.objects.order_by("item_id").values_list(*FIELDS))


def test_a_helper_process_tokenises_the_same_as_this_one(
    school: School, settings: Any
) -> None:
    ids = make_items(school, 40, 11)
    settings.GONGKAI_INDEX_PROCESSES = 0
    index_items(ids, batch_size=4)
    here = documents()
    matches = {q: sorted(found(q)) for q in ("招生", "学", "通知公开")}
    settings.GONGKAI_INDEX_PROCESSES = 1
    with tokeniser(("bigrams",), 10) as tokens:
        assert tokens.executor is not None  # really in another process
    index_items(ids, batch_size=4)
    assert documents() == here
    assert {q: sorted(found(q)) for q in matches} == matches
    if connection.vendor == "sqlite":
        assert rebuild_index(batch_size=4).indexed == 40
        assert documents() == here


def test_the_helper_is_used_for_large_runs_only(settings: Any) -> None:
    settings.GONGKAI_INDEX_PROCESSES = None
    assert helper_processes() in {0, 1}
    settings.GONGKAI_INDEX_PROCESSES = 1
    with tokeniser((), 2) as tokens:
        assert tokens.executor is None
    settings.GONGKAI_INDEX_PROCESSES = 0
    with tokeniser((), 100) as tokens:
        assert tokens.executor is None


@pytest.mark.parametrize("change", ["withdrawn", "published", "new revision"])
def test_an_item_changed_after_it_was_read_is_indexed_as_it_is_when_written(
    school: School, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    ids = make_items(school, 6, 12)
    first, second = ids[0], ids[1]
    Item.objects.filter(pk=second).update(is_public=False)
    index_items(ids)
    other_revision = Item.objects.get(pk=ids[2]).published_revision_id
    original_read = services._read

    def read_then_change(item_ids: list[int], tokens: Tokeniser) -> Any:
        batch = original_read(item_ids, tokens)
        if change == "withdrawn":
            Item.objects.filter(pk=first).update(is_public=False)
        elif change == "published":
            Item.objects.filter(pk=second).update(is_public=True)
        else:
            Item.objects.filter(pk=first).update(published_revision_id=other_revision)
        monkeypatch.setattr(services, "_read", original_read)
        return batch

    monkeypatch.setattr(services, "_read", read_then_change)
    index_items(ids)
    indexed = dict(SearchDocument.objects.values_list("item_id", "title"))
    if change == "withdrawn":
        assert first not in indexed and second not in indexed
    elif change == "published":
        assert first in indexed and second in indexed
    else:
        assert indexed[first] == indexed[ids[2]]
    assert len(indexed) == Item.objects.filter(is_public=True).count()
