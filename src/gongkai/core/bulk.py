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

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model

# Django's own field types whose values (already of the right Python type) go to
# the database driver unchanged; ``get_db_prep_save`` would only check that.
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallAutoField",
        "SmallIntegerField",
        "TextField",
        "URLField",
    }
)


def _as_is(value: Any) -> Any:
    return value


def db_converters(fields: Sequence[Field[Any, Any]]) -> list[Callable[[Any], Any]]:
    """For each field, what turns a Python value into the driver's: as is for
    Django's plain types, the backend's adapter for dates and times (values are
    aware datetimes and dates), else the field's own ``get_db_prep_save``. Per
    value, this is a tenth of the cost of ``get_db_prep_save``, which matters
    at a million rows."""
    converters: list[Callable[[Any], Any]] = []
    for field in fields:
        kind = field.get_internal_type()
        stock = type(field).__module__.startswith("django.db.models.fields")
        if stock and kind in _AS_IS:
            converters.append(_as_is)
        elif stock and kind == "DateTimeField":
            converters.append(connection.ops.adapt_datetimefield_value)
        elif stock and kind == "DateField":
            converters.append(connection.ops.adapt_datefield_value)
        else:
            converters.append(_prepared_by(field))
    return converters


def _prepared_by(field: Field[Any, Any]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    return convert


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
    converters = list(zip(fields, db_converters(fields), strict=True))
    params = [
        [convert(f.pre_save(obj, True)) for f, convert in converters] for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
