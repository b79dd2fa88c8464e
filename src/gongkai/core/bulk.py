"""Bulk inserts for the importers, cheaper than ``bulk_create``.

``bulk_create`` compiles a multi-row statement per batch and cannot give a row
its key before the row exists, so two tables that refer to each other (an item
and its revision) need a second pass. Here the keys are taken first, from the
table's sequence (PostgreSQL) or after the highest key ever used (SQLite, whose
write lock the calling transaction holds), and every row is then written with
one prepared statement run for all rows (``executemany``). Field defaults and
``auto_now``/``auto_now_add`` apply as in ``save()``; no signals are sent, as
with ``bulk_create``. Call these inside a transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Model


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """``count`` unused primary keys of ``model``'s table, in increasing order."""
    if count <= 0:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_ids must run inside a transaction")
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s))"
                " FROM generate_series(1, %s)",
                [table, pk.column, count],
            )
            return sorted(int(row[0]) for row in cursor.fetchall())
        quoted = connection.ops.quote_name(table)
        cursor.execute(
            f"SELECT max({connection.ops.quote_name(str(pk.column))}) FROM {quoted}"
        )
        highest = int(cursor.fetchone()[0] or 0)
        if connection.vendor == "sqlite":
            # AUTOINCREMENT tables never reuse a key, not even a deleted one.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = max(highest, int(row[0]) if row else 0)
        return list(range(highest + 1, highest + 1 + count))


def insert_all(objs: Sequence[Model]) -> None:
    """Insert ``objs`` (of one model, primary keys already set) in one prepared
    statement run for every row."""
    if not objs:
        return
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    names = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)}"
        f" ({names}) VALUES ({marks})"
    )
    params = [
        [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
