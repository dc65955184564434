"""Fault injection, the fast deterministic half (issue 6 §4); the heavy half is tests/bench/bench_faults.py.

Each test breaks one thing the way it breaks in production and checks what a user and an operator see:
- the index folder deleted → search answers from the database (a notice, never a 500) until
  ``/healthz`` (or the worker) builds the index again from the database, with no manual step;
- the index files corrupted → search still answers (database fallback, a notice, never a 500),
  ``/healthz`` is 200 ``"degraded"`` with ``"search": "unavailable: …"`` (CONTRACT §5: the node stays
  in the load balancer), ``rebuild_search_index`` restores it and /healthz is ``ok`` again;
- the index disk full (the Whoosh writer raises ENOSPC) → saves still succeed, the outbox keeps the rows
  with ``last_error``, nothing is lost, and the worker drains them once space is back;
- the web process dies between its commit and its own index update, or a worker dies holding claimed
  rows → ``search_worker --once`` catches up.
"""

from __future__ import annotations

import errno
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from kb.lib import caches
from kb.search.models import SearchOutbox

pytestmark = pytest.mark.django_db


def _healthz(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    return response.status_code, response.json()


def _search(api_client, q: str) -> dict:
    response = api_client.get("/api/v1/search/", {"q": q})
    assert response.status_code == 200, response.content
    return response.json()


def _indexed_version(article_id: int) -> int | None:
    """The version the index itself holds for an article (search results are hydrated from the database)."""
    from kb.search.backends import get_backend

    state = get_backend().indexed_state()
    return state[article_id][0] if article_id in state else None


def _live_build() -> Path:
    root = Path(settings.KB_SEARCH_INDEX_DIR)
    return root / (root / "current").read_text().strip()


@pytest.fixture
def indexed(make_article, specialist, api):
    """Two published articles, an index built from them, an empty outbox, and a specialist's client."""
    article = make_article(title="Payout held for identity verification", body="Ask for the payout ID.")
    make_article(title="Reset a creator's two-factor authentication", body="Verify identity first.")
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    SearchOutbox.objects.all().delete()
    return article, api(specialist)


def test_index_folder_deleted_search_degrades_until_healthz_rebuilds_it_from_the_database(indexed, client):
    article, reader = indexed
    assert _healthz(client)[0] == 200
    assert _search(reader, "payout held")["results"][0]["id"] == article.pk

    shutil.rmtree(settings.KB_SEARCH_INDEX_DIR)

    degraded = _search(reader, "payout held")
    assert degraded["notice"]  # the reader is told results come from the fallback
    assert article.pk in [r["id"] for r in degraded["results"]]

    status, body = _healthz(client)  # builds the missing index from the database
    assert (status, body["status"], body["database"], body["search"]) == (200, "ok", "ok", "ok")
    restored = _search(reader, "payout held")
    assert restored["notice"] is None
    assert restored["results"][0]["id"] == article.pk


def test_corrupted_index_files_degrade_then_rebuild_restores(indexed, client):
    article, reader = indexed
    build = _live_build()
    for path in build.iterdir():
        if path.is_file():
            path.write_bytes(b"\x00garbage\xff" * 64)
    caches.reset_all()  # a process that opens the index now (a restarted or new worker)

    status, body = _healthz(client)
    assert (status, body["status"], body["database"]) == (200, "degraded", "ok")
    assert body["search"].startswith("unavailable: ")
    degraded = _search(reader, "payout held")
    assert degraded["notice"]
    assert article.pk in [r["id"] for r in degraded["results"]]

    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115

    status, body = _healthz(client)
    assert (status, body["status"], body["search"]) == (200, "ok", "ok")
    assert _search(reader, "payout held")["results"][0]["id"] == article.pk


def test_index_disk_full_saves_succeed_outbox_keeps_rows_and_drains_when_space_returns(
    indexed, lead, api, monkeypatch, django_capture_on_commit_callbacks
):
    from kb.search.backends.whoosh import WhooshBackend

    article, reader = indexed
    editor = api(lead)
    real_upsert = WhooshBackend.upsert

    def disk_full(self, docs, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(WhooshBackend, "upsert", disk_full)
    versions = []
    for n in range(3):
        current = editor.get(f"/api/v1/articles/{article.pk}/", {"version": "latest"}).json()["version"]
        with django_capture_on_commit_callbacks(execute=True):
            saved = editor.patch(
                f"/api/v1/articles/{article.pk}/",
                {"base_version": current, "change_note": f"disk full {n}", "title": f"Payout hold v{n}"},
                format="json",
            )
        assert saved.status_code == 200, saved.content  # the save itself never depends on the index
        versions.append(saved.json()["latest_version"])
        with django_capture_on_commit_callbacks(execute=True):
            published = editor.post(
                f"/api/v1/articles/{article.pk}/publish/", {"material": False}, format="json"
            )
        assert published.status_code == 200, published.content
    assert versions == sorted(versions) and len(set(versions)) == 3

    call_command("search_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115 - still full
    pending = list(SearchOutbox.objects.filter(article_id=article.pk))
    assert pending, "the outbox must keep what the index could not take"
    assert all("No space left" in row.last_error for row in pending)
    assert all(row.attempts >= 1 for row in pending)
    assert _indexed_version(article.pk) < versions[-1]

    monkeypatch.setattr(WhooshBackend, "upsert", real_upsert)  # space is back
    SearchOutbox.objects.update(available_at=timezone.now())  # and the retry back-off has elapsed
    call_command("search_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert SearchOutbox.objects.count() == 0
    assert _indexed_version(article.pk) == versions[-1]
    hit = next(r for r in _search(reader, "payout hold v2")["results"] if r["id"] == article.pk)
    assert hit["version"] == versions[-1]


def test_web_process_dying_after_commit_leaves_work_the_worker_finishes(indexed, lead, api):
    """Without on_commit callbacks the save commits but the web process never updates the index,
    exactly what kill -9 between COMMIT and the index write does; the outbox row survives."""
    article, reader = indexed
    editor = api(lead)
    current = editor.get(f"/api/v1/articles/{article.pk}/", {"version": "latest"}).json()["version"]
    assert (
        editor.patch(
            f"/api/v1/articles/{article.pk}/",
            {"base_version": current, "change_note": "crash", "title": "Payout hold after a crash"},
            format="json",
        ).status_code
        == 200
    )
    assert (
        editor.post(f"/api/v1/articles/{article.pk}/publish/", {"material": False}, format="json").status_code
        == 200
    )
    assert SearchOutbox.objects.filter(article_id=article.pk).exists()
    published = editor.get(f"/api/v1/articles/{article.pk}/").json()["version"]
    assert _indexed_version(article.pk) < published

    call_command("search_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert SearchOutbox.objects.count() == 0
    assert _indexed_version(article.pk) == published
    assert article.pk in [r["id"] for r in _search(reader, "crash")["results"]]


def test_rows_claimed_by_a_worker_that_died_are_taken_over(indexed, lead, api):
    article, reader = indexed
    editor = api(lead)
    current = editor.get(f"/api/v1/articles/{article.pk}/", {"version": "latest"}).json()["version"]
    editor.patch(
        f"/api/v1/articles/{article.pk}/",
        {"base_version": current, "change_note": "x", "title": "Payout hold, orphaned claim"},
        format="json",
    )
    editor.post(f"/api/v1/articles/{article.pk}/publish/", {"material": False}, format="json")
    # A worker claimed the rows, then was killed -9 before applying or releasing them.
    SearchOutbox.objects.update(claimed_at=timezone.now() - timedelta(minutes=10), claim_token="dead-worker")

    assert SearchOutbox.objects.exists()

    call_command("search_worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert SearchOutbox.objects.count() == 0
    assert _indexed_version(article.pk) == editor.get(f"/api/v1/articles/{article.pk}/").json()["version"]
    assert article.pk in [r["id"] for r in _search(reader, "orphaned")["results"]]
