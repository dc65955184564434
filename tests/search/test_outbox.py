"""Index upkeep: the outbox commits with the change, the worker delivers, drift is repaired."""

from __future__ import annotations

import multiprocessing
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from kb.articles import services as article_services
from kb.search.backends import SearchDoc, get_backend
from kb.search.models import SearchOutbox
from kb.search.selectors import search_articles
from tests.search.concurrent_writer import write_updates


def test_a_rolled_back_save_leaves_nothing(make_article, lead, specialist, index_now):
    article = make_article("Payout calendar", body="Monday payouts.")
    index_now()
    before = SearchOutbox.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        article_services.update_article(
            actor=lead, article=article, base_version=article.version, change_note="x", title="Zebra payouts"
        )
        article_services.publish_article(actor=lead, article=article, material=False)
        raise RuntimeError("boom")
    assert SearchOutbox.objects.count() == before == 0
    index_now()
    assert search_articles(specialist, "zebra", log=False).count == 0
    assert search_articles(specialist, "payout calendar", log=False).count == 1


def test_worker_killed_after_save_still_indexes_via_search_worker_once(make_article, specialist):
    # the web process "died" after commit: nothing applied the outbox (on_commit never ran in this test)
    make_article("Chargeback dispute steps", body="Open the dispute form.")
    assert SearchOutbox.objects.filter(reason="published").exists()
    out = StringIO()
    call_command("search_worker", "--once", stdout=out)
    assert "applied:" in out.getvalue()
    assert SearchOutbox.objects.count() == 0
    assert search_articles(specialist, "chargeback", log=False).count == 1


def test_a_claimed_row_of_a_dead_worker_is_retried_after_expiry(make_article, specialist, index_now):
    from datetime import timedelta

    from django.utils import timezone

    make_article("Refund policy for gifts", body="Gifts are final.")
    SearchOutbox.objects.update(claimed_at=timezone.now() - timedelta(minutes=10), claim_token="dead")
    index_now()
    assert search_articles(specialist, "refund", log=False).count == 1


def test_team_change_updates_visibility(make_article, lead, outsider, index_now):
    article = make_article("Payout escalation matrix", body="Escalate payouts.")
    index_now()
    assert search_articles(outsider, "escalation matrix", log=False).count == 1
    article_services.set_article_teams(actor=lead, article=article, teams=["SG Creator Support"])
    index_now()
    assert search_articles(outsider, "escalation matrix", log=False).count == 0


def test_publish_is_searchable_and_archive_gone_right_after_commit_without_the_worker(
    make_article, lead, specialist, django_capture_on_commit_callbacks
):
    """The web process applies its own outbox rows once its transaction commits: nothing is left for
    the worker, and each change is visible to the very next search."""
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Seed", body="seed")  # creates the index through the web-process path
    with django_capture_on_commit_callbacks(execute=True) as published:
        article = make_article("Livestream ban appeal", body="Appeals take two days.")
    assert published, "publishing registered no after-commit index update"
    assert SearchOutbox.objects.count() == 0
    assert search_articles(specialist, "livestream appeal", log=False).count == 1
    with django_capture_on_commit_callbacks(execute=True):
        article_services.archive_article(actor=lead, article=article)
    assert SearchOutbox.objects.count() == 0
    assert search_articles(specialist, "livestream appeal", log=False).count == 0


def _doc(i: int, version: int) -> SearchDoc:
    return SearchDoc(
        article_id=i,
        version=version,
        title=f"Article {i}",
        summary="",
        headings="",
        body=f"body word{i}",
        tags=[],
        category_codes=[],
        category_paths=[],
        category_names=[],
        kind="sop",
        visibility=["public"],
    )


