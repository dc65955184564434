"""Concurrent identical resolution POSTs leave exactly one record (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kb.articles import services as article_services
from kb.tickets import services
from kb.tickets.models import Resolution
from tests.conftest import api_client_for, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _setup():
    lead = make_user("lee", "lead", ("SG Creator Support",))
    specialist = make_user("sam", "specialist", ("SG Creator Support",))
    article_services.create_category(actor=lead, code="PAYOUTS", name="Payouts")
    article = article_services.create_article(
        actor=lead, title="Payout delay", body="1. Check.", categories=["PAYOUTS"], change_note="new"
    )
    article_services.publish_article(actor=lead, article=article, material=False)
    services.upsert_ticket(external_id="T-RACE", category="PAYOUTS")
    return specialist, article


def _run_threads(target, n: int = 5) -> list:
    barrier = threading.Barrier(n)
    results: list = []
    lock = threading.Lock()

    def work():
        try:
            barrier.wait(timeout=10)
            out = target()
        except Exception as exc:  # collected and asserted below
            out = exc
        finally:
            connection.close()
        with lock:
            results.append(out)

    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_five_concurrent_identical_posts_leave_one_record():
    specialist, article = _setup()
    body = {"ticket": "T-RACE", "article": article.pk, "outcome": "resolved"}

    def post():
        return api_client_for(specialist).post("/api/v1/resolutions/", body, format="json").status_code

    codes = _run_threads(post)
    assert all(isinstance(c, int) for c in codes), codes
    assert sorted(codes) == [200, 200, 200, 200, 201]
    assert Resolution.objects.filter(ticket__external_id="T-RACE", article=article).count() == 1


def test_five_concurrent_service_calls_leave_one_record():
    specialist, article = _setup()

    def call():
        _, created = services.record_resolution(
            actor=specialist, ticket="T-RACE", article=article.pk, outcome="helpful"
        )
        return created

    created = _run_threads(call)
    assert all(isinstance(c, bool) for c in created), created
    assert created.count(True) == 1
    assert Resolution.objects.count() == 1
