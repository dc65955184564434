"""Search fixtures: the backend under test, and a way to apply the outbox the way the worker does."""

from __future__ import annotations

import pytest
from django.db import connection

from kb.lib import caches
from kb.search.outbox import drain
from tests.conftest import IN_CI


@pytest.fixture(params=["whoosh", "postgres"])
def backend_name(request, settings, db):
    """Run a test once per backend; PostgreSQL only when the database is PostgreSQL (always in CI's PG run)."""
    if request.param == "postgres" and connection.vendor != "postgresql":
        if IN_CI and connection.vendor == "postgresql":  # pragma: no cover - unreachable, kept for intent
            pytest.fail("PostgreSQL backend must run in CI")
        pytest.skip("the PostgreSQL backend needs DATABASE_URL=postgres://…")
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
