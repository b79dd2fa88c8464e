"""PostgreSQL: ``search_searchdocument.tsv``, a tsvector with a GIN index, and
``title_tsv``, the same for the title alone (title matches rank first).

The tsvector is ``array_to_tsvector`` of the document's unigrams and bigrams
(sent as one space-separated text, split by the server): lexemes exactly as spelled, no parser, no configuration, no positions.
Positions are left out on purpose: PostgreSQL keeps at most 256 positions per
lexeme and none beyond 16,383, so a ``<->`` phrase would miss terms deep in a
long document. Instead the GIN index finds the documents holding all of a term's
bigrams, and a term of three or more characters is then confirmed as a
substring (``LIKE``) of the folded fields; a term of one or two characters is a
single lexeme and needs no check. Recall and precision are both exact.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from gongkai.search.backends.base import SearchBackend, Statement, insert_documents
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

    def candidates(self, terms: list[str]) -> Q:
        return _matches("tsv", terms)

    def title_candidates(self, terms: list[str]) -> Q:
        return _matches("title_tsv", terms)

    def needs_check(self, term: str) -> bool:
        return len(term) > 2
