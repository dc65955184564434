"""Failed searches never reveal a hidden article: a viewer sees a logged search only when everything
its searcher could read then is readable by the viewer now (docs/metrics.md § Failed searches)."""

from __future__ import annotations

import pytest

from accounts.services import upsert_user
from kb.search.outbox import drain
from kb.search.selectors import search_articles
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(make_article, specialist, outsider, lead):
    make_article("Nightingale escalation roster", body="Call the night desk.", teams=["SG Creator Support"])
    make_article("Payout calendar", body="Payouts go out on Mondays.")
    drain()
    teamless = make_user("tim", "specialist")
    search_articles(specialist, "nightingale roster")  # 1 result (restricted), never opened
    search_articles(outsider, "nightingale desk")  # 0 results for the outsider
    search_articles(teamless, "zebra crossing")  # 0 results, public vocabulary only
    return {"jo": make_user("jo", "lead", ("Jakarta Live Safety",)), "lee": lead}


def _queries(api, user) -> set[str]:
    response = api(user).get("/api/v1/metrics/failed-searches/")
    assert response.status_code == 200, response.content
    return {r["query"] for r in response.json()["results"]}


def test_a_lead_of_another_team_never_sees_a_query_that_found_a_restricted_article(api, logged):
    assert _queries(api, logged["jo"]) == {"nightingale desk", "zebra crossing"}


def test_a_team_lead_sees_their_team_and_teamless_searches_not_another_teams(api, logged):
    assert _queries(api, logged["lee"]) == {"nightingale roster", "zebra crossing"}


def test_leaving_the_team_later_does_not_expose_the_searches_made_as_a_member(api, logged, specialist):
    upsert_user(username=specialist.username, role=specialist.role, teams=[])
    assert "nightingale roster" not in _queries(api, logged["jo"])


def test_the_failed_searches_page_follows_the_same_rule(web, logged):
    html = web(logged["jo"]).get("/search/failed/").content.decode()
    assert "zebra crossing" in html and "nightingale desk" in html
    assert "nightingale roster" not in html


def test_the_metrics_page_follows_the_same_rule(web, logged):
    html = web(logged["jo"]).get("/metrics/failed-searches/").content.decode()
    assert "zebra crossing" in html
    assert "nightingale roster" not in html
