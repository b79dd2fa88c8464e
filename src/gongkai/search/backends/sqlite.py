"""SQLite FTS5: ``search_fts(title, bigrams)``, ``search_fts_chars(title,
chars)`` and ``search_fts_titles(title)``, all contentless with the ``ascii``
tokenizer, sharing row ids (``fts_rowid``). The title has its own column in the
first two, so a match in any field is one query; the newest title matches of a
term of two or more characters are read from ``search_fts_titles``, whose
doclists hold titles alone (a column filter on ``search_fts`` reads the body's
positions too: a phrase common in bodies and rare in titles took a walk over
every body match).

The ``ascii`` tokenizer splits only at ASCII non-alphanumerics; tokens are spelled
without ASCII punctuation (``gongkai.search.tokens``), so each token is one FTS5
token and a phrase is taken literally. A term ``c1…cn`` (n ≥ 2) is the phrase of
its bigrams ``"c1c2 c2c3 …"``: FTS5 matches it at consecutive positions, which
the bigram columns have only inside one run (runs are divided by a one-character
marker that is never a bigram), so a match is exactly an occurrence of the term.
A one-character term is its character in ``search_fts_chars``, which needs no
positions (``detail=column``: columns, for the title filter, but no positions).
No check against the text is needed.

Row ids are publication times, newest first: ``fts_rowid = (2⁴⁰ − seconds since
1970) · 2²² + k`` with ``k`` the next free number in that second. FTS5 walks a
match's row ids in ascending order and stops at a ``LIMIT``, so "the newest n
documents containing 招生" costs n index steps, not one per match: that is how a
word found in half the documents still answers in milliseconds
(``SearchBackend.newest``). (Ascending, because FTS5 reads a doclist backwards
at about half the speed.)

Contentless FTS5 rows cannot be deleted on SQLite 3.40 (``contentless_delete``
came in 3.43), so a rewritten or removed document leaves its old rows behind,
never joined again (every query joins through ``fts_rowid``, and a new row id is
chosen past the old rows of its second); ``rebuild`` empties the tables
(``delete-all``).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from gongkai.search.backends.base import (
    FOLDED_FIELDS,
    FacetRow,
    Newest,
    Ranked,
    SearchBackend,
    Statement,
    Where,
    insert_documents,
    on_row,
    timestamp_seconds,
)
from gongkai.search.models import SearchDocument
from gongkai.search.tokens import IndexTokens, pairs, spell

TABLES = ("search_fts", "search_fts_chars", "search_fts_titles")
# What a walk reads for the terms in any field, and in titles alone.
ANY_FIELD = ("search_fts", "search_fts_chars")
TITLES = ("search_fts_titles", "search_fts_chars")
ORDER_BITS = 22
LATEST_SECOND = 1 << 40  # about the year 36,812
CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, bigrams, content='', tokenize='ascii')",
    "CREATE VIRTUAL TABLE search_fts_chars USING fts5("
    "title, chars, content='', tokenize='ascii', detail=column, columnsize=0)",
    "CREATE VIRTUAL TABLE search_fts_titles USING fts5("
    "title, content='', tokenize='ascii', columnsize=0)",
]


def match_expressions(terms: list[str], *, title: bool = False) -> tuple[str, str]:
    """The FTS5 queries for folded terms: bigram phrases for ``search_fts`` (or,
    with ``title``, ``search_fts_titles``) and characters for
    ``search_fts_chars`` (either may be empty), in any column or, with
    ``title``, in the title. Spelled tokens hold no ``"``, so the quoted
    phrases cannot be broken out of."""
    phrases: list[str] = []
    chars: list[str] = []
    for term in terms:
        spelled = spell(term)
        if '"' in spelled:  # pragma: no cover - ruled out by spelling
            raise ValueError("unspellable term")
        if len(spelled) == 1:
            chars.append(f'{"title : " if title else ""}"{spelled}"')
        else:
            phrases.append(f'"{" ".join(pairs(spelled))}"')
    return " AND ".join(phrases), " AND ".join(chars)


def order_base(published_at: Any) -> int:
    """The first row id of the second ``published_at`` falls in (a later
    second has lower row ids)."""
    return (LATEST_SECOND - timestamp_seconds(published_at)) << ORDER_BITS


def _on_row(terms: list[str], *, title: bool) -> tuple[list[str], list[Any]]:
    """Conditions that each term is a substring of the document's folded fields
    (of its title alone with ``title``), read from its row."""
    fields = ("title_folded",) if title else FOLDED_FIELDS
    return on_row("d", terms, function="instr", fields=fields)


def _matches(
    terms: list[str], where: Where, *, title: bool = False, ids: int = 0
) -> tuple[str, list[Any]]:
    """FROM and WHERE of the documents (alias ``d``) containing every term,
    driven by an FTS table (alias ``m0``) so that ``ORDER BY m0.rowid LIMIT n``
    (newest first) stops after n matches; or, with ``ids`` (a number of parameters
    appended by the caller), driven by those few documents, each term checked
    on their rows.

    Only one FTS table is read: the phrases' when there are phrases, and the
    one-character terms are then checked on the rows of the phrases' matches
    (about 16 µs each at a million documents). Joining the characters' table
    instead would make FTS5 start that query afresh for every row, reading the
    doclist of a common character each time: "日 教育局" took minutes."""
    phrases, chars = match_expressions(terms, title=title)
    if ids:
        conditions, params = _on_row(terms, title=title)
        joins = ["search_searchdocument d"]
    else:
        tables = TITLES if title else ANY_FIELD
        table, expression = (tables[0], phrases) if phrases else (tables[1], chars)
        conditions, params = _on_row(
            [term for term in terms if len(spell(term)) == 1] if phrases else [],
            title=title,
        )
        conditions.insert(0, f"m0.{table} MATCH %s")
        params.insert(0, expression)
        # The covering index holds what the walks read, so no row with its long
        # text is read (the planner would take the unique index on fts_rowid)
        # unless a term is checked on the row.
        joins = [
            f"{table} m0",
            "CROSS JOIN search_searchdocument d INDEXED BY search_doc_fts_walk"
            " ON d.fts_rowid = m0.rowid",
        ]
    filters, values = where.sql("d")
    if ids:
        filters.append(f"d.id IN ({', '.join(['%s'] * ids)})")
    sql = f" FROM {' '.join(joins)} WHERE {' AND '.join(conditions + filters)}"
    return sql, params + values


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


class SqliteBackend(SearchBackend):
    name = "sqlite-fts5"
    token_forms = ("title_bigrams", "bigrams", "title_unigrams", "unigrams")
    rebuild_in_one_transaction = True

    def statements(
        self, rows: list[dict[str, Any]], tokens: list[IndexTokens]
    ) -> list[Statement]:
        # SQLite's write lock, held by the caller's transaction until the
        # statements have run, keeps the row ids from being taken concurrently.
        rowids = self._rowids([row["published_at"] for row in rows])
        rows = [
            row | {"fts_rowid": rowid} for row, rowid in zip(rows, rowids, strict=True)
        ]
        # FTS5 writes its pending terms out whenever a row id is lower than the
        # one before: rows go in ascending order.
        ordered = sorted(zip(rowids, tokens, strict=True), key=lambda pair: pair[0])
        return [
            insert_documents(rows),
            Statement(
                "INSERT INTO search_fts (rowid, title, bigrams) VALUES (%s, %s, %s)",
                [(r, t.title_bigrams, t.bigrams) for r, t in ordered],
            ),
            Statement(
                "INSERT INTO search_fts_chars (rowid, title, chars)"
                " VALUES (%s, %s, %s)",
                [(r, t.title_unigrams, t.unigrams) for r, t in ordered],
            ),
            Statement(
                "INSERT INTO search_fts_titles (rowid, title) VALUES (%s, %s)",
                [(r, t.title_bigrams) for r, t in ordered if t.title_bigrams],
            ),
        ]

    def _rowids(self, moments: list[Any]) -> list[int]:
        """Free row ids for documents published at ``moments``: the next after
        the highest in use (stale rows included) within each second."""
        bases = [order_base(moment) for moment in moments]
        following = self._next_free(sorted(set(bases)))
        rowids: list[int] = []
        for base in bases:
            rowid = following[base]
            if rowid >= base + (1 << ORDER_BITS):  # pragma: no cover
                raise ValueError("more than 4 million documents in one second")
            following[base] = rowid + 1
            rowids.append(rowid)
        return rowids

    def _next_free(self, bases: list[int]) -> dict[int, int]:
        """The first free row id of each second (given by its first row id):
        one statement per 500 seconds, a seek per second."""
        following: dict[int, int] = {}
        span = (1 << ORDER_BITS) - 1
        with connection.cursor() as cursor:
            for start in range(0, len(bases), 500):
                chunk = bases[start : start + 500]
                values = ", ".join(["(%s)"] * len(chunk))
                cursor.execute(
                    f"WITH seconds(base) AS (VALUES {values})"
                    " SELECT base, (SELECT max(id) FROM search_fts_docsize"
                    " WHERE id BETWEEN base AND base + %s) FROM seconds",
                    [*chunk, span],
                )
                for base, highest in cursor.fetchall():
                    following[base] = base if highest is None else int(highest) + 1
        return following

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

    def segments(self) -> int | None:
        """FTS5 writes a segment (a b-tree of terms) each time it flushes its
        pending terms, at least once per transaction, and merges 16 of a level
        at a time (``automerge``), so an import of many batches leaves dozens;
        a query reads every segment's doclists (at 200,000 documents, phrases
        about twice as fast in one segment as in 40)."""
        with connection.cursor() as cursor:
            counts = []
            for table in TABLES:
                cursor.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx")
                counts.append(int(cursor.fetchone()[0]))
        return max(counts)

    def merge(self, pages: int, *, first: bool) -> bool:
        """FTS5's ``merge`` command: a negative page count puts every segment
        on one level and starts merging them all; a positive one continues a
        started merge (and merges a level of ``usermerge`` segments), so
        segments written meanwhile do not restart it. FTS5 reports no result:
        a step that changed fewer than two rows did nothing (its documented
        test, through ``total_changes``)."""
        worked = False
        with connection.cursor() as cursor:
            raw = connection.connection  # open now that a cursor is
            for table in TABLES:
                before = raw.total_changes
                cursor.execute(
                    f"INSERT INTO {table} ({table}, rank) VALUES ('merge', %s)",
                    [-pages if first else pages],
                )
                worked |= raw.total_changes - before >= 2
        return worked

    def stale_rows(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts_docsize")
            rows = int(cursor.fetchone()[0])
        return rows - SearchDocument.objects.filter(fts_rowid__isnull=False).count()

    def candidates(self, terms: list[str]) -> Q:
        phrases, chars = match_expressions(terms)
        condition = Q()
        for table, expression in zip(ANY_FIELD, (phrases, chars), strict=True):
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

    def newest(
        self, terms: list[str], where: Where, limit: int, *, title: bool = False
    ) -> list[Ranked]:
        if not terms:
            return super().newest(terms, where, limit)
        sql, params = _matches(terms, where, title=title)
        rows = _rows(
            f"SELECT d.id, d.rank_day, d.fts_rowid{sql} ORDER BY m0.rowid LIMIT %s",
            [*params, limit],
        )
        return [Ranked(pk, day, (-rowid,)) for pk, day, rowid in rows]

    def ranked(self, ids: list[int]) -> dict[int, tuple[Ranked, str]]:
        return {
            pk: (Ranked(pk, day, (-(rowid or 0),)), title)
            for pk, day, rowid, title in SearchDocument.objects.filter(
                pk__in=ids, fts_rowid__isnull=False
            ).values_list("pk", "rank_day", "fts_rowid", "title_folded")
        }

    def newest_counted(
        self, terms: list[str], where: Where, want: int, limit: int
    ) -> Newest:
        """One walk for both: the first ``want`` of the matches up to ``limit``
        are kept and the rest counted as they pass, instead of a walk to the
        ``want``-th match and another to count (a phrase found in few
        documents walks all of its candidates either way). Counting in Python
        costs about 0.3 µs a match; a window function in SQL would sort them."""
        if not terms:
            return super().newest_counted(terms, where, want, limit)
        sql, params = _matches(terms, where)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.id, d.rank_day, d.fts_rowid{sql} ORDER BY m0.rowid LIMIT %s",
                [*params, limit],
            )
            first = cursor.fetchmany(want)
            counted = len(first) + sum(1 for _ in cursor)
        return Newest([Ranked(pk, day, (-rowid,)) for pk, day, rowid in first], counted)

    def count(self, terms: list[str], where: Where, limit: int) -> int:
        if not terms:
            return super().count(terms, where, limit)
        sql, params = _matches(terms, where)
        return int(
            _rows(f"SELECT count(*) FROM (SELECT 1{sql} LIMIT %s)", [*params, limit])[
                0
            ][0]
        )

    def facet_rows(self, terms: list[str], limit: int) -> list[FacetRow]:
        if not terms:
            return super().facet_rows(terms, limit)
        sql, params = _matches(terms, Where())
        fields = "unit_id, column_id, kind_id, year, validity"
        rows = _rows(
            f"SELECT {fields}, count(*) FROM (SELECT d.unit_id, d.column_id,"
            f" d.kind_id, d.year, d.validity{sql} ORDER BY m0.rowid LIMIT %s)"
            f" GROUP BY {fields}",
            [*params, limit],
        )
        return [(u, c, k, y, str(v), int(n)) for u, c, k, y, v, n in rows]

    def matching_among(self, terms: list[str], ids: list[int]) -> set[int]:
        if not ids:
            return set()
        sql, params = _matches(terms, Where(), ids=len(ids))
        return {row[0] for row in _rows(f"SELECT d.id{sql}", [*params, *ids])}
