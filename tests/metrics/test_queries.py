"""Query counts of the metrics endpoints do not grow with the number of articles, tickets or people."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.tickets import services
from tests.metrics.conftest import PERIOD

ENDPOINTS = ["summary", "articles", "categories", "participation", "review-queue"]


def _counts(client) -> dict[str, int]:
    out = {}
    for ep in ENDPOINTS:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/metrics/{ep}/{PERIOD}").status_code == 200
        out[ep] = len(ctx.captured_queries)
    return out


def test_query_counts_are_constant(api, world, make_article, specialist):
    client = api(world.lead)
    before = _counts(client)
    for i in range(4):
        art = make_article(f"Extra SOP {i}", categories=["SAFETY"])
        services.upsert_ticket(external_id=f"X-{i}", category="SAFETY", status="closed")
        services.record_resolution(actor=specialist, ticket=f"X-{i}", article=art.pk, outcome="resolved")
    after = _counts(client)
    assert before == after, (before, after)
    # summary: auth token, user, hidden ids, tickets, opened, links, votes, flags
    assert after["summary"] <= 9
