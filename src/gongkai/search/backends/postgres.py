"""PostgreSQL: ``search_searchdocument.tsv``, a tsvector with a GIN index, and
``title_tsv``, the same for the title alone (title matches rank first).

The tsvector is ``array_to_tsvector`` of the document's unigrams and bigrams
(sent as one space-separated text, split by the server): lexemes exactly as spelled, no parser, no configuration, no positions.
Positions are left out on purpose: PostgreSQL keeps at most 256 positions per
lexeme and none beyond 16,383, so a ``<->`` phrase would miss terms deep in a
long document. Instead the GIN index finds the documents holding all of a term's
bigrams, and a term of three or more characters is then confirmed as a
substring (``strpos``) of the folded fields; a term of one or two characters is a
single lexeme and needs no check. Recall and precision are both exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from django.db import connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from psycopg.pq import TransactionStatus

from gongkai.search.backends.base import (
    FacetRow,
    Newest,
    Ranked,
    SearchBackend,
    Statement,
    Where,
    count_limit,
    facet_rows_of,
    insert_documents,
    on_row,
)
from gongkai.search.tokens import IndexTokens, pairs, spell


def quote_lexeme(lexeme: str) -> str:
    escaped = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"


def tsquery(terms: list[str]) -> str:
    """The tsquery text (read by the ``tsquery`` input function, not by
    ``to_tsquery``): every lexeme of every term, joined with ``&``."""
    lexemes: dict[str, None] = {}
    for term in terms:
        spelled = spell(term)
        for lexeme in [spelled] if len(spelled) == 1 else pairs(spelled):
            lexemes.setdefault(lexeme, None)
    return " & ".join(quote_lexeme(lexeme) for lexeme in lexemes)


TSVECTOR = "array_to_tsvector(string_to_array(%s, ' '))"


def _matches(column: str, terms: list[str]) -> Q:
    if not terms:
        return Q()
    return Q(
        RawSQL(
            f'"search_searchdocument"."{column}" @@ %s::tsquery',
            [tsquery(terms)],
            output_field=BooleanField(),
        )
    )


def _current(cursor: Any, names: list[str]) -> dict[str, str]:
    """The connection's values of the settings ``names``."""
    cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
    return dict(zip(names, cursor.fetchone(), strict=True))


def _set(cursor: Any, values: dict[str, str], *, local: bool) -> None:
    """Settings for the connection (``local``: for the transaction)."""
    for name, value in values.items():
        cursor.execute("SELECT set_config(%s, %s, %s)", [name, value, local])


@contextmanager
def _bitmap_scan() -> Iterator[None]:
    """Within: no sequential scan where another plan exists. PostgreSQL takes a
    phrase's common pairs for many matches (121,593 estimated for "027月8",
    which has 13) and, with a ``LIMIT`` and no order, expects a sequential scan
    to stop early; it reads every row instead, unpacking each tsvector (8.6 s at
    a million documents; through the GIN bitmap 2.4 s). ``SET LOCAL`` in a
    savepoint or transaction of its own, the setting as before afterwards."""
    with transaction.atomic(), connection.cursor() as cursor:
        before = _current(cursor, ["enable_seqscan"])
        _set(cursor, {"enable_seqscan": "off"}, local=True)
        yield
        _set(cursor, before, local=True)


