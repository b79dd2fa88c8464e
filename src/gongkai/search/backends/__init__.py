"""Where the full-text work happens, by database vendor.

Every backend answers the same question exactly: which documents contain each
query term as a substring of their title, 文号/索引号, or text. A backend gives a
candidate condition from its index and says for which terms the candidates must
still be checked against the stored folded text:

* SQLite (``sqlite.py``): an FTS5 phrase of the term's bigrams in the bigram
  column, or its unigram. Exact by construction, no check.
* PostgreSQL (``postgres.py``): the GIN-indexed tsvector holds each distinct
  unigram and bigram once; the candidates contain all of a term's bigrams, and
  terms of three or more characters are confirmed with ``strpos``.
* Anything else (``base.py``): no index; every term is checked by scanning.
"""

from __future__ import annotations

from django.db import connection

from gongkai.search.backends.base import SearchBackend
from gongkai.search.backends.postgres import PostgresBackend
from gongkai.search.backends.sqlite import SqliteBackend

__all__ = ["SearchBackend", "current_backend"]


def current_backend() -> SearchBackend:
    if connection.vendor == "sqlite":
        return SqliteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SearchBackend()
