"""Metrics against hand-computed values (fixture in conftest.py), access, and bad input."""

from __future__ import annotations

import pytest

from kb.metrics import selectors
from tests.metrics.conftest import PERIOD


def get(api, user, path):
    return api(user).get(f"/api/v1/metrics/{path}")


def test_summary_every_number_for_a_team_member(api, world):
    s = get(api, world.lead, f"summary/{PERIOD}").json()
    assert s["since"] == "2026-08-01" and s["until"] == "2026-08-03" and s["time_zone"] == "Asia/Jakarta"
    assert s["closed_tickets"] == 4  # T1 T2 T4 T5 (T3 closes at 08-04 00:00, T6 open)
    assert s["linked_tickets"] == 3  # T1 (A), T2 (C, linked after closing), T5 (B)
    assert s["link_rate"] == 0.75
    assert s["known_tickets"] == 2  # T1: A published 07-01 < opened; T5: B likewise
    assert s["new_tickets"] == 1  # T2: C first published after T2 opened
    assert s["known_new_ratio"] == round(2 / 3, 4)
    assert s["opened_tickets"] == 5  # T2 T3 T4 T5 T6 (T1 opened 07-30)
    assert s["links"] == 3  # R1 R3 R4
    assert s["outcomes"] == {"resolved": 1, "helpful": 1, "not_helpful": 1, "escalated": 0}
    assert s["resolution_rate"] == round(1 / 3, 4)
    assert s["articles_used"] == 2 and s["active_people"] == 2
    assert (s["feedback_helpful"], s["feedback_not_helpful"]) == (1, 1)
    assert s["not_helpful_rate"] == 0.4  # (R3 + A's thumbs-down) / (3 links + 2 votes)
    assert (s["flags_raised"], s["flags_closed"], s["open_flags"]) == (1, 0, 2)


def test_summary_outside_the_team_excludes_the_restricted_article(api, world):
    s = get(api, world.jo, f"summary/{PERIOD}").json()
    assert s["closed_tickets"] == 4
    assert s["linked_tickets"] == 2 and s["link_rate"] == 0.5  # T5 only linked to the restricted B
    assert (s["known_tickets"], s["new_tickets"], s["known_new_ratio"]) == (1, 1, 0.5)
    assert s["links"] == 2 and s["outcomes"]["not_helpful"] == 0
    assert (s["feedback_helpful"], s["feedback_not_helpful"]) == (0, 1)
    assert s["not_helpful_rate"] == round(1 / 3, 4)
    assert s["open_flags"] == 1


def test_day_boundaries_follow_kb_time_zone(api, world, settings):
    settings.TIME_ZONE = "UTC"
    s = get(api, world.lead, f"summary/{PERIOD}").json()
    # In UTC, T1 closed on 07-31 17:30 (out) and T3 on 08-03 17:00 (in).
    assert s["closed_tickets"] == 4 and s["time_zone"] == "UTC"
    assert s["linked_tickets"] == 3  # T2, T3 (R5), T5
    assert s["links"] == 3  # R3, R4, R5 (R1 is 07-31 18:00 UTC)
    assert s["outcomes"]["escalated"] == 1 and s["outcomes"]["helpful"] == 0


def test_link_rate_is_null_without_closed_tickets(api, world):
    s = get(api, world.lead, "summary/?since=2020-01-01&until=2020-01-02").json()
    assert s["closed_tickets"] == 0 and s["link_rate"] is None and s["known_new_ratio"] is None


def test_article_figures(api, world):
    body = get(api, world.lead, f"articles/{PERIOD}").json()
    rows = {r["title"]: r for r in body["results"]}
    assert body["count"] == 3 and body["since"] == "2026-08-01"
    a, b, c = rows["A reset 2FA"], rows["B payout hold"], rows["C new 2FA device"]
    assert (a["links"], a["resolutions"], a["resolution_rate"]) == (2, 1, 0.5)
    assert (a["feedback_helpful"], a["feedback_not_helpful"], a["not_helpful_rate"]) == (
        0,
        1,
        round(1 / 3, 4),
    )
    assert a["open_flags"] == 1 and a["last_used"].startswith("2026-08-04T00:00:00+07:00")
    assert (b["links"], b["resolutions"], b["resolution_rate"], b["not_helpful_rate"]) == (1, 0, 0.0, 0.5)
    assert (c["links"], c["resolution_rate"], c["not_helpful_rate"]) == (0, None, None)
    assert c["last_used"].startswith("2026-08-05")
    assert next(r["title"] for r in body["results"]) == "A reset 2FA"  # sorted by links


def test_article_metrics_hide_restricted_articles(api, world):
    titles = [r["title"] for r in get(api, world.jo, f"articles/{PERIOD}").json()["results"]]
    assert "B payout hold" not in titles and len(titles) == 2


