"""Search: which public items match, in what order, with snippets and facets.

Matching: every query term (whitespace separates terms) must occur in the item's
title, 文号/索引号, summary, body or attachment text, exactly as typed up to
folding (full-width and case); see ``backends``. A query that is a 文号 (any of
〔〕, [], () around the year), a 索引号 or an external id also finds that item
by exact lookup, ranked first.

Ranking (``sort=relevance``): the publication day as a number, plus two years
when every term is in the title, plus a large bonus for an exact lookup hit. A
title match thus outranks body matches of up to two years newer, and among
equals the newest comes first. ``sort=date`` is newest first.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Greatest, Least, Length, StrIndex, Substr
from django.utils.safestring import SafeString

from gongkai.accounts.errors import ServiceError
from gongkai.catalogue.models import Item, Kind
from gongkai.catalogue.services.common import normalise_document_number
from gongkai.search.backends import current_backend
from gongkai.search.backends.base import Newest, Ranked, Where, count_limit
from gongkai.search.models import SearchDocument
from gongkai.search.params import SearchParams
from gongkai.search.snippets import SNIPPET_BEFORE, SNIPPET_CHARS, highlight, snippet

TITLE_BONUS_DAYS = 730
EXACT_BONUS_DAYS = 10_000_000
MAX_EXACT = 100
_NOT_FOUND = 2**31 - 1
_BRACKETS = str.maketrans({"【": "[", "】": "]", "［": "[", "］": "]"})


@dataclass(frozen=True)
class Hit:
    document: SearchDocument
    title_html: SafeString
    snippet_html: SafeString
    snippet: str
    exact: bool


@dataclass(frozen=True)
class SearchResults:
    params: SearchParams
    total: int
    page: int
    num_pages: int
    hits: list[Hit]
    exact: list[int] = field(default_factory=list)
    # More results than counted: ``total`` is the count limit, a lower bound.
    more: bool = False

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.params.page_size + 1


def document_number_key(query: str) -> str | None:
    """The 文号 a query spells, in the catalogue's normal form, or None."""
    candidate = unicodedata.normalize("NFKC", query).translate(_BRACKETS)
    candidate = re.sub(r"\s+", "", candidate)
    try:
        return normalise_document_number(candidate) or None
    except ServiceError:
        return None


def exact_matches(query: str) -> list[int]:
    """Documents whose 文号, 索引号 or external id is exactly the query (full-width
    forms and lower-case letters accepted, as 索引号 are written in capitals)."""
    if not query:
        return []
    compatible = unicodedata.normalize("NFKC", query)
    keys = {query, compatible, compatible.upper()}
    condition = Q(index_number__in=keys) | Q(external_id__in=keys)
    number = document_number_key(query)
    if number:
        condition |= Q(document_number=number)
    return list(
        SearchDocument.objects.filter(condition)
        .order_by()
        .values_list("pk", flat=True)[:MAX_EXACT]
    )


def where_of(params: SearchParams) -> Where:
    """The filters as column values (the kind's slug looked up)."""
    kind_id = None
    if params.kind is not None:
        kind_id = (
            Kind.objects.filter(slug=params.kind).values_list("pk", flat=True).first()
        )
        if kind_id is None:
            kind_id = 0  # no such kind: nothing matches
    return Where(
        unit_id=params.unit,
        column_id=params.column,
        kind_id=kind_id,
        year=params.year,
        validity=params.validity,
    )


def matching_documents(params: SearchParams) -> QuerySet[SearchDocument]:
    """Every public document matching the terms and the filters (no ranking,
    no limit: for checks and exports, not for pages)."""
    documents = SearchDocument.objects.filter(where_of(params).q())
    if not params.terms:
        return documents
    return documents.filter(current_backend().condition(list(params.terms)))


@dataclass(frozen=True)
class _Scored:
    score: int
    key: tuple[Any, ...]
    pk: int


def _ranked_page(
    params: SearchParams,
    where: Where,
    exact: dict[int, tuple[Ranked, str]],
    found: Newest,
    complete: bool,
) -> list[int]:
    """Ids of the first results, best first: right as far as ``found.matches``
    is long.

    The score is the publication day, plus ``TITLE_BONUS_DAYS`` when every term
    is in the title, plus ``EXACT_BONUS_DAYS`` for an exact lookup hit; ties go
    to the newer. Among title matches, and among all matches, the score order
    is the newest-first order, so the first n results are among the n newest
    matches and the n newest title matches: two bounded index walks instead of
    scoring every match (the backend may have found the title matches on the
    way). When the newest matches are ``complete`` (every match), the title
    matches are found among them instead."""
    terms = list(params.terms)
    newest = found.matches
    scored = {r.pk: _Scored(r.rank_day, r.key, r.pk) for r in newest}
    relevance = bool(terms) and params.sort == "relevance"
    if relevance and complete:
        titles = SearchDocument.objects.filter(pk__in=list(scored)).values_list(
            "pk", "title_folded"
        )
        for pk, title in titles:
            if all(term in title for term in terms):
                old = scored[pk]
                scored[pk] = _Scored(old.score + TITLE_BONUS_DAYS, old.key, pk)
    elif relevance:
        titled = found.titled
        if titled is None:
            titled = current_backend().newest(terms, where, len(newest), title=True)
        for ranked in titled:
            score = ranked.rank_day + TITLE_BONUS_DAYS
            scored[ranked.pk] = _Scored(score, ranked.key, ranked.pk)
    for pk, (ranked, title) in exact.items():
        score = ranked.rank_day
        if relevance:
            score += EXACT_BONUS_DAYS
            if all(term in title for term in terms):
                score += TITLE_BONUS_DAYS
        scored[pk] = _Scored(score, ranked.key, pk)
    best = sorted(scored.values(), key=lambda s: (s.score, s.key), reverse=True)
    return [s.pk for s in best]


