"""Querysets compiled to SQL once per process and re-run with new values (hot, fixed-shape reads).

Building and compiling a queryset with several ``Exists``/``Subquery`` clauses costs milliseconds of
Python on every call, far more than the database needs to answer it. The reading banner runs such a
query on every page. A ``Statement`` builds the queryset once with *sentinel* values, keeps the SQL
and the positions of the sentinels among its parameters, and afterwards only substitutes the real
values.

Not for the access path (docs/access.md): a compiled copy of a visibility query outlives any change
to the rule, and a statement can only bind scalars, so the rule would be run with a stand-in user.
``kb.articles.access``, search hydration and token authentication use the ORM for the real user.
Left for the training banner until it moves off too; then this module goes.

Only for querysets whose SQL does not depend on the values (scalars compared, never lists or None:
``pk__in=[…]`` or ``field=None`` change the SQL). ``Statement`` checks that every sentinel appears as a
parameter and refuses otherwise, so a change that makes a value part of the SQL text fails loudly.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from kb.lib.caches import register_reset

# Values nobody stores: a negative primary key, a date before kb existed.
SENTINEL_INT_BASE = -7_300_000_000
SENTINEL_DATE_BASE = dt.date(1901, 1, 1)


class StatementShapeError(RuntimeError):
    """A sentinel did not come out as a query parameter: the SQL depends on the value."""


class Statement:
    """``build(**values)`` compiled once per database; ``rows(**values)`` runs it with new values.

    ``kinds`` names each value and its type (``int``, ``str`` or ``date``), which picks its sentinel.
    kb has one database (``default``); a statement runs there.
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], **kinds: type) -> None:
        self.build = build
        self.kinds = kinds
        self._compiled: dict[str, tuple[str, list[Any], dict[int, str], Any]] = {}
        self._lock = threading.Lock()
        register_reset(self._compiled.clear)

    def _sentinels(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for i, (name, kind) in enumerate(self.kinds.items()):
            if kind is int:
                out[name] = SENTINEL_INT_BASE - i
            elif kind is dt.date:
                out[name] = SENTINEL_DATE_BASE + dt.timedelta(days=i)
            elif kind is str:
                out[name] = f"\x1fkb-statement-sentinel-{i}\x1f"
            else:
                raise TypeError(f"Statement values are int, str or date, not {kind!r}")
        return out

    def _compile(self, using: str) -> tuple[str, list[Any], dict[int, str], Any]:
        sentinels = self._sentinels()
        qs = self.build(**sentinels)
        compiler = qs.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        # A backend may pass a date as text (SQLite): match the sentinel in either form.
        by_value: dict[Any, str] = {}
        for name, value in sentinels.items():
            by_value[value] = name
            by_value[self._adapt(using, name, value)] = name
        slots = {i: by_value[p] for i, p in enumerate(params) if _hashable(p) and p in by_value}
        missing = set(sentinels) - set(slots.values())
        if missing:
            raise StatementShapeError(f"values not passed as parameters: {sorted(missing)}")
        return sql, list(params), slots, compiler

    def _adapt(self, using: str, name: str, value: Any) -> Any:
        if self.kinds[name] is dt.date:
            return connections[using].ops.adapt_datefield_value(value)
        return value

    def compiled(self) -> tuple[str, list[Any], dict[int, str], Any]:
        using = DEFAULT_DB_ALIAS
        key = f"{using}:{connections[using].vendor}"
        found = self._compiled.get(key)
        if found is None:
            with self._lock:
                found = self._compiled.get(key) or self._compile(using)
                self._compiled[key] = found
        return found

    def bind(self, **values: Any) -> tuple[str, list[Any]]:
        """The SQL and its parameters for these values."""
        if set(values) != set(self.kinds):
            raise TypeError(f"expected values {sorted(self.kinds)}, got {sorted(values)}")
        sql, params, slots, _ = self.compiled()
        bound = list(params)
        for i, name in slots.items():
            bound[i] = self._adapt(DEFAULT_DB_ALIAS, name, values[name])
        return sql, bound

    def rows(self, **values: Any) -> list[tuple[Any, ...]]:
        """The result rows as the database returns them (no model or converter applied)."""
        sql, bound = self.bind(**values)
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, bound)
            return cursor.fetchall()

    def values(self, **values: Any) -> list[tuple[Any, ...]]:
        """The rows as ``values_list()`` would give them: each column through its field's converters
        (JSON decoded on SQLite, booleans, time zones)."""
        raw = self.rows(**values)
        compiler = self.compiled()[3]
        return list(compiler.results_iter(results=[raw], tuple_expected=True))


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
