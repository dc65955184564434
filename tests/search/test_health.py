"""/healthz and the index on a fresh install (CONTRACT §5): built on its own, degraded is still 200."""

from __future__ import annotations

import shutil
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from kb.lib import caches
from kb.search.backends import get_backend
from kb.search.models import SearchOutbox
from kb.search.selectors import search_articles

pytestmark = pytest.mark.django_db


def _fresh_install(settings) -> None:
    """Articles in the database, no index folder, nothing in the outbox (migrate + load, no rebuild)."""
    SearchOutbox.objects.all().delete()
    shutil.rmtree(settings.KB_SEARCH_INDEX_DIR, ignore_errors=True)
    caches.reset_all()


def test_fresh_install_healthz_is_ok_without_any_index_step(make_article, specialist, client, settings):
    make_article("Copyright strike removal", body="Strikes expire after 90 days.")
    _fresh_install(settings)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "search": "ok", "outbox_pending": 0}
    result = search_articles(specialist, "copyright strike", log=False)
    assert result.count == 1 and not result.degraded


def test_search_worker_creates_a_missing_index_from_the_database(make_article, specialist, settings):
    make_article("Copyright strike removal", body="Strikes expire after 90 days.")
    _fresh_install(settings)
    call_command("search_worker", "--once", stdout=StringIO())
    assert (Path(settings.KB_SEARCH_INDEX_DIR) / "current").exists()
    result = search_articles(specialist, "copyright strike", log=False)
    assert result.count == 1 and not result.degraded


def test_an_empty_database_gets_an_empty_working_index(client, settings):
    _fresh_install(settings)
    body = client.get("/healthz").json()
    assert (body["status"], body["search"]) == ("ok", "ok")


@pytest.mark.search_errors_expected
def test_a_damaged_index_is_200_degraded_and_search_answers_from_the_database(
    make_article, specialist, index_now, settings, client
):
    make_article("Copyright strike removal", body="Strikes expire after 90 days.")
    index_now()
    root = Path(settings.KB_SEARCH_INDEX_DIR)
    for f in (root / (root / "current").read_text()).iterdir():
        if f.is_file():
            f.write_bytes(b"garbage")
    caches.reset_all()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert body["search"].startswith("unavailable: index corrupt")
    result = search_articles(specialist, "copyright", log=False)
    assert result.count == 1 and result.degraded


def test_concurrent_creators_build_one_index(settings):
    backend = get_backend()
    built: list[bool] = []
    barrier = threading.Barrier(4)

    def create() -> None:
        barrier.wait()
        built.append(backend.create_if_missing(list))

    threads = [threading.Thread(target=create) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    root = Path(settings.KB_SEARCH_INDEX_DIR)
    assert sorted(built) == [False, False, False, True]
    assert [p.name for p in root.iterdir() if p.name.startswith("index-")] == [(root / "current").read_text()]
    assert backend.health() == "ok"
