"""The public listings — column pages, the 公开目录 with its facet counts, the
latest items of a column, previous and next — read from the search documents.

A search document is one row per public item that already holds what a listing
filters and orders by (unit, column, kind, 主题分类, 体裁分类, year, date), with
an index per order (see ``SearchDocument.Meta.indexes``): a page is a range of
an index, not a sort of the items joined with their revisions. The items of a
page are then loaded by primary key. Counts (a listing's total, each facet's
values) are the same for every visitor until something public changes, so they
are kept in the cache under the page generation (``gongkai.core.pagecache``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from gongkai.accounts.models import Unit
from gongkai.catalogue.models import Column, Item, Kind
from gongkai.catalogue.selectors import public_items
from gongkai.core.pagecache import generation, page_cache_enabled
from gongkai.search import facetcounts
from gongkai.search.models import SearchDocument

PAGE_SIZE = 20
COUNT_SECONDS = 3600

# key → (document field, label); the filter values are the field's values.
FACETS: dict[str, tuple[str, str]] = {
    "unit": ("unit_id", "发布机构"),
    "column": ("column_id", "栏目"),
    "kind": ("kind_id", "类别"),
    "topic": ("topic", "主题分类"),
    "genre": ("genre", "体裁分类"),
    "year": ("year", "年份"),
}
NUMERIC_FACETS = {"unit", "column", "kind", "year"}

if TYPE_CHECKING:
    _IdPaginator = Paginator[int]
else:
    _IdPaginator = Paginator


def _remembered[T](key: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept until the public pages' generation moves on (not
    kept when the page cache is turned off)."""
    if not page_cache_enabled():
        return compute()
    full = f"listing:{generation()}:{key}"
    value: T | None = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, COUNT_SECONDS)
    return value


class _CountedPaginator(_IdPaginator):
    def __init__(
        self,
        ids: QuerySet[SearchDocument, int],
        per_page: int,
        *,
        count_key: str,
        count: Callable[[], int] | None = None,
    ) -> None:
        super().__init__(ids, per_page)
        self.ids = ids
        self.count_key = count_key
        self.counter = count or ids.count

    @cached_property
    def count(self) -> int:
        return _remembered(f"count:{self.count_key}", self.counter)


def _items_in_order(ids: Sequence[int]) -> list[Item]:
    found = public_items().in_bulk(list(ids))
    return [found[pk] for pk in ids if pk in found]


def _page(
    documents: QuerySet[SearchDocument],
    number: int | str,
    key: str,
    count: Callable[[], int] | None = None,
) -> Page[Item]:
    ids = documents.order_by("-published_at", "-id").values_list("item_id", flat=True)
    paginator = _CountedPaginator(ids, PAGE_SIZE, count_key=key, count=count)
    ids_page = paginator.get_page(number)
    # The same page (number, paginator) with the items in place of their ids.
    return Page(_items_in_order(list(ids_page)), ids_page.number, paginator)  # type: ignore[arg-type]


def column_page(column: Column, number: int | str) -> Page[Item]:
    """A page of the column's items, newest first."""
    documents = SearchDocument.objects.filter(column=column)
    count = lambda: facetcounts.total({"column_id": column.pk})  # noqa: E731
    return _page(documents, number, f"column:{column.pk}", count)


def latest(
    *,
    scope: Unit | None = None,
    unit: Unit | None = None,
    column: Column | None = None,
    count: int = 5,
) -> list[Item]:
    """The newest public items under ``scope``, of ``unit``, in ``column``."""
    documents = _in_scope(scope) if scope else SearchDocument.objects.all()
    if unit is not None:
        documents = documents.filter(unit=unit)
    if column is not None:
        documents = documents.filter(column=column)
    ids = documents.order_by("-published_at", "-id").values_list("item_id", flat=True)
    return _items_in_order(list(ids[:count]))


def neighbours(item: Item) -> tuple[Item | None, Item | None]:
    """Previous (older) and next (newer) public item in the same column."""
    revision = item.published_revision
    if revision is None or item.published_at is None:
        return None, None
    same = SearchDocument.objects.filter(column_id=revision.column_id).exclude(
        item=item
    )
    older = (
        same.filter(published_at__lte=item.published_at)
        .order_by("-published_at", "-id")
        .values_list("item_id", flat=True)
        .first()
    )
    newer = (
        same.filter(published_at__gte=item.published_at)
        .order_by("published_at", "id")
        .values_list("item_id", flat=True)
        .first()
    )
    found = _items_in_order([pk for pk in (older, newer) if pk is not None])
    by_pk = {i.pk: i for i in found}
    return by_pk.get(older or 0), by_pk.get(newer or 0)