class PostgresBackend(SearchBackend):
    name = "postgresql-tsvector"
    token_forms = ("lexeme_text", "title_lexeme_text")

    def statements(
        self, rows: list[dict[str, Any]], tokens: list[IndexTokens]
    ) -> list[Statement]:
        return [
            insert_documents(
                rows,
                extra={"tsv": TSVECTOR, "title_tsv": TSVECTOR},
                extra_params=[[t.lexeme_text, t.title_lexeme_text] for t in tokens],
            )
        ]

    # Settings of a connection writing many documents. GIN indexes take new
    # entries into a pending list, merged into the index, sorted by lexeme,
    # when it passes ``gin_pending_list_limit`` (4 MB by default), using up to
    # ``work_mem``. A larger list and more memory for each merge: 40,000
    # documents into an empty index 44 s → 31 s of server time (32 MB of
    # memory: no faster; 256 MB: slower).
    BULK_SETTINGS: ClassVar[dict[str, str]] = {
        "gin_pending_list_limit": "16MB",
        "work_mem": "64MB",
    }
    GIN_INDEXES = ("search_searchdocument_tsv", "search_searchdocument_title_tsv")

    @contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """``BULK_SETTINGS`` for this connection while writing, the pending
        lists merged when done (a search reads a pending list entry by entry),
        and the settings as they were. Where the writing failed inside a
        transaction, that transaction's rollback undoes the settings."""
        with connection.cursor() as cursor:
            before = _current(cursor, list(self.BULK_SETTINGS))
            _set(cursor, self.BULK_SETTINGS, local=False)
        written = False
        try:
            yield
            written = True
        finally:
            status = connection.connection.info.transaction_status
            if status != TransactionStatus.INERROR:
                with connection.cursor() as cursor:
                    if written:
                        self._clean_pending_lists(cursor)
                    _set(cursor, before, local=False)

    def merge(self, pages: int, *, first: bool) -> bool:
        """The GIN indexes' pending lists merged into the indexes (searches read
        a pending list entry by entry); the rest PostgreSQL keeps merged."""
        with connection.cursor() as cursor:
            self._clean_pending_lists(cursor)
        return False

    def _clean_pending_lists(self, cursor: Any) -> None:
        for index in self.GIN_INDEXES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])

    def candidates(self, terms: list[str]) -> Q:
        return _matches("tsv", terms)

    def title_candidates(self, terms: list[str]) -> Q:
        return _matches("title_tsv", terms)

    def needs_check(self, term: str) -> bool:
        return len(term) > 2

    def newest_counted(
        self, terms: list[str], where: Where, want: int, limit: int
    ) -> Newest:
        """The matches are read once, unordered, up to ``limit``, with their
        titles. When that is all of them, the newest, the count and the newest
        title matches all come from that one pass: PostgreSQL reads every
        candidate through the GIN bitmap whether asked for the newest or for the
        count (a phrase, confirmed with ``strpos``, on each), and a term rare in
        titles no longer takes a walk of its own (a common phrase at a million
        items: 1.3 s → 0.7 s). More matches than that: the count is the limit,
        the newest are a probe of the newest documents (phrases) or PostgreSQL's
        own walk, and the title matches a walk of the title index."""
        if not terms:
            return super().newest_counted(terms, where, want, limit)
        with _bitmap_scan():
            rows = list(
                self._matching(terms, where)
                .order_by()
                .values_list("pk", "rank_day", "published_at", "title_folded")[:limit]
            )
        if len(rows) == limit:
            probed = None
            if any(self.needs_check(term) for term in terms):
                probed = self._probe_newest(terms, where, want)
            return Newest(probed or self.newest(terms, where, want), limit)
        rows.sort(key=lambda row: (row[2], row[0]), reverse=True)
        matches = [Ranked(pk, day, (at, pk)) for pk, day, at, _ in rows]
        titled = [
            ranked
            for ranked, row in zip(matches, rows, strict=True)
            if all(term in row[3] for term in terms)
        ]
        return Newest(matches[:want], len(rows), titled[:want])

    def facet_rows(self, terms: list[str], limit: int) -> list[FacetRow]:
        """The newest ``limit`` matches of a phrase found as in ``search``
        (one unordered pass, else a probe of the newest documents) instead of
        PostgreSQL sorting every candidate: GB/T at a million items 3.1 s → 0.44 s,
        covid-19 → 0.38 s."""
        if not any(self.needs_check(term) for term in terms):
            return super().facet_rows(terms, limit)
        newest = self.newest_counted(terms, Where(), limit, count_limit() + 1)
        return facet_rows_of([ranked.pk for ranked in newest.matches])

    # The newest documents a probe reads for each hundred matches it looks for.
    PROBE_ROWS = 2000

    def _probe_newest(
        self, terms: list[str], where: Where, want: int
    ) -> list[Ranked] | None:
        """The ``want`` newest matches of a phrase found in more than the count
        limit of documents, if they are among the newest documents passing the
        filters (``PROBE_ROWS`` of them for each hundred wanted), checked by
        substring alone, which is exact; else None.

        PostgreSQL estimates a conjunction of bigrams as rare and so reads every
        GIN candidate and sorts them, although a common phrase is better found
        by walking the newest documents: "covid-19" (306,073 candidates at a
        million items) 2.7 s that way, 6 ms this way. A phrase common overall
        but absent from recent documents fails the probe (a bounded cost) and
        takes the ordinary walk."""
        probe_rows = self.PROBE_ROWS * max(1, math.ceil(want / 100))
        filters, params = where.sql("d")
        checks, patterns = on_row("r", terms, function="strpos")
        sql = (
            "SELECT r.id, r.rank_day, r.published_at FROM ("
            " SELECT d.id, d.rank_day, d.published_at, d.title_folded,"
            " d.meta_folded, d.folded FROM search_searchdocument d"
            f"{' WHERE ' + ' AND '.join(filters) if filters else ''}"
            " ORDER BY d.published_at DESC, d.id DESC LIMIT %s) r"
            f" WHERE {' AND '.join(checks)}"
            " ORDER BY r.published_at DESC, r.id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, probe_rows, *patterns, want])
            rows = cursor.fetchall()
        if len(rows) < want:
            return None
        return [Ranked(pk, day, (at, pk)) for pk, day, at in rows]
