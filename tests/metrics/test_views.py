"""Metrics pages: access, the definitions on each page, accessible SVG charts, bad input."""

from __future__ import annotations

import pytest

from tests.metrics.conftest import PERIOD

PAGES = [
    "/metrics/",
    "/metrics/articles/",
    "/metrics/categories/",
    "/metrics/review-queue/",
    "/metrics/failed-searches/",
    "/metrics/report/?date=2026-08-02",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_for_lead_with_definitions_and_charts(web, world, url):
    sep = "&" if "?" in url else "?"
    r = web(world.lead).get(url + (sep + PERIOD[1:] if "report" not in url else ""))
    assert r.status_code == 200
    html = r.content.decode()
    assert "How these figures are defined" in html
    if "report" not in url:
        assert "<svg" in html and 'role="img"' in html and "<title>" in html


@pytest.mark.parametrize("url", [*PAGES, "/metrics/participation/"])
def test_specialist_gets_403(web, world, url):
    assert web(world.specialist).get(url).status_code == 403


def test_participation_page_for_leads_only(web, world, admin_user):
    assert web(world.trainer).get("/metrics/participation/").status_code == 403
    assert web(world.trainer).get("/metrics/").status_code == 200
    r = web(world.lead).get(f"/metrics/participation/{PERIOD}")
    assert r.status_code == 200 and "sam" in r.content.decode()
    assert web(admin_user).get("/metrics/participation/").status_code == 200


def test_anonymous_is_sent_to_login(web, world):
    r = web(None).get("/metrics/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_dashboard_shows_hand_computed_figures(web, world):
    html = web(world.lead).get(f"/metrics/{PERIOD}").content.decode()
    assert "75 %" in html  # link rate 3/4
    assert "67 %" in html  # known vs new 2/3


def test_outsider_lead_never_sees_restricted_title(web, world):
    for url in ["/metrics/", "/metrics/articles/", "/metrics/categories/", "/metrics/review-queue/"]:
        html = web(world.jo).get(url + PERIOD).content.decode()
        assert "B payout hold" not in html, url
    assert web(world.jo).get(f"/metrics/articles/{world.b.pk}/").status_code == 404
    assert web(world.lead).get(f"/metrics/articles/{world.b.pk}/{PERIOD}").status_code == 200


def test_bad_period_is_400_with_message(web, world):
    r = web(world.lead).get("/metrics/?since=2026-99-99")
    assert r.status_code == 400 and "YYYY-MM-DD" in r.content.decode()
    r = web(world.lead).get("/metrics/report/?date=nope")
    assert r.status_code == 400


def test_report_downloads(web, world):
    r = web(world.lead).get("/metrics/report/?date=2026-08-02&format=csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    body = r.content.decode()
    assert "tickets,closed_tickets,2,2026-08-02" in body  # T4 and T5 closed on 08-02 (+07)
    assert "tickets,linked_tickets,1,2026-08-02" in body


def test_articles_page_shows_rates_worked_out_from_counts(web, world):
    html = web(world.lead).get(f"/metrics/articles/{PERIOD}").content.decode()
    assert "50 %" in html and "33 %" in html  # A: 1 of 2 links resolved; 1 negative of 3 signals
