"""SQLite FTS5: ``search_fts(bigrams, unigrams)``, contentless, ``ascii`` tokenizer.

The ``ascii`` tokenizer splits only at ASCII non-alphanumerics; tokens are spelled
without ASCII punctuation (``gongkai.search.tokens``), so each token is one FTS5
token and a phrase is taken literally. A term ``c1…cn`` (n ≥ 2) is the phrase of
its bigrams ``"c1c2 c2c3 …"``: FTS5 matches it at consecutive positions, which
the bigram column has only inside one run (runs are divided by a one-character
marker that is never a bigram), so a match is exactly an occurrence of the term.
A one-character term is its unigram. No check against the text is needed.

Contentless FTS5 rows cannot be deleted on SQLite 3.40 (``contentless_delete``
came in 3.43), so a rewritten or removed document leaves its old row behind,
never joined again; ``rebuild`` empties the table (``delete-all``).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from gongkai.search.backends.base import SearchBackend
from gongkai.search.models import SearchDocument
from gongkai.search.tokens import IndexTokens, pairs, spell


def match_expression(terms: list[str]) -> str:
    """The FTS5 query for folded terms. Spelled tokens hold no ``"``, so the
    quoted phrases cannot be broken out of."""
    parts = []
    for term in terms:
        spelled = spell(term)
        if '"' in spelled:  # pragma: no cover - ruled out by spelling
            raise ValueError("unspellable term")
        if len(spelled) == 1:
            parts.append(f'unigrams : "{spelled}"')
        else:
            parts.append(f'bigrams : "{" ".join(pairs(spelled))}"')
    return " AND ".join(parts)


class SqliteBackend(SearchBackend):
    name = "sqlite-fts5"
    rebuild_in_one_transaction = True

    def save(self, documents: list[SearchDocument], tokens: list[IndexTokens]) -> None:
        # Row ids are given explicitly, after the highest one in use (stale rows
        # included); SQLite's write lock, held by this transaction, keeps them
        # from being taken concurrently.
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM search_fts ORDER BY rowid DESC LIMIT 1")
            row = cursor.fetchone()
            first = (int(row[0]) if row else 0) + 1
            for offset, document in enumerate(documents):
                document.fts_rowid = first + offset
            SearchDocument.objects.bulk_create(documents)
            cursor.executemany(
                "INSERT INTO search_fts (rowid, bigrams, unigrams) VALUES (%s, %s, %s)",
                [
                    (document.fts_rowid, t.bigrams, t.unigrams)
                    for document, t in zip(documents, tokens, strict=True)
                ],
            )

    def reset(self) -> None:
        # Row ids restart after delete-all; no document may keep an old one.
        SearchDocument.objects.update(fts_rowid=None)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")

    def optimise(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")

    def stale_rows(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts")
            rows = int(cursor.fetchone()[0])
        return rows - SearchDocument.objects.filter(fts_rowid__isnull=False).count()

    def candidates(self, terms: list[str]) -> Q:
        if not terms:
            return Q()
        return Q(
            fts_rowid__in=RawSQL(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
                [match_expression(terms)],
            )
        )

    def needs_check(self, term: str) -> bool:
        return False
