"""Facet counts for the results page: for each filter, how many results each of
its values would give with the other filters kept (so a chosen unit can still
be switched for another)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from gongkai.accounts.models import Unit
from gongkai.catalogue.models import Column, Kind, Validity
from gongkai.search.backends import current_backend
from gongkai.search.backends.base import Where, count_limit, facet_rows_of
from gongkai.search.params import SearchParams

# The newest matches the search page's facet counts are taken from, at most: a
# sample this size says which units, columns and years the results are in, at a
# tenth of the cost of counting 10,000.
FACET_SAMPLE = 1_000


def facet_sample() -> int:
    return min(FACET_SAMPLE, count_limit())


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facets:
    unit: list[FacetOption]
    column: list[FacetOption]
    kind: list[FacetOption]
    year: list[FacetOption]
    validity: list[FacetOption]
    # Counted over the newest ``sample`` matches only.
    sampled: bool = False
    sample: int = 0


DIMENSIONS = ("unit", "column", "kind", "year", "validity")


Combination = tuple[tuple[str, ...], int]


def _combinations(
    params: SearchParams, exact: list[int]
) -> tuple[list[Combination], bool]:
    """Result counts by every combination of the five filter values (in the
    order of ``DIMENSIONS``, as text), for the query without filters, from
    which each facet's counts (with the other filters applied) are summed; and
    whether they are a sample. They are exact up to ``facet_sample()``
    matches (1,000, or the count limit if lower); beyond
    it they are those of the newest matches (the page says so)."""
    backend = current_backend()
    terms = list(params.terms)
    limit = facet_sample()
    rows = backend.facet_rows(terms, limit)
    sampled = sum(row[-1] for row in rows) >= limit and (
        backend.count(terms, Where(), limit + 1) > limit
    )
    if exact:
        extra = set(exact) - backend.matching_among(terms, exact)
        rows += facet_rows_of(sorted(extra))
    kinds = dict(Kind.objects.values_list("pk", "slug"))
    return [
        ((str(unit), str(column), str(kinds.get(kind, "")), str(year), validity), n)
        for unit, column, kind, year, validity, n in rows
    ], sampled


def _counts(
    params: SearchParams, combinations: list[Combination], name: str
) -> dict[str, int]:
    """Counts by value of ``name`` under the other filters; the chosen value is
    always included."""
    chosen = [
        (position, str(getattr(params, d)))
        for position, d in enumerate(DIMENSIONS)
        if d != name and getattr(params, d) is not None
    ]
    own = DIMENSIONS.index(name)
    counts: dict[str, int] = defaultdict(int)
    for values, n in combinations:
        for position, value in chosen:
            if values[position] != value:
                break
        else:
            counts[values[own]] += n
    selected = getattr(params, name)
    if selected is not None:
        counts.setdefault(str(selected), 0)
    return counts


def _options(
    counts: dict[str, int], labels: dict[str, str], selected: object
) -> list[FacetOption]:
    """Options in the order of ``labels``; values without a label are dropped."""
    chosen = "" if selected is None else str(selected)
    return [
        FacetOption(
            value=value, label=label, count=counts[value], selected=value == chosen
        )
        for value, label in labels.items()
        if value in counts
    ]


def search_facets(params: SearchParams, exact: list[int]) -> Facets:
    combinations, sampled = _combinations(params, exact)
    units = _counts(params, combinations, "unit")
    unit_labels = {
        str(u.pk): u.name
        for u in Unit.objects.filter(pk__in=[int(v) for v in units]).order_by(
            "sort_order", "pk"
        )
    }
    columns = _counts(params, combinations, "column")
    column_labels = {
        str(c.pk): f"{c.name}（{c.unit.short_name}）"
        for c in Column.objects.filter(pk__in=[int(v) for v in columns])
        .select_related("unit")
        .order_by("unit__sort_order", "unit_id", "sort_order", "pk")
    }
    kinds = _counts(params, combinations, "kind")
    kind_labels = {k.slug: k.name for k in Kind.objects.filter(slug__in=list(kinds))}
    years = _counts(params, combinations, "year")
    year_labels = {y: f"{y}年" for y in sorted(years, key=int, reverse=True)}
    validities = _counts(params, combinations, "validity")
    return Facets(
        unit=_options(units, unit_labels, params.unit),
        column=_options(columns, column_labels, params.column),
        kind=_options(kinds, kind_labels, params.kind),
        year=_options(years, year_labels, params.year),
        validity=_options(validities, dict(Validity.choices), params.validity),
        sampled=sampled,
        sample=facet_sample(),
    )