def test_article_sort_option_and_bad_sort(api, world):
    body = get(api, world.lead, f"articles/{PERIOD}&sort=not_helpful_rate").json()
    assert body["results"][0]["title"] == "B payout hold"
    assert get(api, world.lead, f"articles/{PERIOD}&sort=evil").status_code == 400


def test_category_figures_top_articles_and_gaps(api, world, monkeypatch):
    monkeypatch.setattr(selectors, "GAP_MIN_TICKETS", 1)
    rows = {
        r["code"]: r for r in get(api, world.lead, f"categories/{PERIOD}&page_size=100").json()["results"]
    }
    tfa = rows["ACCOUNT.LOGIN.2FA"]
    assert (tfa["closed_tickets"], tfa["linked_tickets"], tfa["link_rate"]) == (3, 2, round(2 / 3, 4))
    assert [t["title"] for t in tfa["top_articles"]] == ["A reset 2FA", "C new 2FA device"]
    assert tfa["articles"] == 2 and tfa["coverage_gap"] is False
    pay = rows["PAYOUTS"]
    assert (pay["closed_tickets"], pay["linked_tickets"], pay["articles"]) == (1, 1, 1)
    assert pay["coverage_gap"] is True and "did not help" in pay["gap_reasons"][0]
    assert rows["SAFETY"]["closed_tickets"] == 0 and rows["SAFETY"]["coverage_gap"] is False
    outside = {
        r["code"]: r for r in get(api, world.jo, f"categories/{PERIOD}&page_size=100").json()["results"]
    }
    assert outside["PAYOUTS"]["articles"] == 0 and outside["PAYOUTS"]["linked_tickets"] == 0
    assert outside["PAYOUTS"]["top_articles"] == []
    assert "no article is filed under this category" in outside["PAYOUTS"]["gap_reasons"]
    gaps = get(api, world.jo, f"categories/{PERIOD}&gaps=1").json()["results"]
    assert [g["code"] for g in gaps] == ["PAYOUTS"]


def test_participation_per_person_and_team(api, world):
    body = get(api, world.lead, f"participation/{PERIOD}").json()
    people = {p["user"]: p for p in body["people"]}
    assert (people["sam"]["links"], people["sam"]["resolutions"], people["sam"]["feedback"]) == (2, 0, 2)
    assert people["sam"]["flags"] == 1
    assert (people["lee"]["links"], people["lee"]["resolutions"]) == (1, 1)
    teams = {t["team"]: t for t in body["teams"]}
    assert teams["SG Creator Support"]["links"] == 3 and teams["SG Creator Support"]["active_people"] == 2
    assert teams["Jakarta Live Safety"]["links"] == 0


@pytest.mark.parametrize(
    "who, path, status",
    [
        ("specialist", "summary/", 403),
        ("specialist", "articles/", 403),
        ("specialist", "categories/", 403),
        ("specialist", "review-queue/", 403),
        ("specialist", "failed-searches/", 403),
        ("specialist", "participation/", 403),
        ("trainer", "summary/", 200),
        ("trainer", "articles/", 200),
        ("trainer", "participation/", 403),
        ("lead", "participation/", 200),
        ("admin", "participation/", 200),
        ("anonymous", "summary/", 401),
    ],
)
def test_access_matrix(api, world, admin_user, who, path, status):
    user = {"specialist": world.specialist, "trainer": world.trainer, "lead": world.lead}.get(who)
    if who == "admin":
        user = admin_user
    assert get(api, user, path).status_code == status


def test_review_queue_ranked_by_risk(api, world):
    rows = get(api, world.lead, f"review-queue/{PERIOD}").json()["results"]
    by = {r["title"]: r for r in rows}
    # A: 2 links × 100 days × (1 + 1 flag) × (1 + 1/3) = 533.33; B: 1 × 10 × 2 × 1.5 = 30; C: 0 links → 0
    assert by["A reset 2FA"]["risk"] == pytest.approx(533.33, abs=0.1)
    assert by["B payout hold"]["risk"] == pytest.approx(30.0, abs=0.1)
    assert by["C new 2FA device"]["risk"] == 0
    assert by["C new 2FA device"]["review_overdue"] is True
    assert [r["title"] for r in rows] == ["A reset 2FA", "B payout hold", "C new 2FA device"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("?since=2026-13-01", "since"),
        ("?until=yesterday", "until"),
        ("?since=2026-08-05&until=2026-08-01", "since"),
        ("?since=1900-01-01&until=2026-08-01", "since"),
    ],
)
def test_bad_periods_are_400(api, world, query, field):
    r = get(api, world.lead, f"summary/{query}")
    assert r.status_code == 400 and field in r.json()


def test_failed_searches_endpoint_shape(api, world):
    body = get(api, world.lead, f"failed-searches/{PERIOD}").json()
    assert body["since"] == "2026-08-01"
    assert set(body) >= {"available", "results", "by_category"}
