"""Article and category pages: right role works, wrong role/team refused, missing objects, bad input."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.articles import selectors, services
from kb.articles.models import Article, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_foreign_banners(monkeypatch):
    """Banners belong to other apps (and have their own tests); these tests pin the article pages."""
    from kb.lib import ui

    monkeypatch.setattr(ui, "_banners", [])


def html_of(response) -> str:
    return response.content.decode()


def latest_body(article) -> str:
    """The body of the newest version (a draft may be newer than what readers see)."""
    return selectors.get_version_record(article, article.version).body


def edit(lead, article, **changes):
    return services.update_article(
        actor=lead, article=article, base_version=article.version, change_note="tweak", **changes
    )


# --- home, lists, categories -----------------------------------------------------------------


def test_home_shows_categories_with_counts_and_recent(web, specialist, outsider, make_article):
    make_article("Reset a creator's 2FA")
    make_article("Secret minors escalation", teams=["Jakarta Live Safety"], categories=["SAFETY.MINORS"])
    html = html_of(web(specialist).get("/"))
    assert "Reset a creator&#x27;s 2FA" in html
    assert "Secret minors escalation" not in html
    # ACCOUNT counts its descendant's article; SAFETY's only article is hidden from this team.
    account = re.search(
        r'href="/categories/ACCOUNT/">\s*<span[^>]*>Account</span>\s*<span class="count"[^>]*>(\d+)',
        html,
    )
    safety = re.search(
        r'href="/categories/SAFETY/">\s*<span[^>]*>Safety</span>\s*<span class="count"[^>]*>(\d+)', html
    )
    assert account and account.group(1) == "1"
    assert safety and safety.group(1) == "0"
    assert 'aria-current="page"' in html and 'id="site-search"' in html


def test_anonymous_is_sent_to_login(web):
    response = web(None).get("/articles/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_home_lists_editors_own_stale_articles(web, lead, specialist, make_article):
    article = make_article("Old payout SOP")
    Article.objects.filter(pk=article.pk).update(review_interval_days=1, published_at="2020-01-01T00:00Z")
    assert "Old payout SOP" in html_of(web(lead).get("/")).split("Recently published")[0]
    assert "due for review" not in html_of(web(specialist).get("/"))


def test_article_list_filters_by_kind_tag_and_category(web, specialist, make_article):
    make_article("Macro: payout delay", kind="macro", categories=["PAYOUTS"], tags=["payout"])
    make_article("Reset 2FA")
    client = web(specialist)
    assert "Macro: payout delay" in html_of(client.get("/articles/?kind=macro"))
    assert "Reset 2FA" not in html_of(client.get("/articles/?kind=macro"))
    assert "Reset 2FA" in html_of(client.get("/articles/?category=ACCOUNT"))
    assert "Macro: payout delay" not in html_of(client.get("/articles/?category=ACCOUNT"))
    assert "Macro: payout delay" in html_of(client.get("/articles/?tag=payout"))
    # Unknown filter values are ignored rather than failing the page.
    assert client.get("/articles/?kind=nope&category=%3Cx%3E&page=abc").status_code == 200


def test_article_list_hides_drafts_from_specialists_and_status_filter_for_editors(
    web, specialist, lead, make_article
):
    make_article("Draft only", published=False)
    assert "Draft only" not in html_of(web(specialist).get("/articles/"))
    assert 'name="status"' not in html_of(web(specialist).get("/articles/"))
    lead_html = html_of(web(lead).get("/articles/?status=draft"))
    assert "Draft only" in lead_html and 'name="status"' in lead_html


def test_article_list_shows_published_title_to_readers_while_draft_differs(
    web, specialist, lead, make_article
):
    article = make_article("Published title")
    edit(lead, article, title="Draft title")
    html = html_of(web(specialist).get("/articles/"))
    assert "Published title" in html and "Draft title" not in html


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# /articles/: session, user, tag choices, category choices, page count, page rows,
# prefetch teams, prefetch categories.
ARTICLE_LIST_QUERIES = 8


def test_article_list_query_count_does_not_grow_with_rows(web, lead, make_article, django_assert_num_queries):
    make_article("Only one")
    client = web(lead)
    with django_assert_num_queries(ARTICLE_LIST_QUERIES):
        client.get("/articles/")
    for i in range(24):
        make_article(f"Filler {i}", teams=["SG Creator Support"] if i % 2 else None)
    with django_assert_num_queries(ARTICLE_LIST_QUERIES):
        assert "Filler 23" in html_of(client.get("/articles/"))


def test_category_detail_lists_children_articles_and_breadcrumbs(web, specialist, make_article):
    make_article("2FA reset", categories=["ACCOUNT.LOGIN.2FA"])
    make_article("Payout delay", categories=["PAYOUTS"])
    response = web(specialist).get("/categories/ACCOUNT/")
    html = html_of(response)
    assert response.status_code == 200
    assert "2FA reset" in html and "Payout delay" not in html
    assert 'href="/categories/ACCOUNT.LOGIN/"' in html
    crumbs = html_of(web(specialist).get("/categories/ACCOUNT.LOGIN.2FA/"))
    assert crumbs.index('href="/categories/ACCOUNT/"') < crumbs.index('href="/categories/ACCOUNT.LOGIN/"')


def test_category_detail_hides_restricted_articles_and_missing_code_is_404(
    web, outsider, specialist, make_article
):
    make_article("Minor escalation", teams=["SG Creator Support"], categories=["SAFETY.MINORS"])
    assert "Minor escalation" not in html_of(web(outsider).get("/categories/SAFETY/"))
    assert "Minor escalation" in html_of(web(specialist).get("/categories/SAFETY/"))
    assert web(specialist).get("/categories/NOPE/").status_code == 404
    assert web(specialist).get("/categories/").status_code == 200


def test_category_detail_query_count_is_constant(web, lead, make_article):
    make_article("One", categories=["PAYOUTS"])
    client = web(lead)
    client.get("/categories/PAYOUTS/")
    one = _list_queries(client, "/categories/PAYOUTS/")
    for i in range(20):
        make_article(f"More {i}", categories=["PAYOUTS"], teams=["SG Creator Support"] if i % 2 else None)
    assert _list_queries(client, "/categories/PAYOUTS/") == one


# --- article page -----------------------------------------------------------------------------


def test_specialist_sees_published_version_and_editor_sees_draft_notice(web, specialist, lead, make_article):
    article = make_article("Payout delays", body="# Steps\n\nPublished text.")
    edit(lead, article, body="# Steps\n\nDraft text.")
    reader = html_of(web(specialist).get(f"/articles/{article.slug}/"))
    assert "Published text." in reader and "Draft text." not in reader
    assert "A newer draft exists" not in reader
    editor = html_of(web(lead).get(f"/articles/{article.slug}/"))
    assert "A newer draft exists" in editor and f"/articles/{article.slug}/v/2/" in editor
    assert "Published text." in editor


def test_article_page_shows_version_badge_owner_freshness_and_toc(web, specialist, lead, make_article):
    article = make_article("2FA", body="## First step\n\ntext\n\n## Second step\n")
    services.mark_reviewed(actor=lead, article=article)
    html = html_of(web(specialist).get(f"/articles/{article.slug}/"))
    assert re.search(r"v1 ·\s+published <time datetime=", html)
    assert "Last reviewed" in html and 'by <span dir="auto">lee</span>' in html
    assert "next review by" in html
    assert 'href="#h-first-step"' in html


def test_overdue_article_says_review_overdue(web, specialist, make_article):
    article = make_article("Old")
    Article.objects.filter(pk=article.pk).update(published_at="2020-01-01T00:00Z", review_interval_days=30)
    assert "review overdue" in html_of(web(specialist).get(f"/articles/{article.slug}/"))


def test_macro_has_copy_button(web, specialist, make_article):
    article = make_article("Payout macro", kind="macro", body="Hi {{name}}, your payout is on its way.")
    html = html_of(web(specialist).get(f"/articles/{article.slug}/"))
    assert 'data-copy-target="macro-body"' in html and "Copy reply" in html


def test_user_text_is_escaped_on_article_page(web, specialist, lead, category_tree):
    article = services.create_article(
        actor=lead,
        title="<script>alert(1)</script> title",
        summary="<img src=x onerror=alert(1)>",
        body="hello",
        tags=["<b>tag</b>"],
        categories=["PAYOUTS"],
        change_note="<i>note</i>",
    )
    services.publish_article(actor=lead, article=article, material=False)
    html = html_of(web(specialist).get(f"/articles/{article.slug}/"))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html and "<b>tag</b>" not in html and "<i>note</i>" not in html


def test_restricted_and_draft_articles_are_404_for_those_who_may_not_read(
    web, specialist, outsider, lead, make_article
):
    restricted = make_article("Restricted", teams=["SG Creator Support"])
    draft = make_article("Draft", published=False)
    for url in (
        f"/articles/{restricted.slug}/",
        f"/articles/{restricted.slug}/v/1/",
        f"/articles/{restricted.slug}/history/",
        f"/articles/{restricted.slug}/diff/?from=1&to=1",
        f"/articles/{restricted.slug}/edit/",
    ):
        assert web(outsider).get(url).status_code == 404, url
    assert web(specialist).get(f"/articles/{restricted.slug}/").status_code == 200
    assert web(specialist).get(f"/articles/{draft.slug}/").status_code == 404
    assert web(specialist).get(f"/articles/{draft.slug}/history/").status_code == 404
    assert web(lead).get(f"/articles/{draft.slug}/").status_code == 200
    assert web(lead).get("/articles/no-such-article/").status_code == 404


def test_archived_article_is_404_for_readers_and_marked_for_editors(web, specialist, lead, make_article):
    article = make_article("Old policy")
    services.archive_article(actor=lead, article=article)
    assert web(specialist).get(f"/articles/{article.slug}/").status_code == 404
    assert "Archived." in html_of(web(lead).get(f"/articles/{article.slug}/"))


def test_article_panels_from_other_apps_render(web, specialist, make_article, monkeypatch):
    from kb.lib import ui

    monkeypatch.setattr(
        ui, "_panels", [("probe", lambda request, article, record: f"<p>panel v{record.version}</p>")]
    )
    article = make_article("Panel host")
    assert "<p>panel v1</p>" in html_of(web(specialist).get(f"/articles/{article.slug}/"))


def test_cjk_thai_arabic_titles_get_working_urls(web, specialist, make_article):
    for title in ("重置双重验证", "รีเซ็ตรหัสผ่าน", "إعادة تعيين كلمة المرور"):
        article = make_article(title)
        response = web(specialist).get(article.get_absolute_url())
        assert response.status_code == 200 and title in html_of(response)


# --- versions, history, diff ------------------------------------------------------------------


def test_version_page_banner_and_reader_limits(web, specialist, lead, make_article):
    article = make_article("Versions", body="one")
    edit(lead, article, body="two")  # v2, never published
    assert "You are viewing version 1 of 1" in html_of(web(specialist).get(f"/articles/{article.slug}/v/1/"))
    assert web(specialist).get(f"/articles/{article.slug}/v/2/").status_code == 404
    assert web(specialist).get(f"/articles/{article.slug}/v/9/").status_code == 404
    editor = html_of(web(lead).get(f"/articles/{article.slug}/v/2/"))
    assert "You are viewing version 2 of 2" in editor and "two" in editor


def test_history_lists_versions_with_notes_readers_only_published(web, specialist, lead, make_article):
    article = make_article("History")
    edit(lead, article, body="draft change")
    reader = html_of(web(specialist).get(f"/articles/{article.slug}/history/"))
    assert f"/articles/{article.slug}/v/1/" in reader and f"/articles/{article.slug}/v/2/" not in reader
    editor = html_of(web(lead).get(f"/articles/{article.slug}/history/"))
    assert f"/articles/{article.slug}/v/2/" in editor and "tweak" in editor and "First draft" in editor


# session, user, article (+owner, published record), publications, version numbers, the page's
# rows (+authors)
HISTORY_QUERIES = 6


def test_history_query_count_same_for_1_and_50_versions(
    web, specialist, lead, make_article, django_assert_num_queries
):
    article = make_article("Many versions", body="v1")
    client = web(lead)
    url = f"/articles/{article.slug}/history/"
    with django_assert_num_queries(HISTORY_QUERIES):
        assert "1 version." in html_of(client.get(url))
    for i in range(49):
        article.refresh_from_db()
        article = edit(lead, article, body=f"body {i}")
        if i % 10 == 0:
            article = services.publish_article(actor=lead, article=article, material=False)
    with django_assert_num_queries(HISTORY_QUERIES):
        html = html_of(client.get(url))
    assert f"/articles/{article.slug}/v/50/" in html and "50 versions." in html
    reader = web(specialist)
    with django_assert_num_queries(HISTORY_QUERIES):
        html = html_of(reader.get(url))
    assert "6 versions published." in html


def test_history_pages_reach_every_version_and_compare_any_two(web, lead, make_article):
    article = make_article("Long history", body="v1")
    for i in range(29):
        article.refresh_from_db()
        article = edit(lead, article, body=f"body {i}")
    client = web(lead)
    url = f"/articles/{article.slug}/history/"
    first = html_of(client.get(url))
    # 25 rows a page, newest first; the total and the compare form cover all 30
    assert "30 versions." in first and "Page 1 of 2 · 30 versions" in first
    assert f"/articles/{article.slug}/v/30/" in first and f"/articles/{article.slug}/v/6/" in first
    assert f'href="/articles/{article.slug}/v/5/"' not in first
    assert first.count('<option value="1">v1</option>') == 2
    assert '<option value="29" selected>v29</option>' in first  # from: the one before the latest
    assert '<option value="30" selected>v30</option>' in first  # to: the latest
    second = html_of(client.get(url + "?page=2"))
    assert f'href="/articles/{article.slug}/v/1/"' in second and f"/articles/{article.slug}/v/5/" in second
    # each row links the changes since the version before it, across the page boundary too
    assert f"/articles/{article.slug}/diff/?from=5&amp;to=6" in first
    assert f"/articles/{article.slug}/diff/?from=4&amp;to=5" in second
    assert "diff/?from=0" not in second


def test_diff_shows_word_level_changes_escaped(web, specialist, lead, make_article):
    article = make_article("Diff me", body="Verify the <b>creator</b> identity")
    edit(lead, article, body="Verify the creator's email identity", tags=["2fa", "email"])
    response = web(lead).get(f"/articles/{article.slug}/diff/?from=1&to=2")
    html = html_of(response)
    assert response.status_code == 200
    assert "<ins>" in html and "<del>" in html and "&lt;b&gt;" in html
    assert "<b>creator</b>" not in html
    assert re.search(r"<ins>[^<]*email", html)


def test_diff_bad_input_is_400_and_unreadable_version_404(web, specialist, lead, make_article):
    article = make_article("Diff errors")
    edit(lead, article, body="new")
    base = f"/articles/{article.slug}/diff/"
    for query in ("", "?from=1", "?from=a&to=2", "?from=0&to=1", "?from=1.5&to=2"):
        assert web(lead).get(base + query).status_code == 400, query
    assert web(lead).get(base + "?from=1&to=7").status_code == 404
    assert web(lead).get(base + "?from=1&to=99999999999999999999").status_code == 404
    assert web(specialist).get(base + "?from=1&to=2").status_code == 404
    assert web(specialist).get(base + "?from=1&to=1").status_code == 200


# --- editing ------------------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "title": "Handle an impersonation report",
        "kind": "sop",
        "summary": "When a creator reports an impersonator.",
        "body": "## Steps\n\n- [ ] Check the report\n",
        "categories": ["SAFETY"],
        "tags": "impersonation, report",
        "review_interval_days": "90",
        "change_note": "First draft",
    }
    data.update(overrides)
    return data


def test_lead_creates_article_and_specialist_cannot(web, lead, specialist, category_tree):
    response = web(lead).post("/articles/new/", _form())
    article = Article.objects.get(title="Handle an impersonation report")
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.status == Status.DRAFT and article.tag_names == ["impersonation", "report"]
    assert web(specialist).get("/articles/new/").status_code == 403
    assert web(specialist).post("/articles/new/", _form(title="Nope")).status_code == 403
    assert not Article.objects.filter(title="Nope").exists()


def test_create_form_errors_keep_typed_text(web, lead, category_tree):
    response = web(lead).post("/articles/new/", _form(title="", body="my precious text", change_note=""))
    html = html_of(response)
    assert response.status_code == 400
    assert "my precious text" in html and "This field is required." in html
    response = web(lead).post("/articles/new/", _form(categories=["NOT.A.CODE"], body="kept"))
    assert response.status_code == 400 and "kept" in html_of(response)
    response = web(lead).post("/articles/new/", _form(review_interval_days="0", body="kept 2"))
    assert response.status_code == 400 and "kept 2" in html_of(response)
    assert not Article.objects.exists()


def test_body_that_cannot_render_in_time_is_a_form_error(web, lead, category_tree, settings):
    settings.KB_MARKDOWN_TIMEOUT_SECONDS = 0.3
    response = web(lead).post("/articles/new/", _form(body="[" * 8000 + "x" * 10))
    assert response.status_code == 400
    assert "simplify" in html_of(response) or "renderer" in html_of(response)
    assert not Article.objects.exists()


def test_restricting_to_a_team_the_editor_is_not_in_is_refused(web, lead, category_tree, outsider):
    response = web(lead).post("/articles/new/", _form(teams=["Jakarta Live Safety"]))
    assert response.status_code == 400 and "lose access" in html_of(response)


def test_edit_page_prefills_and_saves_a_new_version(web, lead, specialist, make_article):
    article = make_article("Edit me", body="old body")
    client = web(lead)
    page = html_of(client.get(f"/articles/{article.slug}/edit/"))
    assert "old body" in page and 'name="base_version" value="1"' in page
    assert 'hx-post="/articles/preview/"' in page
    # The stored HTML is the first preview: no render request on page load.
    assert 'hx-trigger="keyup changed delay:400ms"' in page
    response = client.post(
        f"/articles/{article.slug}/edit/",
        _form(
            title="Edit me",
            body="new body",
            categories=["ACCOUNT.LOGIN.2FA"],
            base_version="1",
            change_note="Clarify",
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.version == 2 and latest_body(article) == "new body" and article.published_version == 1
    assert web(specialist).get(f"/articles/{article.slug}/edit/").status_code == 403
    assert web(specialist).post(f"/articles/{article.slug}/edit/", _form(base_version="2")).status_code == 403


def test_edit_conflict_shows_diff_and_keeps_unsaved_text(web, lead, other_lead, make_article):
    article = make_article("Conflict", body="original body")
    edit(other_lead, article, body="their body")
    response = web(lead).post(
        f"/articles/{article.slug}/edit/",
        _form(title="Conflict", body="my unsaved body", base_version="1", change_note="Mine"),
    )
    html = html_of(response)
    assert response.status_code == 409
    assert "my unsaved body" in html and "<ins>their</ins>" in html
    assert 'name="base_version" value="2"' in html  # re-applying saves on top of the latest
    assert 'hx-trigger="keyup changed delay:400ms, load"' in html  # the unsaved text gets previewed
    article.refresh_from_db()
    assert article.version == 2 and latest_body(article) == "their body"
    again = web(lead).post(
        f"/articles/{article.slug}/edit/",
        _form(title="Conflict", body="my unsaved body", base_version="2", change_note="Mine, merged"),
    )
    article.refresh_from_db()
    assert again.status_code == 302 and article.version == 3 and latest_body(article) == "my unsaved body"


def test_edit_bad_base_version_is_a_form_error(web, lead, make_article):
    article = make_article("Base")
    response = web(lead).post(f"/articles/{article.slug}/edit/", _form(base_version="", body="kept text"))
    assert response.status_code == 400 and "kept text" in html_of(response)


def test_preview_renders_fragment_and_reports_errors(web, lead, specialist, settings):
    client = web(lead)
    response = client.post(
        "/articles/preview/", {"body": "# Hi\n\n<script>x</script>**bold**"}, HTTP_HX_REQUEST="true"
    )
    html = html_of(response)
    assert response.status_code == 200 and "<strong>bold</strong>" in html and "<script>" not in html
    assert "<html" not in html
    too_big = "x" * (settings.KB_MARKDOWN_MAX_CHARS + 1)
    response = client.post("/articles/preview/", {"body": too_big})
    assert response.status_code == 200 and "Cannot preview" in html_of(response)
    assert client.get("/articles/preview/").status_code == 405
    assert web(specialist).post("/articles/preview/", {"body": "x"}).status_code == 403


# --- workflow actions ---------------------------------------------------------------------------


def test_publish_requires_material_choice_then_publishes_latest(web, lead, specialist, make_article):
    article = make_article("Publish me")
    edit(lead, article, body="second")
    client = web(lead)
    response = client.post(f"/articles/{article.slug}/publish/", {"version": "2"}, follow=True)
    assert "material or minor" in html_of(response)
    article.refresh_from_db()
    assert article.published_version == 1
    client.post(f"/articles/{article.slug}/publish/", {"version": "2", "change": "material"})
    article.refresh_from_db()
    assert article.published_version == 2 and article.publications.last().material is True
    assert "second" in html_of(web(specialist).get(f"/articles/{article.slug}/"))


def test_actions_are_post_only_and_refuse_readers(web, lead, specialist, outsider, make_article):
    article = make_article("Actions", teams=["SG Creator Support"])
    for action in ("submit", "approve", "publish", "archive", "restore", "reviewed", "revert"):
        assert web(lead).get(f"/articles/{article.slug}/{action}/").status_code == 405
        assert (
            web(specialist).post(f"/articles/{article.slug}/{action}/", {"change": "minor"}).status_code
            == 403
        )
        assert web(outsider).post(f"/articles/{article.slug}/{action}/").status_code == 404
    assert web(lead).post(f"/articles/{article.slug}/explode/").status_code == 404
    assert web(lead).post("/articles/missing/archive/").status_code == 404
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_submit_approve_archive_restore_reviewed_and_revert(web, lead, other_lead, make_article):
    article = make_article("Workflow", body="v1 body")
    edit(lead, article, body="v2 body")
    client = web(lead)
    client.post(f"/articles/{article.slug}/submit/")
    article.refresh_from_db()
    assert article.status == Status.IN_REVIEW
    queue = html_of(client.get("/review/"))
    assert "Workflow" in queue
    web(other_lead).post(f"/articles/{article.slug}/approve/")
    article.refresh_from_db()
    assert article.approved_version == 2
    client = web(lead)
    response = client.post(f"/articles/{article.slug}/submit/", follow=True)
    assert "already in review" in html_of(response)  # DomainError → message, no 500
    client.post(f"/articles/{article.slug}/reviewed/")
    article.refresh_from_db()
    assert article.last_reviewed_by == lead
    client.post(f"/articles/{article.slug}/revert/", {"version": "1"})
    article.refresh_from_db()
    assert article.version == 3 and latest_body(article) == "v1 body"
    client.post(f"/articles/{article.slug}/archive/")
    article.refresh_from_db()
    assert article.status == Status.ARCHIVED
    client.post(f"/articles/{article.slug}/restore/")
    article.refresh_from_db()
    assert article.status != Status.ARCHIVED
    response = client.post(f"/articles/{article.slug}/revert/", {"version": "abc"}, follow=True)
    assert response.status_code == 200 and "Choose a version" in html_of(response)


def test_action_next_only_follows_local_paths(web, lead, make_article):
    article = make_article("Next")
    response = web(lead).post(f"/articles/{article.slug}/reviewed/", {"next": "https://evil.example/"})
    assert response["Location"] == article.get_absolute_url()
    response = web(lead).post(f"/articles/{article.slug}/reviewed/", {"next": "/review/stale/"})
    assert response["Location"] == "/review/stale/"


# --- review queue and stale list ----------------------------------------------------------------


def test_review_queue_and_stale_are_for_editors(web, specialist, trainer, lead):
    for user in (specialist, trainer):
        assert web(user).get("/review/").status_code == 403
        assert web(user).get("/review/stale/").status_code == 403
    assert web(lead).get("/review/").status_code == 200
    assert web(lead).post("/review/").status_code == 405


def test_stale_list_shows_own_by_default_and_all_with_toggle(web, lead, other_lead, make_article):
    mine = make_article("Mine is stale")
    theirs = services.create_article(actor=other_lead, title="Theirs is stale", change_note="x")
    services.publish_article(actor=other_lead, article=theirs, material=False)
    Article.objects.filter(pk__in=[mine.pk, theirs.pk]).update(published_at="2020-01-01T00:00Z")
    client = web(lead)
    own = html_of(client.get("/review/stale/"))
    assert "Mine is stale" in own and "Theirs is stale" not in own
    everyone = html_of(client.get("/review/stale/?all=1"))
    assert "Mine is stale" in everyone and "Theirs is stale" in everyone


# --- error pages --------------------------------------------------------------------------------


def test_404_page_uses_site_layout(web, specialist):
    response = web(specialist).get("/articles/nothing-here/")
    assert response.status_code == 404 and "This page does not exist" in html_of(response)


def test_diff_folds_long_unchanged_runs_but_keeps_context(web, lead, make_article):
    lines = [f"Line {i} of the procedure." for i in range(40)]
    article = make_article("Long body", body="\n".join(lines))
    changed = list(lines)
    changed[20] = "Line 20 of the NEW procedure."
    edit(lead, article, body="\n".join(changed))
    html = html_of(web(lead).get(f"/articles/{article.slug}/diff/?from=1&to=2"))
    assert "<ins>NEW </ins>" in html or "<ins>NEW</ins>" in html
    assert "Line 19 of the procedure." in html and "Line 22 of the procedure." in html  # context kept
    assert "Line 2 of the procedure." not in html and "Line 35 of the procedure." not in html  # folded
    assert "unchanged lines" in html


def test_article_list_serves_results_fragment_to_htmx_on_the_same_url(web, specialist, make_article):
    make_article("Macro: payout delay", kind="macro", categories=["PAYOUTS"])
    make_article("Reset 2FA")
    client = web(specialist)
    response = client.get("/articles/?kind=macro", HTTP_HX_REQUEST="true")
    html = html_of(response)
    assert response.status_code == 200
    assert 'id="results"' in html and "<html" not in html
    assert "Macro: payout delay" in html and "Reset 2FA" not in html
    assert "HX-Request" in response["Vary"]
    restore = client.get(
        "/articles/?kind=macro", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in html_of(restore)


def test_trainer_reads_drafts_but_cannot_edit_or_act(web, trainer, make_article):
    article = make_article("Trainer view", published=False)
    page = web(trainer).get(f"/articles/{article.slug}/")
    assert page.status_code == 200 and "Not published yet" in html_of(page)
    assert f"/articles/{article.slug}/edit/" not in html_of(page)
    assert web(trainer).get(f"/articles/{article.slug}/edit/").status_code == 403
    assert web(trainer).post(f"/articles/{article.slug}/publish/", {"change": "minor"}).status_code == 403


def test_error_pages_render_without_request_context():
    from django.template.loader import render_to_string

    for name, text in (("500.html", "went wrong"), ("404.html", "does not exist"), ("403.html", "role")):
        assert text in render_to_string(name)


def test_article_list_paginates_and_keeps_filters_in_page_links(web, specialist, make_article):
    for i in range(27):
        make_article(f"Macro {i:02d}", kind="macro")
    client = web(specialist)
    first = html_of(client.get("/articles/?kind=macro"))
    assert "Page 1 of 2" in first and 'href="?kind=macro&amp;page=2"' in first
    second = html_of(client.get("/articles/?kind=macro&page=2"))
    assert "Macro 26" in second and "Macro 00" not in second
    assert "Page 2 of 2" in html_of(client.get("/articles/?kind=macro&page=999"))


def test_read_pages_refuse_writes_but_answer_head(web, lead, make_article):
    article = make_article("Methods")
    client = web(lead)
    for url in (
        "/",
        "/articles/",
        "/categories/",
        "/categories/ACCOUNT/",
        f"/articles/{article.slug}/",
        f"/articles/{article.slug}/v/1/",
        f"/articles/{article.slug}/history/",
        f"/articles/{article.slug}/diff/?from=1&to=1",
        "/review/stale/",
    ):
        assert client.post(url).status_code == 405, url
        assert client.head(url).status_code == 200, url
    assert client.put(f"/articles/{article.slug}/edit/").status_code == 405


def test_article_page_has_one_h1_even_when_the_body_starts_with_one(web, specialist, make_article):
    article = make_article("Title", body="# Steps\n\n## Detail\n\ntext &lt;h1&gt; <h1>raw</h1>")
    html = html_of(web(specialist).get(f"/articles/{article.slug}/"))
    assert html.count("<h1") == 1 and '<h2 id="h-steps">Steps</h2>' in html
    assert '<h3 id="h-detail">Detail</h3>' in html and 'href="#h-detail"' in html
    assert "&lt;h1&gt;" in html
    plain = make_article("Plain", body="## Steps\n")
    assert '<h2 id="h-steps">' in html_of(web(specialist).get(f"/articles/{plain.slug}/"))
