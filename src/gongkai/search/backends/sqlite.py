"""SQLite FTS5: ``search_fts(bigrams)`` and ``search_fts_chars(chars)``, both
contentless with the ``ascii`` tokenizer, sharing row ids (``fts_rowid``).

The ``ascii`` tokenizer splits only at ASCII non-alphanumerics; tokens are spelled
without ASCII punctuation (``gongkai.search.tokens``), so each token is one FTS5
token and a phrase is taken literally. A term ``c1…cn`` (n ≥ 2) is the phrase of
its bigrams ``"c1c2 c2c3 …"``: FTS5 matches it at consecutive positions, which
the bigram column has only inside one run (runs are divided by a one-character
marker that is never a bigram), so a match is exactly an occurrence of the term.
A one-character term is its character in ``search_fts_chars``, which needs no
positions (``detail=none``). No check against the text is needed.

Contentless FTS5 rows cannot be deleted on SQLite 3.40 (``contentless_delete``
came in 3.43), so a rewritten or removed document leaves its old rows behind,
never joined again; ``rebuild`` empties the tables (``delete-all``).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from gongkai.search.backends.base import SearchBackend, Statement, insert_documents
from gongkai.search.models import SearchDocument
from gongkai.search.tokens import IndexTokens, pairs, spell

TABLES = ("search_fts", "search_fts_chars")


def match_expressions(terms: list[str]) -> tuple[str, str]:
    """The FTS5 queries for folded terms: bigram phrases for ``search_fts`` and
    characters for ``search_fts_chars`` (either may be empty). Spelled tokens
    hold no ``"``, so the quoted phrases cannot be broken out of."""
    phrases: list[str] = []
    chars: list[str] = []
    for term in terms:
        spelled = spell(term)
        if '"' in spelled:  # pragma: no cover - ruled out by spelling
            raise ValueError("unspellable term")
        if len(spelled) == 1:
            chars.append(f'"{spelled}"')
        else:
            phrases.append(f'"{" ".join(pairs(spelled))}"')
    return " AND ".join(phrases), " AND ".join(chars)


class SqliteBackend(SearchBackend):
    name = "sqlite-fts5"
    rebuild_in_one_transaction = True

    def statements(
        self, rows: list[dict[str, Any]], tokens: list[IndexTokens]
    ) -> list[Statement]:
        # Row ids are given explicitly, after the highest one in use (stale rows
        # included); SQLite's write lock, held by the caller's transaction until
        # the statements have run, keeps them from being taken concurrently.
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(rowid) FROM search_fts")
            first = int(cursor.fetchone()[0] or 0) + 1
        rowids = range(first, first + len(rows))
        rows = [
            row | {"fts_rowid": rowid} for row, rowid in zip(rows, rowids, strict=True)
        ]
        return [
            insert_documents(rows),
            Statement(
                "INSERT INTO search_fts (rowid, bigrams) VALUES (%s, %s)",
                [(r, t.bigrams) for r, t in zip(rowids, tokens, strict=True)],
            ),
            Statement(
                "INSERT INTO search_fts_chars (rowid, chars) VALUES (%s, %s)",
                [(r, t.unigrams) for r, t in zip(rowids, tokens, strict=True)],
            ),
        ]

    def reset(self) -> None:
        # Row ids restart after delete-all; no document may keep an old one.
        SearchDocument.objects.update(fts_rowid=None)
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")

    def optimise(self) -> None:
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")

    def stale_rows(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts")
            rows = int(cursor.fetchone()[0])
        return rows - SearchDocument.objects.filter(fts_rowid__isnull=False).count()

    def candidates(self, terms: list[str]) -> Q:
        phrases, chars = match_expressions(terms)
        condition = Q()
        for table, expression in zip(TABLES, (phrases, chars), strict=True):
            if expression:
                condition &= Q(
                    fts_rowid__in=RawSQL(
                        f"SELECT rowid FROM {table} WHERE {table} MATCH %s",
                        [expression],
                    )
                )
        return condition

    def needs_check(self, term: str) -> bool:
        return False
