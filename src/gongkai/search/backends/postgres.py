"""PostgreSQL: ``search_searchdocument.tsv``, a tsvector with a GIN index.

The tsvector is ``array_to_tsvector`` of the document's distinct unigrams and
bigrams: lexemes exactly as spelled, no parser, no configuration, no positions.
Positions are left out on purpose: PostgreSQL keeps at most 256 positions per
lexeme and none beyond 16,383, so a ``<->`` phrase would miss terms deep in a
long document. Instead the GIN index finds the documents holding all of a term's
bigrams, and a term of three or more characters is then confirmed as a
substring (``LIKE``) of the folded fields; a term of one or two characters is a
single lexeme and needs no check. Recall and precision are both exact.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from gongkai.search.backends.base import SearchBackend
from gongkai.search.models import SearchDocument
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


class PostgresBackend(SearchBackend):
    name = "postgresql-tsvector"

    def save(self, documents: list[SearchDocument], tokens: list[IndexTokens]) -> None:
        SearchDocument.objects.bulk_create(documents)
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE search_searchdocument SET tsv = array_to_tsvector(%s::text[])"
                " WHERE id = %s",
                [
                    (t.lexemes, document.pk)
                    for document, t in zip(documents, tokens, strict=True)
                ],
            )

    def candidates(self, terms: list[str]) -> Q:
        if not terms:
            return Q()
        return Q(
            RawSQL(
                '"search_searchdocument"."tsv" @@ %s::tsquery',
                [tsquery(terms)],
                output_field=BooleanField(),
            )
        )

    def needs_check(self, term: str) -> bool:
        return len(term) > 2
