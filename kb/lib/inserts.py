"""One row inserted by SQL written once per model: for the rows a hot path writes on every request.

``Model.objects.create`` builds and compiles an ``InsertQuery`` each time: 0.45 ms of Python for a
search's log row, a tenth of a whole search (docs/reliability.md §7). ``insert`` binds the same values
the ORM would (each field's ``pre_save`` and ``get_db_prep_save``) into SQL written once from the
model's own names. No signals are sent, so it is only for models nothing listens to (the search log).
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection, models


@functools.cache
def _insert_sql(model: type[models.Model]) -> tuple[str, tuple[models.Field, ...]]:
    qn = connection.ops.quote_name
    fields = tuple(f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField))
    columns = ", ".join(qn(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})", fields  # noqa: S608


def insert(obj: models.Model) -> models.Model:
    """Insert ``obj`` as a new row (its primary key set by a default, not by the database)."""
    sql, fields = _insert_sql(type(obj))
    values: list[Any] = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
    obj._state.adding = False
    obj._state.db = "default"
    return obj
