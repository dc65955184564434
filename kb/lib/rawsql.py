"""SQL written once from a model's own names, for the few reads and writes on every request.

The ORM builds and compiles a query each time it runs one; for the token's user, the caller's team ids,
the team rule and the search log row that cost more Python than the rest of their work
(docs/reliability.md §7). These helpers give the quoted table and column names from ``_meta``, so a
renamed table or column is followed, and every value is still a bound parameter. None of them decides
which article anyone may read (docs/access.md).
"""

from __future__ import annotations

import functools
from typing import Any, cast

from django.db import connection, models
from django.db.models.options import Options


def _meta(model: Any) -> Options[Any]:
    return cast("Options[Any]", model if isinstance(model, Options) else model._meta)


def table(model: Any) -> str:
    """The quoted table of a model (or of its ``_meta``, e.g. an M2M ``through`` table)."""
    return connection.ops.quote_name(_meta(model).db_table)


def columns(model: Any, *names: str) -> tuple[str, ...]:
    """The quoted columns of the named fields (``"user"`` gives ``"user_id"``; ``"pk"`` the key)."""
    meta = _meta(model)
    fields = (meta.pk if name == "pk" else meta.get_field(name) for name in names)
    return tuple(connection.ops.quote_name(str(cast(models.Field, f).column)) for f in fields)


@functools.cache
def _insert_sql(model: type[models.Model]) -> tuple[str, tuple[models.Field, ...]]:
    fields = tuple(f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField))
    names = ", ".join(columns(model, *(f.name for f in fields)))
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {table(model)} ({names}) VALUES ({marks})", fields  # noqa: S608


def insert(obj: models.Model) -> models.Model:
    """Insert ``obj`` as a new row (its primary key set by a default, not by the database).

    The same values the ORM would bind (each field's ``pre_save`` and ``get_db_prep_save``); no
    signals are sent, so it is only for models nothing listens to (the search log).
    """
    sql, fields = _insert_sql(type(obj))
    values: list[Any] = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
    obj._state.adding = False
    obj._state.db = "default"
    return obj
