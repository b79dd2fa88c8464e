"""SQLite: characters move from ``search_fts`` into their own FTS5 table.

One-character terms need no positions, so ``search_fts_chars`` keeps its
tokens with ``detail=none`` (a tenth of the cost of the positional column they
were in), and ``search_fts`` keeps only the bigrams. Both tables are rebuilt
from the stored folded text, with each document's ``fts_rowid`` as row id in
both. Other databases are unchanged."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from gongkai.search.tokens import index_tokens

CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(bigrams, content='', tokenize='ascii')",
    "CREATE VIRTUAL TABLE search_fts_chars USING fts5("
    "chars, content='', tokenize='ascii', detail=none, columnsize=0)",
]
OLD = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "bigrams, unigrams, content='', tokenize='ascii')"
)


def _refill(
    apps: StateApps, schema_editor: BaseDatabaseSchemaEditor, both: bool
) -> None:
    document = apps.get_model("search", "SearchDocument")
    rows = document.objects.order_by("pk").values_list(
        "pk", "title_folded", "meta_folded", "folded"
    )
    with schema_editor.connection.cursor() as cursor:
        for rowid, (pk, title, meta, folded) in enumerate(
            rows.iterator(chunk_size=1000), start=1
        ):
            tokens = index_tokens(title, meta, folded)
            if both:
                cursor.execute(
                    "INSERT INTO search_fts (rowid, bigrams) VALUES (%s, %s)",
                    [rowid, tokens.bigrams],
                )
                cursor.execute(
                    "INSERT INTO search_fts_chars (rowid, chars) VALUES (%s, %s)",
                    [rowid, tokens.unigrams],
                )
            else:
                cursor.execute(
                    "INSERT INTO search_fts (rowid, bigrams, unigrams)"
                    " VALUES (%s, %s, %s)",
                    [rowid, tokens.bigrams, tokens.unigrams],
                )
            document.objects.filter(pk=pk).update(fts_rowid=rowid)


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    apps.get_model("search", "SearchDocument").objects.update(fts_rowid=None)
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    for sql in CREATE:
        schema_editor.execute(sql)
    _refill(apps, schema_editor, both=True)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    apps.get_model("search", "SearchDocument").objects.update(fts_rowid=None)
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    schema_editor.execute("DROP TABLE IF EXISTS search_fts_chars")
    schema_editor.execute(OLD)
    _refill(apps, schema_editor, both=False)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(forward, backward)]
