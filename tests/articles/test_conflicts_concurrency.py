"""50 pairs of simultaneous conflicting saves through the API: exactly one wins, nothing is lost.

Real threads against a real database (``transaction=True``): each thread has its own connection, as
two gunicorn workers would. Both PATCHes of a pair start from the same ``base_version``; the row
lock in ``update_article`` (``select_for_update`` on PostgreSQL, an IMMEDIATE transaction on SQLite)
makes the second one see the first one's version and answer 409. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from accounts.services import issue_token
from kb.articles import services
from kb.articles.models import Article

PAIRS = 50


def _patch_in_thread(
    token: str, article_id: int, base_version: int, body: str, barrier: threading.Barrier, out: dict
) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    try:
        barrier.wait(timeout=30)
        started = time.perf_counter()
        res = client.patch(
            f"/api/v1/articles/{article_id}/",
            {"base_version": base_version, "change_note": f"save {body}", "body": body},
            format="json",
        )
        out[body] = (res.status_code, res.json(), time.perf_counter() - started)
    except Exception as exc:  # recorded, so the main thread fails with the reason
        out[body] = (None, repr(exc), 0.0)
    finally:
        # Each thread opened its own connection; close it so the test database can be dropped.
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_50_pairs_of_conflicting_saves_lose_nothing(lead, other_lead, category_tree):
    article = services.create_article(
        actor=lead,
        title="Concurrency target",
        body="start",
        change_note="First draft",
        categories=["ACCOUNT"],
    )
    tokens = [issue_token(user=lead), issue_token(user=other_lead)]
    winners: list[str] = []
    timings: list[float] = []
    wall = time.perf_counter()
    for pair in range(PAIRS):
        base = Article.objects.get(pk=article.pk).version
        barrier = threading.Barrier(2)
        out: dict = {}
        bodies = [f"pair {pair} writer {w}" for w in (0, 1)]
        threads = [
            threading.Thread(
                target=_patch_in_thread, args=(tokens[w], article.pk, base, bodies[w], barrier, out)
            )
            for w in (0, 1)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        statuses = sorted(out[b][0] for b in bodies)
        assert statuses == [200, 409], (pair, out)
        winner = next(b for b in bodies if out[b][0] == 200)
        loser = next(b for b in bodies if out[b][0] == 409)
        assert out[winner][1]["version"] == base + 1
        assert out[loser][1]["base_version"] == base
        assert out[loser][1]["current_version"] == base + 1
        winners.append(winner)
        timings.extend(out[b][2] for b in bodies)
    wall = time.perf_counter() - wall

    fresh = Article.objects.get(pk=article.pk)
    history = list(fresh.history.order_by("version").values_list("version", "body"))
    # 0 lost updates: one version per successful save, and every winner's text is in history
    assert fresh.version == 1 + len(winners) == 1 + PAIRS
    assert [v for v, _ in history] == list(range(1, PAIRS + 2))
    assert [body for _, body in history[1:]] == winners
    timings.sort()
    print(
        f"\n{connection.vendor}: {PAIRS} pairs in {wall:.2f}s; per PATCH p50 "
        f"{timings[len(timings) // 2] * 1000:.0f} ms, max {timings[-1] * 1000:.0f} ms"
    )
