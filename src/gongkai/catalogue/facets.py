"""The public catalogue (公开目录): published items filtered by unit, column, topic,
genre, kind and year, with the count of each facet value under the other filters."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from gongkai.accounts.models import Unit
from gongkai.catalogue.models import Item
from gongkai.catalogue.selectors import public_items

FACETS = {
    "unit": ("unit_id", "unit__short_name", "发布机构"),
    "column": (
        "published_revision__column_id",
        "published_revision__column__name",
        "栏目",
    ),
    "kind": ("published_revision__kind_id", "published_revision__kind__name", "类别"),
    "topic": ("published_revision__topic", "published_revision__topic", "主题分类"),
    "genre": ("published_revision__genre", "published_revision__genre", "体裁分类"),
    "year": ("year", "year", "年份"),
}


@dataclass
class Facet:
    key: str
    label: str
    values: list[tuple[str, str, int, bool]] = field(
        default_factory=list
    )  # value, label, count, selected


def _base(scope: Unit) -> QuerySet[Item]:
    return (
        public_items()
        .filter(unit__path__startswith=scope.path)
        .annotate(year=ExtractYear("published_at"))
    )


def _apply(
    qs: QuerySet[Item], filters: dict[str, str], skip: str = ""
) -> QuerySet[Item]:
    for key, value in filters.items():
        if key != skip and value:
            qs = qs.filter(**{FACETS[key][0]: value})
    return qs


def clean_filters(raw: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Keep known facet keys with sane values; say what was ignored."""
    filters: dict[str, str] = {}
    ignored: list[str] = []
    for key in FACETS:
        value = raw.get(key, "").strip()[:60]
        if not value:
            continue
        if key in {"unit", "column", "kind", "year"} and not value.isdigit():
            ignored.append(f"{FACETS[key][2]}“{value}”无效，已忽略")
            continue
        filters[key] = value
    return filters, ignored


def catalogue(
    scope: Unit, filters: dict[str, str]
) -> tuple[QuerySet[Item], list[Facet]]:
    base = _base(scope)
    facets = []
    for key, (value_field, label_field, label) in FACETS.items():
        rows = (
            _apply(base, filters, skip=key)
            .exclude(**{f"{value_field}__isnull": True})
            .values(value_field, label_field)
            .annotate(n=Count("id"))
            .order_by("-n")[:30]
        )
        facet = Facet(key, label)
        for row in rows:
            value = str(row[value_field])
            if value == "":
                continue
            facet.values.append(
                (value, str(row[label_field]), row["n"], filters.get(key) == value)
            )
        if key == "year":
            facet.values.sort(key=lambda v: v[0], reverse=True)
        facets.append(facet)
    return _apply(base, filters).order_by("-published_at", "-id"), facets
