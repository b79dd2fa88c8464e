"""The 公开目录's counts, kept as ``FacetCount`` rows (one per combination of
unit, column, kind, 主题分类, 体裁分类 and year) next to the documents.

``changes`` turns the documents an indexing batch removes and adds into one
upsert per combination (in a stable order, so two concurrent publications lock
rows in the same order), run in the batch's transaction; ``recount`` rebuilds
every row from the documents. Reading: ``counts`` groups the rows by one facet
and ``total`` adds them up, both under filters on the same fields.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet, Sum

from gongkai.search.backends.base import Statement
from gongkai.search.models import FacetCount

FIELDS = ("unit_id", "column_id", "kind_id", "topic", "genre", "year")
Combination = tuple[int, int, int, str, str, int]

_COLUMNS = ", ".join(FIELDS)
_UPSERT = (
    f"INSERT INTO search_facetcount ({_COLUMNS}, documents)"
    f" VALUES ({', '.join(['%s'] * (len(FIELDS) + 1))})"
    f" ON CONFLICT ({_COLUMNS})"
    " DO UPDATE SET documents = search_facetcount.documents + excluded.documents"
)


def combination(row: dict[str, Any]) -> Combination:
    """A document row's (column name → value) combination."""
    return (
        row["unit_id"],
        row["column_id"],
        row["kind_id"],
        row["topic"] or "",
        row["genre"] or "",
        row["year"],
    )


def changes(
    removed: Iterable[Combination], added: Iterable[Combination]
) -> list[Statement]:
    """The upsert adding ``added`` and taking away ``removed``."""
    delta: Counter[Combination] = Counter(added)
    delta.subtract(removed)
    params: list[Sequence[Any]] = [(*key, n) for key, n in sorted(delta.items()) if n]
    return [Statement(_UPSERT, params)] if params else []


def recount() -> None:
    """Every row again from the documents (after a rebuild)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_facetcount")
        cursor.execute(
            f"INSERT INTO search_facetcount ({_COLUMNS}, documents)"
            f" SELECT {_COLUMNS}, count(*) FROM search_searchdocument"
            f" GROUP BY {_COLUMNS}"
        )


def rows(filters: dict[str, Any]) -> QuerySet[FacetCount]:
    """The combinations passing ``filters`` (document field → value)."""
    return FacetCount.objects.filter(documents__gt=0, **filters)


def total(filters: dict[str, Any]) -> int:
    """How many documents pass ``filters``."""
    return int(rows(filters).aggregate(n=Sum("documents"))["n"] or 0)


def counts(filters: dict[str, Any], field: str, limit: int) -> list[tuple[str, int]]:
    """The ``limit`` most frequent values of ``field`` under ``filters``."""
    grouped = (
        rows(filters)
        .values(field)
        .annotate(n=Sum("documents"))
        .order_by("-n", field)[:limit]
    )
    return [(str(row[field]), int(row["n"])) for row in grouped]
