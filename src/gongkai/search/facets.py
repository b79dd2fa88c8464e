"""Facet counts for the results page: for each filter, how many results each of
its values would give with the other filters kept (so a chosen unit can still
be switched for another)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Count

from gongkai.accounts.models import Unit
from gongkai.catalogue.models import Column, Kind, Validity
from gongkai.search.params import SearchParams
from gongkai.search.selectors import matching_documents


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


DIMENSIONS = ("unit", "column", "kind", "year", "validity")


def _combinations(
    params: SearchParams, exact: list[int]
) -> list[tuple[dict[str, str], int]]:
    """Result counts by every combination of the five filter values, for the
    query without filters: one grouped query from which each facet's counts
    (with the other filters applied) are summed."""
    unfiltered = replace(
        params, unit=None, column=None, kind=None, year=None, validity=None
    )
    rows = (
        matching_documents(unfiltered, exact=exact)
        .values("unit_id", "column_id", "kind__slug", "year", "validity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        (
            {
                "unit": str(row["unit_id"]),
                "column": str(row["column_id"]),
                "kind": str(row["kind__slug"]),
                "year": str(row["year"]),
                "validity": str(row["validity"]),
            },
            int(row["n"]),
        )
        for row in rows
    ]


def _counts(
    params: SearchParams, combinations: list[tuple[dict[str, str], int]], name: str
) -> dict[str, int]:
    """Counts by value of ``name`` under the other filters; the chosen value is
    always included."""
    chosen = {
        d: str(getattr(params, d))
        for d in DIMENSIONS
        if d != name and getattr(params, d) is not None
    }
    counts: dict[str, int] = {}
    for values, n in combinations:
        if all(values[d] == v for d, v in chosen.items()):
            counts[values[name]] = counts.get(values[name], 0) + n
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
    combinations = _combinations(params, exact)
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
    )
