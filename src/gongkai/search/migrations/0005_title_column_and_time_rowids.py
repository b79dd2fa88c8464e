"""Title matches by index, and FTS row ids in publication order.

SQLite: both FTS5 tables get a ``title`` column (``search_fts_chars`` keeps
columns but no positions, ``detail=column``), and row ids become publication
times, newest first ((2⁴⁰ − seconds since 1970) · 2²² + a number within the
second), so the newest matches of a query are read first from the index. Both
tables are rebuilt from the stored folded text, in row id order.

PostgreSQL: ``title_tsv``, the title's unigrams and bigrams, with a GIN index.
"""

from datetime import datetime
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import Q

from gongkai.search.tokens import index_tokens

ORDER_BITS = 22
LATEST_SECOND = 1 << 40
BATCH = 1000
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, bigrams, content='', tokenize='ascii')",
    "CREATE VIRTUAL TABLE search_fts_chars USING fts5("
    "title, chars, content='', tokenize='ascii', detail=column, columnsize=0)",
]
# What a walk over the matches reads of each document (ranking and facets),
# so that it never reads the document's row with its long text.
SQLITE_COVERING = (
    "CREATE INDEX search_doc_fts_walk ON search_searchdocument"
    " (fts_rowid, rank_day, unit_id, column_id, kind_id, year, validity)"
)
# FTS5 merges 16 segments of a level at a time instead of 4 (and forces a merge
# at 64): indexing costs about half, a query probes a few more segments
# (``rebuild`` ends with ``optimize``, which leaves one).
SQLITE_MERGING = [
    f"INSERT INTO {table} ({table}, rank) VALUES ('{option}', {value})"
    for table in ("search_fts", "search_fts_chars")
    for option, value in (("automerge", 16), ("crisismerge", 64))
]
SQLITE_OLD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(bigrams, content='', tokenize='ascii')",
    "CREATE VIRTUAL TABLE search_fts_chars USING fts5("
    "chars, content='', tokenize='ascii', detail=none, columnsize=0)",
]
POSTGRES_CREATE = [
    "ALTER TABLE search_searchdocument"
    " ADD COLUMN title_tsv tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX search_searchdocument_title_tsv"
    " ON search_searchdocument USING gin (title_tsv)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_searchdocument_title_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS title_tsv",
]
FIELDS = ("pk", "published_at", "title_folded", "meta_folded", "folded")


def _batches(apps: StateApps) -> Any:
    """Documents newest first, a batch at a time (keyset pages, so writing to
    the table never disturbs the read)."""
    document = apps.get_model("search", "SearchDocument")
    documents = document.objects.order_by("-published_at", "pk")
    after: tuple[datetime, int] | None = None
    while True:
        page = documents
        if after is not None:
            page = page.filter(
                Q(published_at__lt=after[0]) | Q(published_at=after[0], pk__gt=after[1])
            )
        rows = list(page.values_list(*FIELDS)[:BATCH])
        if not rows:
            return
        yield rows
        after = (rows[-1][1], rows[-1][0])


def _sqlite_refill(apps: StateApps, cursor: Any, new: bool) -> None:
    document = apps.get_model("search", "SearchDocument")
    document.objects.update(fts_rowid=None)
    rowid = 0
    following: dict[int, int] = {}
    for rows in _batches(apps):
        fts: list[tuple[Any, ...]] = []
        chars: list[tuple[Any, ...]] = []
        links: list[tuple[int, int]] = []
        for pk, published_at, title, meta, folded in rows:
            if new:
                seconds = int(published_at.timestamp() // 1)
                base = (LATEST_SECOND - seconds) << ORDER_BITS
                rowid = following.get(base, base)
                following[base] = rowid + 1
                tokens = index_tokens(meta, folded, title=title)
                fts.append((rowid, tokens.title_bigrams, tokens.bigrams))
                chars.append((rowid, tokens.title_unigrams, tokens.unigrams))
            else:
                rowid += 1
                tokens = index_tokens(title, meta, folded)
                fts.append((rowid, tokens.bigrams))
                chars.append((rowid, tokens.unigrams))
            links.append((rowid, pk))
        if new:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, bigrams) VALUES (%s, %s, %s)",
                fts,
            )
            cursor.executemany(
                "INSERT INTO search_fts_chars (rowid, title, chars) VALUES (%s, %s, %s)",
                chars,
            )
        else:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, bigrams) VALUES (%s, %s)", fts
            )
            cursor.executemany(
                "INSERT INTO search_fts_chars (rowid, chars) VALUES (%s, %s)", chars
            )
        cursor.executemany(
            "UPDATE search_searchdocument SET fts_rowid = %s WHERE id = %s", links
        )


def _postgres_fill(apps: StateApps, cursor: Any) -> None:
    for rows in _batches(apps):
        cursor.executemany(
            "UPDATE search_searchdocument SET title_tsv ="
            " array_to_tsvector(string_to_array(%s, ' ')) WHERE id = %s",
            [
                (index_tokens(title=title).title_lexeme_text, pk)
                for pk, _, title, _, _ in rows
            ],
        )


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for table in ("search_fts", "search_fts_chars"):
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
        for sql in SQLITE_CREATE + SQLITE_MERGING:
            schema_editor.execute(sql)
        with schema_editor.connection.cursor() as cursor:
            _sqlite_refill(apps, cursor, new=True)
        schema_editor.execute(SQLITE_COVERING)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE[0])
        with schema_editor.connection.cursor() as cursor:
            _postgres_fill(apps, cursor)
        schema_editor.execute(POSTGRES_CREATE[1])


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS search_doc_fts_walk")
        for table in ("search_fts", "search_fts_chars"):
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")
        for sql in SQLITE_OLD:
            schema_editor.execute(sql)
        with schema_editor.connection.cursor() as cursor:
            _sqlite_refill(apps, cursor, new=False)
    elif vendor == "postgresql":
        for sql in POSTGRES_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_listing_indexes")]

    operations = [migrations.RunPython(forward, backward)]