@pytest.mark.slow
def test_eight_processes_times_25_updates_without_lock_errors(settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = tmp_path / "index"
    backend = get_backend()
    backend.rebuild([])
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    procs = [ctx.Process(target=write_updates, args=(str(tmp_path / "index"), w, q)) for w in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(180)
    errors = [e for _ in procs for e in q.get(timeout=5)]
    assert errors == []
    assert len(backend.indexed_state()) == 200


def test_drift_is_found_and_repaired(make_article, lead, specialist, index_now):
    a = make_article("Ad revenue share", body="Revenue share is 55%.")
    b = make_article("Gift conversion rates", body="Diamonds to cash.")
    index_now()
    backend = get_backend()
    backend.delete([a.pk])  # lost update
    backend.upsert([_doc(b.pk, 99)])  # wrong version
    backend.upsert([_doc(999_999, 1)])  # something that should not be there
    out = StringIO()
    call_command("check_search_index", "--dry-run", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-1] == "drift: 3 found, 0 repaired"
    assert any(str(a.pk) in line and "missing" in line for line in lines)
    out = StringIO()
    call_command("check_search_index", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "drift: 3 found, 3 repaired"
    out = StringIO()
    call_command("check_search_index", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "drift: 0 found, 0 repaired", out.getvalue()
    assert search_articles(specialist, "revenue share", log=False).count == 1


def test_rebuild_swaps_in_a_fresh_index(make_article, specialist, index_now, settings):
    make_article("Music copyright claims", body="Claims are reviewed.")
    index_now()
    root = Path(settings.KB_SEARCH_INDEX_DIR)
    old = (root / "current").read_text()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "indexed: 1" in out.getvalue()
    assert (root / "current").read_text() != old
    assert not (root / old).exists()
    assert search_articles(specialist, "copyright", log=False).count == 1


def test_missing_index_falls_back_to_the_database_until_healthz_builds_it(
    make_article, specialist, client, settings
):
    make_article("Copyright strike removal", body="Strikes expire after 90 days.")
    shutil.rmtree(settings.KB_SEARCH_INDEX_DIR, ignore_errors=True)
    result = search_articles(specialist, "copyright strike", log=False)
    assert result.count == 1 and result.degraded and "unavailable" in result.notice
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["search"]) == ("ok", "ok") and body["outbox_pending"] >= 1
    result = search_articles(specialist, "copyright strike", log=False)
    assert result.count == 1 and not result.degraded


def test_corrupt_index_falls_back_too(make_article, specialist, index_now, settings, client):
    make_article("Copyright strike removal", body="Strikes expire after 90 days.")
    index_now()
    root = Path(settings.KB_SEARCH_INDEX_DIR)
    live = root / (root / "current").read_text()
    for f in live.iterdir():
        if f.suffix in {".toc", ".seg"} or f.name.endswith(".toc"):
            f.write_bytes(b"garbage")
    from kb.lib import caches

    caches.reset_all()
    result = search_articles(specialist, "copyright", log=False)
    assert result.count == 1 and result.degraded
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "degraded"


def test_healthz_ok_with_a_good_index(make_article, index_now, client):
    make_article("Anything", body="x")
    index_now()
    body = client.get("/healthz").json()
    assert body["search"] == "ok" and body["outbox_pending"] == 0


def test_a_draft_above_the_published_version_queues_nothing_but_a_visibility_change_does(
    make_article, lead, specialist, outsider, index_now
):
    article = make_article("Payout calendar", body="Monday payouts.")
    index_now()
    article = article_services.update_article(
        actor=lead, article=article, base_version=article.version, change_note="draft", body="Zebra payouts."
    )
    assert SearchOutbox.objects.count() == 0  # readers, and so the index, still see version 1
    article_services.update_article(
        actor=lead,
        article=article,
        base_version=article.version,
        change_note="team",
        teams=["SG Creator Support"],
    )
    assert SearchOutbox.objects.filter(article_id=article.pk).exists()
    index_now()
    assert search_articles(specialist, "monday payouts", log=False).count == 1
    assert search_articles(outsider, "monday payouts", log=False).count == 0
