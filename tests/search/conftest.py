"""Search fixtures: the backend under test, and a way to apply the outbox the way the worker does."""

from __future__ import annotations

import pytest
from django.db import connection

from kb.lib import caches
from kb.search.outbox import drain


@pytest.fixture(params=["whoosh", "postgres"])
def backend_name(request, settings, db):
    """Run a test once per backend; the PostgreSQL one needs a PostgreSQL database (CI's 2nd run)."""
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip(
            "the PostgreSQL backend needs DATABASE_URL=postgres://… (CI runs it in the PostgreSQL pass)"
        )
    settings.KB_SEARCH_BACKEND = request.param
    caches.reset_all()
    yield request.param
    caches.reset_all()


@pytest.fixture
def index_now(db):
    """index_now() applies every pending outbox row, as ``search_worker --once`` would."""

    def run() -> int:
        return drain()

    return run
