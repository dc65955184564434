"""Search pages: the page, the htmx fragment, header suggestions, opened results, reports."""

from __future__ import annotations

import pytest

from kb.articles import services as article_services
from kb.search.models import SearchLog


@pytest.fixture
def world(make_article, lead, index_now):
    public = make_article(
        "Payout hold for new creators", body="Payout holds last 30 days.", categories=("PAYOUTS",)
    )
    restricted = make_article(
        "Payout secret escalation", body="Payout escalation contacts.", teams=["SG Creator Support"]
    )
    draft = make_article("Payout draft procedure", published=False)
    archived = make_article("Payout archived guide")
    article_services.archive_article(actor=lead, article=archived)
    index_now()
    return {"public": public, "restricted": restricted, "draft": draft, "archived": archived}


@pytest.mark.parametrize("surface", ["page", "fragment", "suggest"])
def test_hidden_articles_never_appear_on_any_page_surface(world, web, outsider, surface):
    client = web(outsider)
    if surface == "suggest":
        response = client.get("/search/suggest/", {"q": "payout"})
    else:
        headers = {"HTTP_HX_REQUEST": "true"} if surface == "fragment" else {}
        response = client.get("/search/", {"q": "payout"}, **headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Payout hold for new creators" in html
    for hidden in ("secret escalation", "draft procedure", "archived guide", "escalation contacts"):
        assert hidden not in html
    if surface == "fragment":
        assert "<html" not in html


def test_page_shows_marked_snippets_facets_and_logs(world, web, specialist):
    html = web(specialist).get("/search/", {"q": "payout holds"}).content.decode()
    assert "<mark>" in html and "PAYOUTS" in html
    assert SearchLog.objects.filter(user=specialist, source="page").count() == 1


def test_zero_results_offers_suggestion_and_not_found_report(world, web, specialist):
    client = web(specialist)
    html = client.get("/search/", {"q": "payuot"}).content.decode()
    assert "Did you mean" in html and "payout" in html
    html = client.get("/search/", {"q": "qwertyuiop"}).content.decode()
    assert "I could not find it" in html
    entry = SearchLog.objects.get(query="qwertyuiop")
    response = client.post(
        f"/search/{entry.pk}/not-found/", {"comment": "refund SOP", "next": "/search/?q=x"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.not_found and entry.not_found_comment == "refund SOP"


def test_opening_a_result_records_it_and_redirects(world, web, specialist):
    client = web(specialist)
    client.get("/search/", {"q": "payout"})
    entry = SearchLog.objects.get(user=specialist)
    response = client.get(f"/search/open/{entry.pk}/{world['public'].pk}/", {"rank": 1})
    assert response.status_code == 302 and response["Location"] == world["public"].get_absolute_url()
    entry.refresh_from_db()
    assert entry.opened_article_id == world["public"].pk and entry.opened_rank == 1
    assert client.get(f"/search/open/{entry.pk}/{world['draft'].pk}/").status_code == 404


def test_failed_searches_page_for_leads_only(world, web, specialist, lead):
    web(specialist).get("/search/", {"q": "refund gifts"})
    assert web(specialist).get("/search/failed/").status_code == 404
    html = web(lead).get("/search/failed/").content.decode()
    assert "refund gifts" in html


def test_bad_input_on_the_page_is_a_400_not_a_500(world, web, specialist):
    assert web(specialist).get("/search/", {"q": "x" * 10_000}).status_code == 400
    assert web(specialist).get("/search/", {"q": "payout", "category": "NOPE"}).status_code == 400


def test_synonyms_page(world, web, lead, specialist):
    response = web(lead).post("/search/synonyms/", {"terms": "2fa, two-step, mfa"})
    assert response.status_code == 302
    assert "2fa = two-step = mfa" in web(specialist).get("/search/synonyms/").content.decode()
    assert web(specialist).post("/search/synonyms/", {"terms": "a, b"}).status_code == 404
