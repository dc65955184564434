"""The search API (CONTRACT §8): shape, visibility on every field, bad input, search log."""

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
        "Payout hold secret escalation",
        body="Payout escalation contacts.",
        teams=["SG Creator Support"],
        categories=("SAFETY",),
        kind="policy",
    )
    draft = make_article(
        "Payout draft procedure", published=False, categories=("SAFETY.MINORS",), kind="macro"
    )
    archived = make_article("Payout archived guide", categories=("ACCOUNT",), kind="troubleshooting")
    article_services.archive_article(actor=lead, article=archived)
    index_now()
    return {"public": public, "restricted": restricted, "draft": draft, "archived": archived}


def test_response_has_the_contract_shape(world, api, specialist):
    body = api(specialist).get("/api/v1/search/", {"q": "payout"}).json()
    assert set(body) == {
        "search_id",
        "query",
        "count",
        "suggestion",
        "notice",
        "took_ms",
        "facets",
        "next",
        "previous",
        "results",
    }
    assert set(body["facets"]) == {"kind", "category"}
    assert set(body["results"][0]) == {
        "id",
        "slug",
        "title",
        "kind",
        "summary",
        "url",
        "version",
        "score",
        "snippet",
        "categories",
        "source_path",
    }
    assert SearchLog.objects.filter(pk=body["search_id"], result_count=body["count"]).exists()


@pytest.mark.parametrize("who", ["outsider", "specialist", "lead", "admin_user"])
def test_hidden_articles_never_leak_into_results_counts_facets_or_snippets(world, api, request, who):
    user = request.getfixturevalue(who)
    body = api(user).get("/api/v1/search/", {"q": "payout"}).json()
    ids = {r["id"] for r in body["results"]}
    member = who != "outsider"
    assert world["draft"].pk not in ids and world["archived"].pk not in ids
    assert (world["restricted"].pk in ids) is member
    assert body["count"] == (2 if member else 1)
    assert body["count"] == len(ids)
    assert "macro" not in body["facets"]["kind"] and "troubleshooting" not in body["facets"]["kind"]
    assert "SAFETY.MINORS" not in body["facets"]["category"] and "ACCOUNT" not in body["facets"]["category"]
    assert ("SAFETY" in body["facets"]["category"]) is member
    text = str(body)
    assert "draft procedure" not in text.lower() and "archived guide" not in text.lower()
    assert ("escalation" in text) is member


def test_outsider_gets_no_suggestion_from_restricted_words(world, api, outsider, specialist):
    assert api(outsider).get("/api/v1/search/", {"q": "escalatoin"}).json()["suggestion"] is None
    assert api(specialist).get("/api/v1/search/", {"q": "escalatoin"}).json()["suggestion"] == "escalation"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 10_240}, "q"),
        ({"q": " OR ".join(["payout"] * 1000)}, "q"),
        ({"q": "payout", "category": "NOPE"}, "category"),
        ({"q": "payout", "kind": "memo"}, "kind"),
        ({"q": "payout", "page": "zero"}, "page"),
    ],
)
def test_bad_input_is_a_clear_400(world, api, specialist, params, field):
    response = api(specialist).get("/api/v1/search/", params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "q",
    [
        '"payout',
        "payout)",
        "(payout",
        "*payout",
        "?payout",
        "pay*",
        "**",
        "payout\x00\x07",
        "payout AND OR NOT",
        "\u202epayout",
        "title:payout^3~2",
        "[payout]{}",
        "\\payout/",
    ],
)
def test_odd_syntax_is_plain_text(world, api, specialist, q):
    response = api(specialist).get("/api/v1/search/", {"q": q})
    assert response.status_code == 200, response.content
    assert response.json()["count"] >= (0 if q in {"**", "pay*"} else 1)


def test_terms_past_the_32nd_are_ignored_with_a_notice(world, api, specialist):
    q = " ".join(f"w{i}" for i in range(40)) + " payout"
    body = api(specialist).get("/api/v1/search/", {"q": q}).json()
    assert "32" in body["notice"]


def test_pagination_links(world, api, lead):
    body = api(lead).get("/api/v1/search/", {"q": "payout", "page_size": 1}).json()
    assert body["count"] == 2 and len(body["results"]) == 1
    assert body["next"] and body["previous"] is None
    second = api(lead).get(body["next"]).json()
    assert second["previous"] and second["results"][0]["id"] != body["results"][0]["id"]


def test_opened_and_not_found_feed_the_log(world, api, specialist, outsider):
    body = api(specialist).get("/api/v1/search/", {"q": "payout"}).json()
    sid = body["search_id"]
    r = api(specialist).post(
        f"/api/v1/search/{sid}/opened/", {"article": world["public"].pk, "rank": 1}, format="json"
    )
    assert r.status_code == 200
    entry = SearchLog.objects.get(pk=sid)
    assert entry.opened_article_id == world["public"].pk and entry.opened_rank == 1
    assert (
        api(outsider).post(f"/api/v1/search/{sid}/not-found/", {"comment": "x"}, format="json").status_code
        == 404
    )
    r = api(specialist).post(
        f"/api/v1/search/{sid}/not-found/", {"comment": "need refunds SOP"}, format="json"
    )
    assert r.status_code == 200
    assert SearchLog.objects.get(pk=sid).not_found
    bad = api(specialist).post(
        f"/api/v1/search/{sid}/opened/", {"article": world["draft"].pk, "rank": 1}, format="json"
    )
    assert bad.status_code == 400 and "article" in bad.json()


def test_anonymous_gets_401(world, api):
    assert api(None).get("/api/v1/search/", {"q": "payout"}).status_code == 401


def test_synonyms_api_leads_write_others_read(api, lead, specialist):
    r = api(specialist).post("/api/v1/synonyms/", {"terms": ["2fa", "mfa"]}, format="json")
    assert r.status_code == 403
    r = api(lead).post("/api/v1/synonyms/", {"terms": ["2fa", "two-step", "mfa"]}, format="json")
    assert r.status_code == 201 and r.json()["terms"] == ["2fa", "two-step", "mfa"]
    sid = r.json()["id"]
    assert api(specialist).get("/api/v1/synonyms/").json()["results"][0]["terms"] == [
        "2fa",
        "two-step",
        "mfa",
    ]
    assert api(lead).put(f"/api/v1/synonyms/{sid}/", {"terms": ["2fa", "otp"]}, format="json").json()[
        "terms"
    ] == [
        "2fa",
        "otp",
    ]
    assert api(lead).post("/api/v1/synonyms/", {"terms": ["only"]}, format="json").status_code == 400
    assert api(specialist).delete(f"/api/v1/synonyms/{sid}/").status_code == 403
    assert api(lead).delete(f"/api/v1/synonyms/{sid}/").status_code == 204
