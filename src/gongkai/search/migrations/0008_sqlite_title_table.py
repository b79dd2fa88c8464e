"""SQLite: ``search_fts_titles(title)``, the titles' bigrams alone, so that the
newest title matches of a phrase are read from title doclists instead of a
column filter over every body match (see ``gongkai.search.backends.sqlite``).
Filled from the stored folded titles, in row id order. Nothing on PostgreSQL.
"""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from gongkai.search.tokens import index_tokens

BATCH = 5000
CREATE = (
    "CREATE VIRTUAL TABLE search_fts_titles USING fts5("
    "title, content='', tokenize='ascii', columnsize=0)"
)
MERGING = [
    "INSERT INTO search_fts_titles (search_fts_titles, rank)"
    f" VALUES ('{option}', {value})"
    for option, value in (("automerge", 16), ("crisismerge", 64))
]


def _fill(apps: StateApps, cursor: Any) -> None:
    document = apps.get_model("search", "SearchDocument")
    after = None
    while True:
        page = document.objects.filter(fts_rowid__isnull=False).order_by("fts_rowid")
        if after is not None:
            page = page.filter(fts_rowid__gt=after)
        rows = list(page.values_list("fts_rowid", "title_folded")[:BATCH])
        if not rows:
            return
        titles = [
            (rowid, bigrams)
            for rowid, title in rows
            if (bigrams := index_tokens(title=title).title_bigrams)
        ]
        cursor.executemany(
            "INSERT INTO search_fts_titles (rowid, title) VALUES (%s, %s)", titles
        )
        after = rows[-1][0]


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS search_fts_titles")
    for sql in [CREATE, *MERGING]:
        schema_editor.execute(sql)
    with schema_editor.connection.cursor() as cursor:
        _fill(apps, cursor)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts_titles")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_postgres_lz4")]

    operations = [migrations.RunPython(forward, backward)]
