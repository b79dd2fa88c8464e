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

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable, Expression
from django.db.models.functions import Greatest, Least, Length, StrIndex, Substr
from django.utils.safestring import SafeString

from gongkai.accounts.errors import ServiceError
from gongkai.catalogue.models import Item
from gongkai.catalogue.services.common import normalise_document_number
from gongkai.search.backends import current_backend
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


def _filters(params: SearchParams, skip: str = "") -> Q:
    condition = Q()
    if params.unit is not None and skip != "unit":
        condition &= Q(unit_id=params.unit)
    if params.column is not None and skip != "column":
        condition &= Q(column_id=params.column)
    if params.kind is not None and skip != "kind":
        condition &= Q(kind__slug=params.kind)
    if params.year is not None and skip != "year":
        condition &= Q(year=params.year)
    if params.validity is not None and skip != "validity":
        condition &= Q(validity=params.validity)
    return condition


def matching_documents(
    params: SearchParams, *, exact: list[int] | None = None, skip: str = ""
) -> QuerySet[SearchDocument]:
    """Public documents matching the terms (or the exact lookup) and the filters,
    leaving out the filter named ``skip`` (for that facet's counts)."""
    documents = SearchDocument.objects.filter(_filters(params, skip))
    if not params.terms:
        return documents
    condition = current_backend().condition(list(params.terms))
    if exact:
        condition |= Q(pk__in=exact)
    return documents.filter(condition)


def _ordered(
    documents: QuerySet[SearchDocument], params: SearchParams, exact: list[int]
) -> QuerySet[SearchDocument]:
    if params.sort == "date" or not params.terms:
        return documents.order_by("-published_at", "-pk")
    in_title = Q()
    for term in params.terms:
        in_title &= Q(title_folded__contains=term)
    score: Combinable = F("rank_day") + Case(
        When(in_title, then=Value(TITLE_BONUS_DAYS)), default=Value(0)
    )
    if exact:
        score = score + Case(
            When(pk__in=exact, then=Value(EXACT_BONUS_DAYS)), default=Value(0)
        )
    return documents.alias(score=score).order_by("-score", "-published_at", "-pk")


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
    past the end (the HTML page); without it such a page is empty (the API)."""
    exact = exact_matches(params.q) if params.terms else []
    documents = matching_documents(params, exact=exact)
    total = documents.count()
    num_pages = max(1, math.ceil(total / params.page_size))
    page = min(params.page, num_pages) if clamp_page else params.page
    offset = (page - 1) * params.page_size
    ids = list(
        _ordered(documents, params, exact).values_list("pk", flat=True)[
            offset : offset + params.page_size
        ]
    )
    exact_set = set(exact)
    hits = [
        _hit(document, params.terms, document.pk in exact_set)
        for document in _with_windows(ids, params.terms)
    ]
    return SearchResults(
        params=params,
        total=total,
        page=page,
        num_pages=num_pages,
        hits=hits,
        exact=exact,
    )