@dataclass
class Facet:
    key: str
    label: str
    values: list[tuple[str, str, int, bool]] = field(
        default_factory=list
    )  # value, label, count, selected


def clean_filters(raw: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Keep known facet keys with sane values; say what was ignored."""
    filters: dict[str, str] = {}
    ignored: list[str] = []
    for key, (_, label) in FACETS.items():
        value = raw.get(key, "").strip()[:60]
        if not value:
            continue
        if key in NUMERIC_FACETS and not (value.isdigit() and len(value) <= 9):
            ignored.append(f"{label}“{value}”无效，已忽略")
            continue
        filters[key] = value
    return filters, ignored


def _everything(scope: Unit) -> bool:
    return not Unit.objects.exclude(path__startswith=scope.path).exists()


def _in_scope(scope: Unit) -> QuerySet[SearchDocument]:
    """Documents of ``scope`` and the units below it; unfiltered when that is
    every unit (the usual site), so the newest-first index serves the order."""
    if _everything(scope):
        return SearchDocument.objects.all()
    units = Unit.objects.filter(path__startswith=scope.path).values("pk")
    return SearchDocument.objects.filter(unit__in=units)


def _apply(
    documents: QuerySet[SearchDocument], filters: dict[str, str], skip: str = ""
) -> QuerySet[SearchDocument]:
    for key, value in filters.items():
        if key != skip:
            documents = documents.filter(**{FACETS[key][0]: value})
    return documents


def _filters_key(scope: Unit, filters: dict[str, str]) -> str:
    return f"{scope.pk}:" + "&".join(f"{k}={v}" for k, v in sorted(filters.items()))


def _count_filters(scope: Unit, filters: dict[str, str]) -> dict[str, Any]:
    """The scope and ``filters`` as filters on the fields the documents and
    their facet counts share."""
    lookups: dict[str, Any] = {FACETS[key][0]: value for key, value in filters.items()}
    if not _everything(scope):
        lookups["unit__path__startswith"] = scope.path
    return lookups


def _facet_counts(
    scope: Unit, filters: dict[str, str]
) -> dict[str, list[tuple[str, int]]]:
    """Per facet, its most frequent values with their counts under the other
    filters (sums of ``FacetCount`` rows, not counts of documents)."""
    lookups = _count_filters(scope, filters)
    counts = {}
    for key, (value_field, _) in FACETS.items():
        others = {k: v for k, v in lookups.items() if k != value_field}
        values = facetcounts.counts(others, value_field, 31)
        counts[key] = [(v, n) for v, n in values if v != ""][:30]
    return counts


def _labels() -> dict[str, dict[str, str]]:
    return {
        "unit": {
            str(pk): name for pk, name in Unit.objects.values_list("pk", "short_name")
        },
        "column": {
            str(pk): name for pk, name in Column.objects.values_list("pk", "name")
        },
        "kind": {str(pk): name for pk, name in Kind.objects.values_list("pk", "name")},
    }


def catalogue(
    scope: Unit, filters: dict[str, str], number: int | str
) -> tuple[Page[Item], list[Facet]]:
    """公开目录: a page of the items under ``scope`` that pass ``filters``, and
    the count of each facet value under the other filters."""
    key = _filters_key(scope, filters)
    counted = _remembered(f"facets:{key}", lambda: _facet_counts(scope, filters))
    labels = _labels()
    facets = []
    for key, (_, label) in FACETS.items():
        names = labels.get(key, {})
        values = [
            (value, names.get(value, value), n, filters.get(key) == value)
            for value, n in counted[key]
        ]
        if key == "year":
            values.sort(key=lambda v: v[0], reverse=True)
        facets.append(Facet(key, label, values))
    page = _page(
        _apply(_in_scope(scope), filters),
        number,
        f"catalogue:{key}",
        count=lambda: facetcounts.total(_count_filters(scope, filters)),
    )
    return page, facets
