"""The scanning backend, and the interface the indexed backends refine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from gongkai.search.models import SearchDocument
from gongkai.search.tokens import IndexTokens


@dataclass(frozen=True)
class Statement:
    """One SQL statement with the parameters of each row it is run for."""

    sql: str
    params: list[Sequence[Any]]

    def run(self, cursor: Any) -> None:
        cursor.executemany(self.sql, self.params)


def insert_documents(
    rows: list[dict[str, Any]],
    *,
    extra: dict[str, str] | None = None,
    extra_params: Sequence[Sequence[Any]] = (),
) -> Statement:
    """The insert of document rows (column name → Python value), values already
    converted for the database. ``extra`` adds columns outside the model
    (name → SQL taking parameters), filled from ``extra_params``, one sequence
    per row."""
    fields = [f for f in SearchDocument._meta.concrete_fields if not f.primary_key]
    extra = extra or {}
    names = [connection.ops.quote_name(f.attname) for f in fields]
    names += [connection.ops.quote_name(name) for name in extra]
    values = ["%s"] * len(fields) + list(extra.values())
    sql = (
        f"INSERT INTO {connection.ops.quote_name(SearchDocument._meta.db_table)}"
        f" ({', '.join(names)}) VALUES ({', '.join(values)})"
    )
    now = timezone.now()
    params: list[Sequence[Any]] = []
    for index, row in enumerate(rows):
        row = row | {"indexed_at": now}
        params.append(
            [f.get_db_prep_save(row.get(f.attname), connection) for f in fields]
            + list(extra_params[index] if extra else [])
        )
    return Statement(sql, params)


def contains(term: str) -> Q:
    """The exact test: ``term`` (folded) is a substring of a searched field.
    Fields are checked one by one, as a term never spans two of them."""
    return (
        Q(title_folded__contains=term)
        | Q(meta_folded__contains=term)
        | Q(folded__contains=term)
    )


class SearchBackend:
    """No index: every term is checked against the folded fields."""

    name = "scan"
    # Whether ``rebuild`` must run as one transaction (the index is emptied first).
    rebuild_in_one_transaction = False

    def statements(
        self, rows: list[dict[str, Any]], tokens: list[IndexTokens]
    ) -> list[Statement]:
        """What inserts new documents (their items have none) with their tokens.
        Built by the caller's thread; run, in order, by ``services``."""
        return [insert_documents(rows)]

    def reset(self) -> None:
        """Empty the vendor structure before a rebuild."""

    def stale_rows(self) -> int:
        return 0

    def candidates(self, terms: list[str]) -> Q:
        return Q()

    def needs_check(self, term: str) -> bool:
        return True

    def condition(self, terms: list[str]) -> Q:
        """Documents that contain every term (AND of exact substring matches)."""
        condition = self.candidates(terms)
        for term in terms:
            if self.needs_check(term):
                condition &= contains(term)
        return condition