def _with_windows(ids: list[int], terms: tuple[str, ...]) -> list[SearchDocument]:
    """The page's documents with a snippet window of their text, cut in SQL so
    long texts never leave the database."""
    # The services keep documents to public items; the page checks it again, so
    # an item made non-public behind their back is never shown (the count may
    # include it until ``rebuild``). Checking here, not in the matching query,
    # keeps that query free of a per-match lookup of the item.
    documents = (
        SearchDocument.objects.filter(pk__in=ids)
        .select_related("unit", "column", "kind")
        .defer("text", "folded")
    )
    if terms:
        found = [
            Case(
                When(
                    Q(**{f"_p{i}__gt": 0}),
                    then=F(f"_p{i}"),
                ),
                default=Value(_NOT_FOUND),
            )
            for i in range(len(terms))
        ]
        documents = documents.alias(
            **{f"_p{i}": StrIndex("folded", Value(t)) for i, t in enumerate(terms)}
        ).alias(_first=Least(*found) if len(found) > 1 else found[0])
        start: Expression = Case(
            When(
                _first__lt=_NOT_FOUND,
                then=Greatest(F("_first") - SNIPPET_BEFORE, Value(1)),
            ),
            default=Value(1),
        )
    else:
        start = Value(1)
    documents = documents.annotate(
        window_start=start, text_length=Length("text")
    ).annotate(
        window=Substr("text", start, SNIPPET_CHARS),
        folded_window=Substr("folded", start, SNIPPET_CHARS),
    )
    by_pk = {document.pk: document for document in documents}
    items = [document.item_id for document in by_pk.values()]
    public = {
        pk
        for pk, is_public in Item.objects.filter(pk__in=items).values_list(
            "pk", "is_public"
        )
        if is_public
    }
    return [by_pk[pk] for pk in ids if pk in by_pk and by_pk[pk].item_id in public]


def _hit(document: SearchDocument, terms: tuple[str, ...], exact: bool) -> Hit:
    start: int = document.window_start  # type: ignore[attr-defined]
    window: str = document.window or ""  # type: ignore[attr-defined]
    snippet_html, plain = snippet(
        window,
        document.folded_window or "",  # type: ignore[attr-defined]
        terms,
        cut_before=start > 1,
        cut_after=start - 1 + len(window) < document.text_length,  # type: ignore[attr-defined]
    )
    return Hit(
        document=document,
        title_html=highlight(document.title, document.title_folded, terms),
        snippet_html=snippet_html,
        snippet=plain,
        exact=exact,
    )


def search(params: SearchParams, *, clamp_page: bool = True) -> SearchResults:
    """One page of results. ``clamp_page`` shows the last page for a page number
    past the end (the HTML page); without it such a page is empty (the API).

    Results are counted exactly up to ``count_limit()``; beyond it the total is
    that limit, marked as a lower bound, and only that many can be paged
    through (as in Elasticsearch's ``track_total_hits``): a word found in half
    a million documents is narrowed with the filters, not read page by page."""
    limit = count_limit()
    backend = current_backend()
    terms = list(params.terms)
    where = where_of(params)
    exact = _exact_documents(params, where) if terms else {}
    # The newest matches up to the page asked for: when there are fewer, they
    # are all the matches, and no count or title walk is needed.
    want = min(params.page * params.page_size, limit)
    found = backend.newest_counted(terms, where, want, limit + 1)
    newest, counted = found.matches, found.counted
    complete = len(newest) < want
    if complete:
        total = len(newest) + len(set(exact) - {r.pk for r in newest})
    else:
        total = (
            counted if counted is not None else backend.count(terms, where, limit + 1)
        )
        if exact:
            total += len(set(exact) - backend.matching_among(terms, list(exact)))
    more = total > limit
    total = min(total, limit)
    num_pages = max(1, math.ceil(total / params.page_size))
    page = min(params.page, num_pages) if clamp_page else params.page
    offset = (page - 1) * params.page_size
    ids: list[int] = []
    if offset < total:
        end = min(offset + params.page_size, total)
        ranked = _ranked_page(params, where, exact, found, complete)
        ids = ranked[offset:end]
    hits = [
        _hit(document, params.terms, document.pk in exact)
        for document in _with_windows(ids, params.terms)
    ]
    return SearchResults(
        params=params,
        total=total,
        page=page,
        num_pages=num_pages,
        hits=hits,
        exact=list(exact),
        more=more,
    )


def _exact_documents(
    params: SearchParams, where: Where
) -> dict[int, tuple[Ranked, str]]:
    """Exact lookup hits passing the filters, with their order keys."""
    ids = exact_matches(params.q)
    if ids and where.values():
        ids = list(
            SearchDocument.objects.filter(where.q(), pk__in=ids).values_list(
                "pk", flat=True
            )
        )
    return current_backend().ranked(ids) if ids else {}
