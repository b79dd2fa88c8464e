"""The first pages come from bounded index walks (the newest matches and the
newest title matches), and counts stop at a limit: the results must still be
exactly those of scoring every match, page after page, and a count past the
limit must say so."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.catalogue.models import Item, ItemRevision, Kind, Status, Validity
from gongkai.search.backends.base import Where
from gongkai.search.backends.postgres import PostgresBackend
from gongkai.search.backends.sqlite import _matches
from gongkai.search.facets import search_facets
from gongkai.search.models import SearchDocument
from gongkai.search.params import parse_params
from gongkai.search.selectors import (
    EXACT_BONUS_DAYS,
    TITLE_BONUS_DAYS,
    exact_matches,
    search,
)
from gongkai.search.services import index_items
from gongkai.search.tokens import query_terms
from tests.catalogue.conftest import School
from tests.conftest import World

ALPHABET = "招生学校通知公开"
START = datetime(2016, 1, 1, 8, 0, tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True)
class Doc:
    pk: int
    title: str
    text: str  # title, 文号/索引号 and body, folded, for brute force
    rank_day: int
    published_at: datetime


def _words(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def make_items(school: School, n: int, seed: int) -> list[int]:
    """``n`` published items straight into the tables (as an import writes
    them), each published in its own second over ten years, then indexed."""
    rng = random.Random(seed)
    kinds = list(Kind.objects.order_by("pk")[:2])
    seconds = rng.sample(range(10 * 365 * 86400), n)
    ids: list[int] = []
    for number, second in enumerate(seconds):
        item = Item.objects.create(
            unit=school.column.unit,
            status=Status.PUBLISHED,
            imported=True,
            external_id=f"rank-{number}",
            published_at=START + timedelta(seconds=second),
            index_number=f"RANK/{number:05d}",
            validity=Validity.IN_FORCE if number % 5 else Validity.EXPIRED,
        )
        revision = ItemRevision.objects.create(
            item=item,
            number=1,
            column=school.column,
            kind=kinds[number % len(kinds)],
            title=_words(rng, rng.randint(2, 6)),
            body=f"<p>{_words(rng, rng.randint(0, 12))}</p>",
            formed_on=item.published_at.date(),  # type: ignore[union-attr]
        )
        Item.objects.filter(pk=item.pk).update(
            published_revision=revision, draft_revision=revision, is_public=True
        )
        ids.append(item.pk)
    index_items(ids)
    return ids


def corpus() -> list[Doc]:
    return [
        Doc(
            d.pk,
            d.title_folded,
            "\n".join([d.title_folded, d.meta_folded, d.folded]),
            d.rank_day,
            d.published_at,
        )
        for d in SearchDocument.objects.all()
    ]


def expected_order(docs: list[Doc], q: str, sort: str = "relevance") -> list[int]:
    """Every matching document scored, as the ranking is defined."""
    terms = query_terms(q)
    exact = set(exact_matches(q))
    scored = []
    for doc in docs:
        if not (all(t in doc.text for t in terms) or doc.pk in exact):
            continue
        score = doc.rank_day
        if sort == "relevance":
            score += TITLE_BONUS_DAYS * all(t in doc.title for t in terms)
            score += EXACT_BONUS_DAYS * (doc.pk in exact)
        scored.append((score, doc.published_at, doc.pk))
    return [pk for *_, pk in sorted(scored, reverse=True)]


def page_ids(q: str, page: int, size: int, sort: str = "relevance") -> list[int]:
    params, _ = parse_params(
        {"q": q, "page": page, "page_size": size, "sort": sort}, strict=True
    )
    return [hit.document.pk for hit in search(params, clamp_page=False).hits]


@pytest.mark.parametrize("seed", [1, 2])
def test_every_page_is_the_page_of_the_full_scoring(school: School, seed: int) -> None:
    make_items(school, 60, seed)
    docs = corpus()
    rng = random.Random(seed)
    queries = [_words(rng, rng.randint(1, 3)) for _ in range(25)]
    queries += [f"{_words(rng, 1)} {_words(rng, 2)}", "RANK/00007"]
    for q in queries:
        for sort in ("relevance", "date"):
            expected = expected_order(docs, q, sort)
            got: list[int] = []
            for page in range(1, len(expected) // 7 + 2):
                got += page_ids(q, page, 7, sort)
            assert got == expected, (q, sort)


def test_documents_are_keyed_in_publication_order_on_sqlite(school: School) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("FTS5 row ids exist on SQLite only")
    ids = make_items(school, 30, 3)
    # Three more in one second: distinct row ids, still in order.
    same = Item.objects.filter(pk__in=ids[:3])
    same.update(published_at=START)
    index_items(ids[:3])
    index_items(ids[:1])  # rewritten: a new row id past its old one
    rows = list(SearchDocument.objects.values_list("published_at", "fts_rowid"))
    assert len({rowid for _, rowid in rows}) == len(rows)
    # Later means a lower row id (within one second, any order).
    by_time = [
        r or 0 for _, r in sorted(rows, key=lambda row: (row[0], -(row[1] or 0)))
    ]
    assert by_time == sorted(by_time, reverse=True)
    assert sum(1 for at, _ in rows if at == START) == 3


def test_a_character_with_a_phrase_walks_one_fts_table_and_checks_the_rest(
    school: School,
) -> None:
    """Joining a second FTS5 table makes SQLite run its query again for every
    row (minutes for a common character at a million documents): the phrase
    drives the walk, the character is checked on the rows it yields."""
    if connection.vendor != "sqlite":
        pytest.skip("FTS5 tables exist on SQLite only")
    make_items(school, 60, 4)
    docs = corpus()
    # A character and a phrase of one document's title.
    pieces = [(d.title[0], d.title[1:]) for d in docs if len(d.title) > 2][:3]
    for q in [f"{char} {phrase}" for char, phrase in pieces] + ["公 开 学校"]:
        sql, _ = _matches(query_terms(q), Where())
        assert sql.count(" MATCH ") == 1, q
        expected = expected_order(docs, q)
        assert expected and page_ids(q, 1, 50) == expected[:50], q
        title_sql, _ = _matches(query_terms(q), Where(), title=True)
        assert title_sql.count(" MATCH ") == 1 and "search_fts_titles" in title_sql


def test_a_count_past_the_limit_is_a_lower_bound_and_paging_stops_there(
    school: School, settings: Any, client: Client
) -> None:
    make_items(school, 40, 4)
    docs = corpus()
    settings.GONGKAI_SEARCH_COUNT_LIMIT = 5
    matching = expected_order(docs, "学")
    assert len(matching) > 5
    params, _ = parse_params({"q": "学", "page_size": 2}, strict=True)
    first = search(params)
    assert (first.total, first.more, first.num_pages) == (5, True, 3)
    assert [h.document.pk for h in first.hits] == matching[:2]
    params, _ = parse_params({"q": "学", "page_size": 2, "page": 3}, strict=True)
    assert [h.document.pk for h in search(params).hits] == matching[4:5]
    params, _ = parse_params({"q": "学", "page_size": 2, "page": 4}, strict=True)
    assert search(params, clamp_page=False).hits == []

    payload = json.loads(client.get(reverse("portal:api_search"), {"q": "学"}).content)
    assert (payload["total"], payload["total_relation"]) == (5, "gte")
    assert len(payload["results"]) == 5
    page = client.get(reverse("portal:search"), {"q": "学"}).content.decode()
    assert "找到 <strong>5</strong> 条以上" in page
    assert "按最新的 5 条结果统计" in page

    pairs = [a + b for a in ALPHABET for b in ALPHABET]
    rare = next(q for q in pairs if 0 < len(expected_order(docs, q)) <= 5)
    payload = json.loads(client.get(reverse("portal:api_search"), {"q": rare}).content)
    assert payload["total_relation"] == "eq"
    assert payload["total"] == len(expected_order(docs, rare))


# Phrases of three characters, which PostgreSQL confirms with LIKE.
TRIPLES = [a + b + c for a in "招生学" for b in "学校通" for c in "校通知"]


def phrase_corpus(
    school: School,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    limit: int,
    probe: int,
    n: int,
    seed: int,
) -> list[Doc]:
    """``n`` items, counted up to ``limit``, with PostgreSQL's probe of the
    newest documents reading ``probe`` of them."""
    monkeypatch.setattr(PostgresBackend, "PROBE_ROWS", probe)
    make_items(school, n, seed)
    settings.GONGKAI_SEARCH_COUNT_LIMIT = limit
    return corpus()


@pytest.mark.parametrize("probe", [4, 2000])
@pytest.mark.parametrize("limit", [1, 2, 10_000])
def test_phrases_counted_in_the_pass_that_finds_their_newest_match_exactly(
    school: School,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    limit: int,
    probe: int,
) -> None:
    # PostgreSQL reads every match of a phrase (three or more characters) once
    # for both the newest and the count, and finds the newest of a phrase
    # matching past the count limit by probing the newest documents first
    # (``probe`` of them: too few, so the ordinary walk follows, or enough); at,
    # under and over the count limit the results must equal scoring every match.
    docs = phrase_corpus(school, settings, monkeypatch, limit, probe, 50, 6)
    checked = 0
    for q in TRIPLES:
        expected = expected_order(docs, q)
        if not expected:
            continue
        checked += 1
        for size in (2, 5):
            params, _ = parse_params({"q": q, "page_size": size}, strict=True)
            results = search(params)
            counted = (min(len(expected), limit), len(expected) > limit)
            assert (results.total, results.more) == counted, q
            shown = expected[: min(size, limit)]  # paging stops at the limit
            assert [h.document.pk for h in results.hits] == shown, q
    assert checked >= 5


def test_sampled_facet_counts_cover_the_newest_matches(
    school: School, settings: Any, world: World
) -> None:
    make_items(school, 40, 5)
    docs = corpus()
    settings.GONGKAI_SEARCH_COUNT_LIMIT = 6
    newest = expected_order(docs, "学", sort="date")[:6]
    params, _ = parse_params({"q": "学"}, strict=True)
    facets = search_facets(params, [])
    assert facets.sampled
    assert sum(o.count for o in facets.validity) == len(newest)
    settings.GONGKAI_SEARCH_COUNT_LIMIT = 10_000
    facets = search_facets(params, [])
    assert not facets.sampled
    assert sum(o.count for o in facets.unit) == len(expected_order(docs, "学"))


@pytest.mark.parametrize("probe", [4, 2000])
@pytest.mark.parametrize("limit", [1, 2, 10_000])
def test_facet_counts_of_a_phrase_cover_its_newest_matches(
    school: School,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    limit: int,
    probe: int,
) -> None:
    # PostgreSQL samples a phrase's newest matches the way it finds them for
    # the results page; the counts must be those of the newest matches.
    docs = phrase_corpus(school, settings, monkeypatch, limit, probe, 120, 7)
    validity = dict(SearchDocument.objects.values_list("pk", "validity"))
    checked = 0
    for q in TRIPLES:
        matches = expected_order(docs, q, sort="date")
        if len(matches) < 3:  # past the smaller limits
            continue
        newest = matches[:limit]
        checked += 1
        params, _ = parse_params({"q": q}, strict=True)
        facets = search_facets(params, [])
        counted = {o.value: o.count for o in facets.validity if o.count}
        expected: dict[str, int] = {}
        for pk in newest:
            expected[validity[pk]] = expected.get(validity[pk], 0) + 1
        assert counted == expected, q
    assert checked >= 3


@pytest.mark.parametrize("before", ["on", "off"])
def test_a_search_leaves_the_sequential_scan_setting_as_it_was(
    school: School, before: str
) -> None:
    # PostgreSQL is kept from a sequential scan for the unordered pass over a
    # query's matches, and only for that query.
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    make_items(school, 30, 5)
    docs = corpus()
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL enable_seqscan = {before}")
    for q in ("招生学", "招", "学校 通"):
        assert page_ids(q, 1, 50) == expected_order(docs, q)[:50]
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == before
