"""Ticket pages, the article panel (htmx and plain POST), flags queue, and the framed suggestion panel."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from kb.articles import services as article_services
from kb.lib import ui
from kb.tickets import services
from kb.tickets.models import Feedback, Flag, Resolution

HX = {"HTTP_HX_REQUEST": "true"}


def test_article_panel_is_registered_and_shows_the_30_day_count(specialist, make_article, make_ticket):
    article = make_article()
    make_ticket()
    services.record_resolution(actor=specialist, ticket="T-123", article=article.pk, outcome="resolved")
    request = RequestFactory().get(article.get_absolute_url())
    request.user = specialist
    html = "".join(ui.article_panels(request, article, article.published_record))
    assert "Used on a ticket" in html and "Resolved 1 ticket</strong> in the last 30 days" in html
    assert 'name="outcome" value="resolved"' in html and 'name="version" value="1"' in html


def test_panel_use_with_htmx_records_and_updates_the_count(web, specialist, make_article, make_ticket):
    article = make_article()
    make_ticket()
    r = web(specialist).post(
        f"/tickets/panel/{article.pk}/use/", {"ticket": "T-123", "outcome": "resolved", "version": "1"}, **HX
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert (
        "Resolved 1 ticket</strong>" in html
        and "Recorded on ticket T-123: version 1 resolved the ticket." in html
    )
    assert "<html" not in html  # a fragment, not a page
    assert Resolution.objects.get().outcome == "resolved"


def test_panel_use_errors_are_shown_in_the_fragment(web, specialist, make_article, make_ticket):
    article = make_article()
    r = web(specialist).post(
        f"/tickets/panel/{article.pk}/use/", {"ticket": "T-404", "outcome": "resolved"}, **HX
    )
    assert r.status_code == 200 and "Unknown ticket: T-404" in r.content.decode()
    r = web(specialist).post(
        f"/tickets/panel/{article.pk}/use/", {"ticket": "bad id", "outcome": "resolved"}, **HX
    )
    assert "may only contain" in r.content.decode()
    assert Resolution.objects.count() == 0


def test_panel_without_htmx_redirects_back(web, specialist, make_article, make_ticket):
    article = make_article()
    make_ticket()
    r = web(specialist).post(f"/tickets/panel/{article.pk}/use/", {"ticket": "T-123", "outcome": "helpful"})
    assert r.status_code == 302 and r["Location"] == article.get_absolute_url()
    assert Resolution.objects.get().outcome == "helpful"


def test_panel_feedback_and_flag(web, specialist, make_article):
    article = make_article()
    web(specialist).post(f"/tickets/panel/{article.pk}/feedback/", {"helpful": "false"}, **HX)
    assert Feedback.objects.get().helpful is False
    r = web(specialist).post(
        f"/tickets/panel/{article.pk}/flag/", {"reason": "missing_step", "comment": "No ID check"}, **HX
    )
    assert "Flag raised" in r.content.decode()
    assert Flag.objects.get().reason == "missing_step"


def test_panel_posts_on_hidden_article_are_404(web, outsider, make_article):
    hidden = make_article("Restricted", teams=["SG Creator Support"])
    for action in ("use", "feedback", "flag"):
        assert web(outsider).post(f"/tickets/panel/{hidden.pk}/{action}/", {}).status_code == 404
    assert web(outsider).get(f"/tickets/panel/{hidden.pk}/use/").status_code in (404, 405)


def test_ticket_page_shows_pinned_version_and_diff_to_today(web, specialist, lead, make_article, make_ticket):
    article = make_article()
    make_ticket()
    services.record_resolution(actor=specialist, ticket="T-123", article=article.pk, outcome="resolved")
    article = article_services.update_article(
        actor=lead, article=article, base_version=1, change_note="v2", body="# New\n\n1. Call first."
    )
    article_services.publish_article(actor=lead, article=article, material=True)
    html = web(specialist).get("/tickets/T-123/").content.decode()
    assert f"/articles/{article.slug}/v/1/" in html and "Version 1" in html
    assert f"/articles/{article.slug}/diff/?from=1&amp;to=2" in html


def test_ticket_page_bad_and_unknown_ids_are_404(web, specialist, category_tree):
    assert web(specialist).get("/tickets/T-nope/").status_code == 404
    assert web(specialist).get("/tickets/" + "x" * 10_000 + "/").status_code == 404
    r = web(specialist).get("/tickets/?id=bad%20id")
    assert r.status_code == 200 and "may only contain" in r.content.decode()


def test_ticket_page_hides_restricted_resolutions(web, specialist, outsider, make_article, make_ticket):
    hidden = make_article("Secret escalation path", teams=["SG Creator Support"])
    make_ticket()
    services.record_resolution(actor=specialist, ticket="T-123", article=hidden.pk, outcome="resolved")
    assert "Secret escalation path" not in web(outsider).get("/tickets/T-123/").content.decode()
    assert "Secret escalation path" in web(specialist).get("/tickets/T-123/").content.decode()


def test_flag_queue_and_close(web, specialist, lead, make_article):
    article = make_article()
    flag = services.raise_flag(actor=specialist, article=article.pk, reason="outdated", comment="Old form")
    html = web(lead).get("/flags/").content.decode()
    assert "Old form" in html and "Outdated" in html
    r = web(lead).post(f"/flags/{flag.pk}/close/", {"resolution": "Replaced the form link"})
    assert r.status_code == 302
    flag.refresh_from_db()
    assert flag.state == "closed" and flag.resolution == "Replaced the form link"
    assert "Replaced the form link" in web(lead).get("/flags/?state=closed").content.decode()


def test_specialist_flag_queue_shows_only_their_articles(web, specialist, make_article):
    article = make_article()
    services.raise_flag(actor=specialist, article=article.pk, reason="unclear", comment="Step 2?")
    assert "Step 2?" not in web(specialist).get("/flags/").content.decode()  # they own no article


# ---------------------------------------------------------------------------------------------
# the framed suggestion panel


def test_suggest_panel_frame_headers_with_origins(web, specialist, make_article, settings):
    settings.FRAME_ANCESTORS = ["https://helpdesk.example.com"]
    make_article()
    r = web(specialist).get("/panel/suggest/?category=ACCOUNT.LOGIN.2FA&text=2fa")
    assert r.status_code == 200
    assert "frame-ancestors 'self' https://helpdesk.example.com" in r["Content-Security-Policy"]
    assert "X-Frame-Options" not in r
    assert "Reset a creator" in r.content.decode()


def test_suggest_panel_without_origins_is_same_origin_only(web, specialist, category_tree, settings):
    settings.FRAME_ANCESTORS = []
    r = web(specialist).get("/panel/suggest/?category=ACCOUNT")
    assert "frame-ancestors 'self'" in r["Content-Security-Policy"]
    assert "helpdesk" not in r["Content-Security-Policy"]
    assert r["X-Frame-Options"] == "DENY"


def test_other_pages_are_never_frameable(web, specialist, category_tree, settings):
    settings.FRAME_ANCESTORS = ["https://helpdesk.example.com"]
    r = web(specialist).get("/tickets/")
    assert "frame-ancestors 'none'" in r["Content-Security-Policy"] and r["X-Frame-Options"] == "DENY"


def test_suggest_panel_anonymous_gets_framable_sign_in_link(web, category_tree, settings):
    settings.FRAME_ANCESTORS = ["https://helpdesk.example.com"]
    r = web(None).get("/panel/suggest/?category=ACCOUNT&text=locked out")
    assert r.status_code == 200
    html = r.content.decode()
    assert "/login/?next=%2Fpanel%2Fsuggest%2F%3Fcategory%3DACCOUNT%26text%3Dlocked%2520out" in html
    assert 'target="_blank"' in html
    assert "frame-ancestors 'self' https://helpdesk.example.com" in r["Content-Security-Policy"]


def test_suggest_panel_unknown_category_is_400(web, specialist, category_tree):
    r = web(specialist).get("/panel/suggest/?category=NOPE%20X")
    assert r.status_code == 400 and "Unknown category: &#x27;NOPE X&#x27;" in r.content.decode()


# ---------------------------------------------------------------------------------------------
# the suggest API


def test_suggest_ranks_category_parent_text_and_outcomes(
    api, specialist, make_article, make_ticket, outsider
):
    exact = make_article("Reset 2FA with identity check", categories=["ACCOUNT.LOGIN.2FA"])
    parent = make_article("Login troubleshooting basics", categories=["ACCOUNT.LOGIN"])
    other = make_article("Payout delays", categories=["PAYOUTS"], tags=["payout"])
    hidden = make_article(
        "Restricted 2FA bypass", categories=["ACCOUNT.LOGIN.2FA"], teams=["SG Creator Support"]
    )
    for i in range(3):
        make_ticket(f"T-{i}")
        services.record_resolution(actor=specialist, ticket=f"T-{i}", article=parent.pk, outcome="resolved")
    body = api(specialist).get("/api/v1/suggest/?category=ACCOUNT.LOGIN.2FA&text=payout&limit=5").json()
    ids = [r["id"] for r in body["results"]]
    assert set(ids) >= {exact.pk, parent.pk, other.pk, hidden.pk}
    first = body["results"][0]
    assert set(first) == {"id", "title", "url", "kind", "score", "reasons"}
    by_id = {r["id"]: r for r in body["results"]}
    assert any("parent category ACCOUNT.LOGIN" in x for x in by_id[parent.pk]["reasons"])
    assert any("Resolved or helped 3 tickets" in x for x in by_id[parent.pk]["reasons"])
    assert any("Filed under ACCOUNT.LOGIN.2FA" in x for x in by_id[exact.pk]["reasons"])
    assert any("Matches the subject" in x for x in by_id[other.pk]["reasons"])
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    out_ids = [
        r["id"] for r in api(outsider).get("/api/v1/suggest/?category=ACCOUNT.LOGIN.2FA").json()["results"]
    ]
    assert hidden.pk not in out_ids and exact.pk in out_ids


@pytest.mark.parametrize(
    "query, field",
    [
        ("?category=NOPE", "category"),
        ("?category=ACCOUNT%20LOGIN", "category"),
        ("", "non_field_errors"),
        ("?text=x&limit=0", "limit"),
        ("?text=x&limit=abc", "limit"),
    ],
)
def test_suggest_bad_input(api, specialist, category_tree, query, field):
    r = api(specialist).get(f"/api/v1/suggest/{query}")
    assert r.status_code == 400 and field in r.json()


def test_suggest_long_text_is_bounded(api, specialist, make_article):
    make_article()
    r = api(specialist).get("/api/v1/suggest/?text=" + "reset+" * 3000)
    assert r.status_code == 200


def test_admin_lists_only_visible_resolutions(client, specialist, make_article, make_ticket):
    from tests.conftest import make_user

    hidden = make_article("Restricted step", teams=["SG Creator Support"])
    make_ticket()
    services.record_resolution(actor=specialist, ticket="T-123", article=hidden.pk, outcome="resolved")
    admin_elsewhere = make_user("root2", "admin", ("Jakarta Live Safety",))
    admin_elsewhere.is_staff = admin_elsewhere.is_superuser = True
    admin_elsewhere.save()
    client.force_login(admin_elsewhere)
    r = client.get("/admin/tickets/resolution/")
    assert r.status_code == 200 and "Restricted step" not in r.content.decode()
    assert "T-123" in client.get("/admin/tickets/ticket/").content.decode()
