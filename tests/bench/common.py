"""What the in-process benchmarks share: Django set-up, a throw-away database, percentiles."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    os.environ.setdefault("KB_DEBUG", "1")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def calibration_ms() -> float:
    """A fixed pure-Python loop (20,000 dict lookups): ~2–3 ms on an idle core of this machine. A higher
    figure means a slower or busier machine, and every figure measured beside it is inflated by about
    the same factor; the benches print it so that runs on different days can be compared."""
    table = {(i, j): j for i in range(500) for j in range(40)}
    start = time.perf_counter()
    for _ in range(5):
        rows = [[table.get((i, j)) for j in range(40)] for i in range(500)]
    del rows
    return (time.perf_counter() - start) * 1000 / 5


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0–1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@contextlib.contextmanager
def throwaway_database(name: str) -> Iterator[None]:
    """A fresh test database for the benchmark, dropped afterwards; logging below WARNING is off
    (the audit log of the set-up would drown the figures). On PostgreSQL the database gets a name of
    its own, so a test run going on beside the benchmark keeps its own."""
    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment

    logging.disable(logging.INFO)
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{name}_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
