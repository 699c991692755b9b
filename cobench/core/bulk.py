"""Inserting many rows at once, cheaper than `bulk_create` for wide rows written in bulk,
and the planner statistics to read them back quickly afterwards.

`bulk_create` compiles every value through the SQL compiler, which costs more than
the database's own work when a batch of imports writes thousands of rows. `insert`
writes the same column values (each field's `get_db_prep_save`, as `save` does) with
one prepared statement run by `executemany`. The objects must be complete: no
`pre_save` hooks (auto_now) run, and database-generated keys are not read back.
Afterwards the objects are marked saved, as `save` leaves them.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router


def insert(objs: Sequence[models.Model]) -> None:
    """INSERT each of `objs` (all of one model) as a row, in one `executemany`; then saved."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.db_returning]  # type: ignore[attr-defined]
    prep = [(f.attname, f.get_db_prep_save) for f in fields]
    quote = connection.ops.quote_name
    # only quoted names of our own tables and columns go into the text; values are parameters
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [[p(getattr(obj, name), connection) for name, p in prep] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    for obj in objs:  # as `save` and `bulk_create` leave them: a later save() is an UPDATE
        obj._state.adding, obj._state.db = False, connection.alias


def analyze(*tables: type[models.Model]) -> None:
    """After a bulk load into `tables` (models): SQLite's planner statistics, sampled (at
    most 1,000 rows an index, so milliseconds at any size). Without them SQLite guesses that
    every index narrows to a few rows, and may walk a sponsor's whole registry in order
    rather than look one key up. PostgreSQL's autovacuum keeps its own statistics."""
    connection = connections[router.db_for_write(tables[0])]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit = 1000")
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
