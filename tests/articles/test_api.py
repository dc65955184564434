"""Categories and articles API (CONTRACT §6–§7): every endpoint, wrong role, wrong team, missing,
wrong method, bad input, version pinning, revert and the diff shape."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from kb.articles import services
from kb.articles.models import Article, Category, Status

pytestmark = pytest.mark.django_db

DETAIL_FIELDS = {
    "id",
    "slug",
    "url",
    "title",
    "kind",
    "summary",
    "body",
    "body_html",
    "categories",
    "tags",
    "owner",
    "teams",
    "status",
    "version",
    "latest_version",
    "published_version",
    "review_interval_days",
    "last_reviewed_at",
    "last_reviewed_by",
    "review_due_at",
    "is_stale",
    "source_path",
    "created_at",
    "updated_at",
}


def edit(lead, article, **changes):
    return services.update_article(
        actor=lead, article=article, base_version=article.version, change_note="edit", **changes
    )


def detail_url(article, suffix=""):
    return f"/api/v1/articles/{article.pk}/{suffix}"


# ---------------------------------------------------------------------------------------------
# categories


def test_category_list_has_paths_counts_and_pagination(
    api, specialist, outsider, category_tree, make_article
):
    make_article(title="Published 2FA")
    make_article(title="Draft 2FA", published=False)
    make_article(title="Secret 2FA", teams=["Jakarta Live Safety"])
    res = api(specialist).get("/api/v1/categories/")
    assert res.status_code == 200
    body = res.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 6
    by_code = {c["code"]: c for c in body["results"]}
    assert by_code["ACCOUNT.LOGIN.2FA"] == {
        "code": "ACCOUNT.LOGIN.2FA",
        "name": "Two-factor authentication",
        "description": "",
        "parent": "ACCOUNT.LOGIN",
        "path": ["ACCOUNT", "ACCOUNT.LOGIN", "ACCOUNT.LOGIN.2FA"],
        # the specialist sees only the published, unrestricted article
        "article_count": 1,
    }
    assert by_code["ACCOUNT"]["parent"] is None
    assert by_code["ACCOUNT"]["path"] == ["ACCOUNT"]


def test_category_count_depends_on_the_caller(api, lead, outsider, make_article):
    make_article(title="Published")
    make_article(title="Draft", published=False)
    make_article(title="Jakarta only", teams=["Jakarta Live Safety"])
    lead_count = api(lead).get("/api/v1/categories/ACCOUNT.LOGIN.2FA/").json()["article_count"]
    outsider_count = api(outsider).get("/api/v1/categories/ACCOUNT.LOGIN.2FA/").json()["article_count"]
    assert lead_count == 2  # published + draft; not the Jakarta article (lead is not a member)
    assert outsider_count == 2  # published + Jakarta (a member), no draft


def test_category_list_query_count_does_not_grow(api, lead, django_assert_num_queries, category_tree):
    client = api(lead)

    def page_with_4_queries() -> int:
        # token + user, COUNT(*), the page of categories, one aggregated article count per
        # category among what the caller can see (paths come from the codes: no query)
        with django_assert_num_queries(4):
            res = client.get("/api/v1/categories/?page_size=100")
        assert res.status_code == 200
        return res.json()["count"]

    assert page_with_4_queries() == 6
    for i in range(40):
        services.create_category(actor=lead, code=f"ACCOUNT.EXTRA{i}", name=f"Extra {i}", parent="ACCOUNT")
    assert page_with_4_queries() == 46


def test_lead_creates_updates_and_deletes_a_category(api, lead, category_tree):
    client = api(lead)
    res = client.post(
        "/api/v1/categories/",
        {"code": "PAYOUTS.DELAY", "name": "Payout delays", "parent": "PAYOUTS"},
        format="json",
    )
    assert res.status_code == 201, res.json()
    assert res.json()["path"] == ["PAYOUTS", "PAYOUTS.DELAY"]
    res = client.patch(
        "/api/v1/categories/PAYOUTS.DELAY/",
        {"name": "Late payouts", "description": "When money is late", "parent": "PAYOUTS"},
        format="json",
    )
    assert res.status_code == 200, res.json()
    assert (res.json()["name"], res.json()["parent"], res.json()["path"]) == (
        "Late payouts",
        "PAYOUTS",
        ["PAYOUTS", "PAYOUTS.DELAY"],
    )
    # A parent that disagrees with the code's prefix is refused: the two never disagree.
    res = client.patch("/api/v1/categories/PAYOUTS.DELAY/", {"parent": None}, format="json")
    assert res.status_code == 400 and "parent" in res.json()
    assert client.delete("/api/v1/categories/PAYOUTS.DELAY/").status_code == 204
    assert not Category.objects.filter(code="PAYOUTS.DELAY").exists()


@pytest.mark.parametrize("persona", ["specialist", "trainer", "outsider"])
def test_non_editors_cannot_write_categories(api, request, persona, category_tree):
    client = api(request.getfixturevalue(persona))
    assert client.post("/api/v1/categories/", {"code": "X", "name": "X"}, format="json").status_code == 403
    assert client.patch("/api/v1/categories/PAYOUTS/", {"name": "Y"}, format="json").status_code == 403
    assert client.delete("/api/v1/categories/PAYOUTS/").status_code == 403
    assert Category.objects.get(code="PAYOUTS").name == "Creator payouts"
    assert not Category.objects.filter(code="X").exists()


def test_delete_category_with_children_or_articles_is_409(api, lead, make_article):
    make_article()
    client = api(lead)
    res = client.delete("/api/v1/categories/ACCOUNT.LOGIN/")
    assert res.status_code == 409
    assert "child" in res.json()["detail"]
    res = client.delete("/api/v1/categories/ACCOUNT.LOGIN.2FA/")
    assert res.status_code == 409
    assert Category.objects.filter(code="ACCOUNT.LOGIN.2FA").exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"code": "lower.case", "name": "x"}, "code"),
        ({"code": "ACCOUNT", "name": "duplicate"}, "code"),
        ({"code": "NEW"}, "name"),
        ({"code": "NEW", "name": ""}, "name"),
        ({"code": 12, "name": "x"}, "code"),
        ({"code": "NEW", "name": ["x"]}, "name"),
        ({"code": "NEW", "name": "x", "parent": "NOPE"}, "parent"),
        ({"code": "NEW", "name": "x", "parent": 5}, "parent"),
        ({"code": None, "name": "x"}, "code"),
        ({"code": "A" * 500, "name": "x"}, "code"),
        ({"code": "NEW", "name": "x", "article_count": 5}, "article_count"),
    ],
)
def test_category_bad_input_is_400_naming_the_field(api, lead, category_tree, payload, field):
    res = api(lead).post("/api/v1/categories/", payload, format="json")
    assert res.status_code == 400
    assert field in res.json()
    assert not Category.objects.filter(code="NEW").exists()


def test_category_code_cannot_change_and_parent_cannot_loop(api, lead, category_tree):
    client = api(lead)
    res = client.patch("/api/v1/categories/ACCOUNT/", {"code": "ACC"}, format="json")
    assert res.status_code == 400 and "code" in res.json()
    res = client.patch("/api/v1/categories/ACCOUNT/", {"parent": "ACCOUNT.LOGIN.2FA"}, format="json")
    assert res.status_code == 400 and "parent" in res.json()


def test_category_missing_wrong_method_and_anonymous(api, lead, category_tree):
    assert api(lead).get("/api/v1/categories/NOPE/").status_code == 404
    assert api(lead).patch("/api/v1/categories/NOPE/", {"name": "x"}, format="json").status_code == 404
    assert api(lead).put("/api/v1/categories/ACCOUNT/", {"name": "x"}, format="json").status_code == 405
    assert api(lead).delete("/api/v1/categories/").status_code == 405
    assert api(None).get("/api/v1/categories/").status_code == 401


# ---------------------------------------------------------------------------------------------
# article detail and version pinning


def test_detail_has_exactly_the_contract_fields(api, specialist, make_article):
    article = make_article(body="# Steps\n\n1. **Verify** identity.\n")
    res = api(specialist).get(detail_url(article))
    assert res.status_code == 200
    data = res.json()
    assert set(data) == DETAIL_FIELDS
    assert data["url"] == f"http://testserver/articles/{article.slug}/"
    assert data["owner"] == "lee"
    assert data["categories"] == ["ACCOUNT.LOGIN.2FA"]
    assert data["tags"] == ["2fa"]
    assert data["teams"] == []
    assert (data["version"], data["latest_version"], data["published_version"]) == (1, 1, 1)
    assert "<strong>Verify</strong>" in data["body_html"]
    assert data["is_stale"] is False
    assert data["source_path"] is None
    assert data["created_at"].endswith("Z") or "+" in data["created_at"]


def test_reader_gets_published_version_while_lead_drafts(api, specialist, lead, trainer, make_article):
    article = make_article(title="Old title")
    edit(lead, article, title="New title", body="draft body")
    reader = api(specialist).get(detail_url(article)).json()
    assert (reader["title"], reader["version"], reader["status"]) == ("Old title", 1, "published")
    assert reader["latest_version"] == 1  # readers are not told about unpublished versions
    # asking for the latest does not leak the draft to a reader
    assert api(specialist).get(detail_url(article) + "?version=latest").json()["title"] == "Old title"
    assert api(specialist).get(detail_url(article) + "?version=2").status_code == 404
    # editors see the published one by default, the draft on request
    editor = api(lead).get(detail_url(article)).json()
    assert (editor["title"], editor["version"], editor["latest_version"]) == ("Old title", 1, 2)
    assert editor["status"] == "draft"
    latest = api(lead).get(detail_url(article) + "?version=latest").json()
    assert (latest["title"], latest["version"], latest["body"]) == ("New title", 2, "draft body")
    pinned = api(trainer).get(detail_url(article) + "?version=2").json()
    assert pinned["title"] == "New title"
    assert api(lead).get(detail_url(article) + "?version=1").json()["title"] == "Old title"


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "99999999999999999999999", "²", "١", "1%00"])
def test_bad_version_parameter_is_400(api, lead, make_article, value):
    article = make_article()
    res = api(lead).get(detail_url(article) + f"?version={value}")
    assert res.status_code == 400
    assert "version" in res.json()


def test_version_beyond_latest_is_404(api, lead, make_article):
    article = make_article()
    assert api(lead).get(detail_url(article) + "?version=7").status_code == 404


def test_never_published_article_is_404_for_readers(api, specialist, trainer, make_article):
    article = make_article(published=False)
    assert api(specialist).get(detail_url(article)).status_code == 404
    data = api(trainer).get(detail_url(article)).json()
    assert (data["status"], data["version"], data["published_version"]) == ("draft", 1, None)


def test_restricted_article_is_404_for_other_teams(api, outsider, specialist, make_article):
    article = make_article(teams=["SG Creator Support"])
    assert api(specialist).get(detail_url(article)).json()["teams"] == ["SG Creator Support"]
    for suffix in ("", "versions/", "versions/1/", "diff/?from=1&to=1"):
        res = api(outsider).get(detail_url(article, suffix))
        assert res.status_code == 404, suffix
    assert api(outsider).get("/api/v1/articles/").json()["count"] == 0


@pytest.mark.parametrize("pk", ["999999", "abc", "99999999999999999999999999", "1.0", "-1", "²", "١", "%00"])
def test_missing_article_is_404(api, lead, pk):
    assert api(lead).get(f"/api/v1/articles/{pk}/").status_code == 404
    assert api(lead).patch(f"/api/v1/articles/{pk}/", {}, format="json").status_code == 404
    assert api(lead).post(f"/api/v1/articles/{pk}/publish/", {}, format="json").status_code == 404


def test_wrong_methods_are_405(api, lead, make_article):
    article = make_article()
    client = api(lead)
    assert client.put(detail_url(article), {}, format="json").status_code == 405
    assert client.delete(detail_url(article)).status_code == 405
    assert client.get(detail_url(article, "publish/")).status_code == 405
    assert client.post(detail_url(article, "versions/"), {}, format="json").status_code == 405
    assert client.post(detail_url(article, "diff/"), {}, format="json").status_code == 405
    assert client.delete("/api/v1/articles/").status_code == 405


def test_anonymous_is_401_everywhere(api, make_article):
    article = make_article()
    client = api(None)
    assert client.get("/api/v1/articles/").status_code == 401
    assert client.get(detail_url(article)).status_code == 401
    assert client.post(detail_url(article, "publish/"), {"material": False}, format="json").status_code == 401
    bad = api(None)
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad.get("/api/v1/articles/").status_code == 401


def test_session_auth_works_and_requires_csrf(client, lead, make_article):
    from django.test import Client

    article = make_article()
    client.force_login(lead)
    assert client.get(detail_url(article)).status_code == 200
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(lead)
    res = strict.post(detail_url(article, "reviewed/"), data=json.dumps({}), content_type="application/json")
    assert res.status_code == 403
    assert Article.objects.get(pk=article.pk).last_reviewed_at is None


# ---------------------------------------------------------------------------------------------
# list


def test_list_filters(api, lead, make_article, category_tree):
    a = make_article(title="2FA reset", categories=["ACCOUNT.LOGIN.2FA"], tags=["2fa", "identity"])
    b = make_article(title="Payout delay", categories=["PAYOUTS"], kind="troubleshooting", tags=["money"])
    c = make_article(title="Login draft", categories=["ACCOUNT.LOGIN"], published=False)
    client = api(lead)

    def ids(query: str) -> set[int]:
        res = client.get("/api/v1/articles/" + query)
        assert res.status_code == 200, res.json()
        return {r["id"] for r in res.json()["results"]}

    assert ids("") == {a.pk, b.pk, c.pk}
    assert ids("?category=ACCOUNT") == {a.pk, c.pk}  # descendants included
    assert ids("?category=ACCOUNT.LOGIN.2FA") == {a.pk}
    assert ids("?kind=troubleshooting") == {b.pk}
    assert ids("?status=draft") == {c.pk}
    assert ids("?status=published") == {a.pk, b.pk}
    assert ids("?tag=Identity") == {a.pk}
    assert ids("?owner=lee") == {a.pk, b.pk, c.pk}
    assert ids("?owner=nobody") == set()
    assert ids("?updated_since=2000-01-01") == {a.pk, b.pk, c.pk}
    assert ids("?updated_since=2999-01-01T00:00:00%2B00:00") == set()
    assert ids("?stale=true") == set()
    assert ids("?stale=false") == {a.pk, b.pk, c.pk}
    Article.objects.filter(pk=b.pk).update(review_interval_days=1, published_at="2020-01-01T00:00Z")
    assert ids("?stale=true") == {b.pk}
    item = client.get("/api/v1/articles/?kind=troubleshooting").json()["results"][0]
    assert set(item) == DETAIL_FIELDS - {"body", "body_html"}


def test_reader_list_shows_only_published_and_status_published(api, specialist, lead, make_article):
    a = make_article(title="Published")
    make_article(title="Draft", published=False)
    archived = make_article(title="Archived")
    services.archive_article(actor=lead, article=archived)
    edit(lead, a, title="Published (draft edit)")
    res = api(specialist).get("/api/v1/articles/").json()
    assert res["count"] == 1
    assert res["results"][0]["title"] == "Published"
    assert res["results"][0]["status"] == "published"
    assert api(specialist).get("/api/v1/articles/?status=draft").json()["count"] == 0


@pytest.mark.parametrize(
    "query, field",
    [
        ("?kind=recipe", "kind"),
        ("?status=deleted", "status"),
        ("?category=NOPE", "category"),
        ("?updated_since=yesterday", "updated_since"),
        ("?updated_since=2026-13-45", "updated_since"),
        ("?stale=maybe", "stale"),
        ("?page_size=abc", "page_size"),
    ],
)
def test_list_bad_filters_are_400_naming_the_field(api, lead, category_tree, query, field):
    res = api(lead).get("/api/v1/articles/" + query)
    assert res.status_code == 400
    assert field in res.json()


def test_list_pagination(api, lead, make_article):
    for i in range(5):
        make_article(title=f"Article {i}")
    client = api(lead)
    first = client.get("/api/v1/articles/?page_size=2").json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    assert "page=2" in first["next"]
    last = client.get("/api/v1/articles/?page_size=2&page=3").json()
    assert len(last["results"]) == 1 and last["next"] is None
    assert client.get("/api/v1/articles/?page=99").status_code == 404
    assert len(client.get("/api/v1/articles/?page_size=1000").json()["results"]) == 5


def test_list_query_count_is_the_same_for_1_and_50_articles(
    api, lead, make_article, django_assert_num_queries
):
    client = api(lead)

    def page_with_4_queries() -> int:
        # token + user, COUNT(*), the page (owner, published version and last reviewer joined),
        # the teams of the whole page (one prefetch)
        with django_assert_num_queries(4):
            res = client.get("/api/v1/articles/?page_size=100")
        assert res.status_code == 200
        return res.json()["count"]

    make_article(title="Only one", teams=["SG Creator Support"])
    assert page_with_4_queries() == 1
    for i in range(49):
        article = make_article(title=f"Filler {i}", published=i % 2 == 0, teams=["SG Creator Support"])
        if i % 3 == 0:
            services.mark_reviewed(actor=lead, article=article)
    assert page_with_4_queries() == 50


# ---------------------------------------------------------------------------------------------
# create and update


def test_lead_creates_an_article(api, lead, category_tree):
    res = api(lead).post(
        "/api/v1/articles/",
        {
            "title": "Handle an impersonation report",
            "kind": "sop",
            "summary": "Check identity, then remove.",
            "body": "## Steps\n\n- [ ] Verify\n",
            "categories": ["SAFETY"],
            "tags": ["Impersonation"],
            "teams": ["SG Creator Support"],
            "review_interval_days": 30,
            "change_note": "First version",
        },
        format="json",
    )
    assert res.status_code == 201, res.json()
    data = res.json()
    assert (data["version"], data["status"], data["published_version"]) == (1, "draft", None)
    assert (data["tags"], data["teams"], data["review_interval_days"]) == (
        ["impersonation"],
        ["SG Creator Support"],
        30,
    )
    article = Article.objects.get(pk=data["id"])
    assert article.history.get().history_change_reason == "First version"


@pytest.mark.parametrize("persona", ["specialist", "trainer"])
def test_non_editors_cannot_create(api, request, persona):
    res = api(request.getfixturevalue(persona)).post(
        "/api/v1/articles/", {"title": "x", "change_note": "n"}, format="json"
    )
    assert res.status_code == 403
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"title": "x"}, "change_note"),
        ({"change_note": "n"}, "title"),
        ({"title": "", "change_note": "n"}, "title"),
        ({"title": None, "change_note": "n"}, "title"),
        ({"title": 42, "change_note": "n"}, "title"),
        ({"title": "x", "change_note": "n", "kind": "recipe"}, "kind"),
        ({"title": "x", "change_note": "n", "categories": "ACCOUNT"}, "categories"),
        ({"title": "x", "change_note": "n", "categories": ["NOPE"]}, "categories"),
        ({"title": "x", "change_note": "n", "categories": [1, 2]}, "categories"),
        ({"title": "x", "change_note": "n", "tags": {"a": 1}}, "tags"),
        ({"title": "x", "change_note": "n", "tags": ["t" * 65]}, "tags"),
        ({"title": "x", "change_note": "n", "teams": ["No such team"]}, "teams"),
        ({"title": "x", "change_note": "n", "review_interval_days": 0}, "review_interval_days"),
        ({"title": "x", "change_note": "n", "review_interval_days": 10**30}, "review_interval_days"),
        ({"title": "x", "change_note": "n", "review_interval_days": "ninety"}, "review_interval_days"),
        ({"title": "x", "change_note": "n", "review_interval_days": True}, "review_interval_days"),
        ({"title": "x", "change_note": "n", "review_interval_days": 1.5}, "review_interval_days"),
        ({"title": "x" * 201, "change_note": "n"}, "title"),
        ({"title": "x", "change_note": "n", "body": "y" * 200_001}, "body"),
        ({"title": "x", "change_note": "n", "status": "published"}, "status"),
        ({"title": "x", "change_note": "n", "version": 7}, "version"),
        ({"title": "x", "change_note": "n", "published_version": 1}, "published_version"),
        ({"title": "x", "change_note": "n", "id": 5}, "id"),
    ],
)
def test_create_bad_input_is_400_and_saves_nothing(api, lead, category_tree, payload, field):
    res = api(lead).post("/api/v1/articles/", payload, format="json")
    assert res.status_code == 400, res.content
    assert field in res.json()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "raw, content_type, expected",
    [
        ("{not json", "application/json", 400),
        ("[1, 2, 3]", "application/json", 400),
        ('"a string"', "application/json", 400),
        ("null", "application/json", 400),
        ('{"title": NaN, "change_note": "n"}', "application/json", 400),
        ("\xff\xfe garbage", "application/json", 400),
        ("title=x&change_note=n", "application/x-www-form-urlencoded", 415),
        ("plain words", "text/plain", 415),
    ],
)
def test_non_json_bodies_never_500(api, lead, category_tree, raw, content_type, expected):
    res = api(lead).generic("POST", "/api/v1/articles/", raw.encode("utf-8", "surrogateescape"), content_type)
    assert res.status_code == expected
    assert not Article.objects.exists()


def test_body_over_one_mib_is_413(api, lead, make_article):
    article = make_article()
    big = json.dumps({"base_version": 1, "change_note": "n", "body": "x" * (1024 * 1024 + 10)})
    res = api(lead).generic("PATCH", detail_url(article), big, "application/json")
    assert res.status_code == 413
    assert "detail" in res.json()
    assert Article.objects.get(pk=article.pk).version == 1


def test_patch_makes_a_new_version(api, lead, make_article):
    article = make_article()
    res = api(lead).patch(
        detail_url(article),
        {"base_version": 1, "change_note": "Clarify step 2", "body": "New steps", "tags": ["2fa", "id"]},
        format="json",
    )
    assert res.status_code == 200, res.json()
    data = res.json()
    assert (data["version"], data["latest_version"], data["published_version"]) == (2, 2, 1)
    assert (data["body"], data["tags"], data["status"]) == ("New steps", ["2fa", "id"], "draft")
    record = Article.objects.get(pk=article.pk).history.get(version=2)
    assert (record.history_change_reason, record.history_user.username) == ("Clarify step 2", "lee")


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"change_note": "n", "title": "x"}, "base_version"),
        ({"base_version": 1, "title": "x"}, "change_note"),
        ({"base_version": 1, "change_note": "", "title": "x"}, "change_note"),
        ({"base_version": "one", "change_note": "n"}, "base_version"),
        ({"base_version": None, "change_note": "n"}, "base_version"),
        ({"base_version": 10**40, "change_note": "n"}, "base_version"),
        ({"base_version": 1, "change_note": "n", "title": None}, "title"),
        ({"base_version": 1, "change_note": "n", "categories": None}, "categories"),
        ({"base_version": 1, "change_note": "n", "status": "published"}, "status"),
        ({"base_version": 1, "change_note": "n", "version": 9}, "version"),
        ({"base_version": 1, "change_note": "n", "latest_version": 9}, "latest_version"),
        ({"base_version": 1, "change_note": "n", "slug": "hijack"}, "slug"),
    ],
)
def test_patch_bad_input_is_400_and_saves_nothing(api, lead, make_article, payload, field):
    article = make_article()
    res = api(lead).patch(detail_url(article), payload, format="json")
    assert res.status_code == 400, res.content
    assert field in res.json()
    fresh = Article.objects.get(pk=article.pk)
    assert (fresh.version, fresh.status, fresh.slug) == (1, Status.PUBLISHED, article.slug)


def test_patch_with_stale_base_version_is_409_and_saves_nothing(api, lead, other_lead, make_article):
    article = make_article()
    edit(other_lead, article, body="Their edit")
    res = api(lead).patch(
        detail_url(article), {"base_version": 1, "change_note": "Mine", "body": "My edit"}, format="json"
    )
    assert res.status_code == 409
    data = res.json()
    assert set(data) == {"detail", "base_version", "current_version", "diff_url"}
    assert (data["base_version"], data["current_version"]) == (1, 2)
    assert data["diff_url"] == f"/articles/{article.slug}/diff/?from=1&to=2"
    fresh = Article.objects.get(pk=article.pk)
    assert fresh.version == 2
    assert api(lead).get(detail_url(article) + "?version=latest").json()["body"] == "Their edit"


def test_owner_is_changed_by_admins_only(api, lead, admin_user, other_lead, specialist, make_article):
    article = make_article()
    res = api(lead).patch(
        detail_url(article), {"base_version": 1, "change_note": "n", "owner": "lou"}, format="json"
    )
    assert res.status_code == 403
    assert Article.objects.get(pk=article.pk).owner == lead
    res = api(admin_user).patch(
        detail_url(article), {"base_version": 1, "change_note": "n", "owner": "sam"}, format="json"
    )
    assert res.status_code == 400 and "owner" in res.json()  # a specialist cannot maintain articles
    res = api(admin_user).patch(
        detail_url(article), {"base_version": 1, "change_note": "n", "owner": "ghost"}, format="json"
    )
    assert res.status_code == 400 and "owner" in res.json()
    res = api(admin_user).patch(
        detail_url(article), {"base_version": 1, "change_note": "Handover", "owner": "lou"}, format="json"
    )
    assert res.status_code == 200
    assert (res.json()["owner"], res.json()["version"]) == ("lou", 1)  # settings only: no new version


@pytest.mark.parametrize("persona", ["specialist", "trainer"])
def test_non_editors_get_403_on_readable_articles(api, request, persona, make_article):
    article = make_article()
    client = api(request.getfixturevalue(persona))
    res = client.patch(
        detail_url(article), {"base_version": 1, "change_note": "n", "title": "x"}, format="json"
    )
    assert res.status_code == 403
    for name in ("submit", "approve", "publish", "revert", "archive", "restore", "reviewed"):
        assert client.post(detail_url(article, f"{name}/"), {}, format="json").status_code == 403, name
    assert Article.objects.get(pk=article.pk).title == "Reset a creator's 2FA"


def test_patch_on_archived_article_is_409(api, lead, make_article):
    article = make_article()
    services.archive_article(actor=lead, article=article)
    res = api(lead).patch(
        detail_url(article), {"base_version": 1, "change_note": "n", "title": "x"}, format="json"
    )
    assert res.status_code == 409


# ---------------------------------------------------------------------------------------------
# workflow actions


def test_submit_approve_publish_flow(api, lead, specialist, make_article):
    article = make_article(title="v1")
    edit(lead, article, title="v2")
    client = api(lead)
    res = client.post(detail_url(article, "submit/"), {"note": "please check"}, format="json")
    assert res.status_code == 200 and res.json()["status"] == "in_review"
    assert client.post(detail_url(article, "submit/"), {}, format="json").status_code == 409
    res = client.post(detail_url(article, "approve/"), {"note": "ok"}, format="json")
    assert res.status_code == 200
    res = client.post(detail_url(article, "publish/"), {"material": True, "note": "new rule"}, format="json")
    assert res.status_code == 200, res.json()
    assert (res.json()["status"], res.json()["published_version"]) == ("published", 2)
    assert api(specialist).get(detail_url(article)).json()["title"] == "v2"
    versions = client.get(detail_url(article, "versions/")).json()
    assert versions[0] == {
        "version": 2,
        "author": "lee",
        "created_at": versions[0]["created_at"],
        "change_note": "edit",
        "published": True,
        "material": True,
    }


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "material"),
        ({"material": "yes"}, "material"),
        ({"material": None}, "material"),
        ({"material": 1}, "material"),
        ({"material": False, "version": "two"}, "version"),
        ({"material": False, "version": 0}, "version"),
        ({"material": False, "version": 99}, "version"),
        ({"material": False, "version": 10**30}, "version"),
        ({"material": False, "note": ["x"]}, "note"),
    ],
)
def test_publish_bad_input_is_400(api, lead, make_article, payload, field):
    article = make_article(published=False)
    res = api(lead).post(detail_url(article, "publish/"), payload, format="json")
    assert res.status_code == 400, res.content
    assert field in res.json()
    assert Article.objects.get(pk=article.pk).published_version is None


def test_publish_an_older_version_by_number(api, lead, specialist, make_article):
    article = make_article(title="v1", published=False)
    edit(lead, article, title="v2")
    res = api(lead).post(detail_url(article, "publish/"), {"version": 1, "material": False}, format="json")
    assert res.status_code == 200
    assert api(specialist).get(detail_url(article)).json()["title"] == "v1"
    res = api(lead).post(detail_url(article, "publish/"), {"version": 1, "material": False}, format="json")
    assert res.status_code == 409


@override_settings(KB_REQUIRE_SECOND_APPROVAL=True)
def test_second_approval_required_is_409_with_reason(api, lead, other_lead, make_article):
    article = make_article(published=False)
    res = api(lead).post(detail_url(article, "publish/"), {"material": False}, format="json")
    assert res.status_code == 409 and "approval" in res.json()["detail"]
    api(lead).post(detail_url(article, "submit/"), {}, format="json")
    assert api(lead).post(detail_url(article, "approve/"), {}, format="json").status_code == 409
    assert api(other_lead).post(detail_url(article, "approve/"), {}, format="json").status_code == 200
    assert (
        api(lead).post(detail_url(article, "publish/"), {"material": False}, format="json").status_code == 200
    )


def test_revert_creates_a_new_version_with_old_content(api, lead, make_article):
    article = make_article(title="Original", body="original body")
    edit(lead, article, title="Changed", body="changed body")
    res = api(lead).post(detail_url(article, "revert/"), {"version": 1, "change_note": "Back"}, format="json")
    assert res.status_code == 200, res.json()
    data = res.json()
    assert (data["version"], data["title"], data["body"]) == (3, "Original", "original body")
    assert Article.objects.get(pk=article.pk).history.get(version=3).history_change_reason == "Back"
    # reverting to what is already the latest content changes nothing
    assert api(lead).post(detail_url(article, "revert/"), {"version": 3}, format="json").status_code == 409
    for bad in ({}, {"version": "x"}, {"version": 0}, {"version": 42}):
        res = api(lead).post(detail_url(article, "revert/"), bad, format="json")
        assert res.status_code == 400 and "version" in res.json(), bad
    assert Article.objects.get(pk=article.pk).version == 3


def test_archive_restore_and_reviewed(api, lead, specialist, make_article):
    article = make_article()
    client = api(lead)
    assert client.post(detail_url(article, "archive/"), {"note": "obsolete"}, format="json").json()[
        "status"
    ] == ("archived")
    assert api(specialist).get(detail_url(article)).status_code == 404
    assert client.post(detail_url(article, "archive/"), {}, format="json").status_code == 409
    assert client.post(detail_url(article, "restore/"), {}, format="json").json()["status"] == "published"
    assert client.post(detail_url(article, "restore/"), {}, format="json").status_code == 409
    res = client.post(detail_url(article, "reviewed/"), {}, format="json")
    assert res.status_code == 200
    assert res.json()["last_reviewed_by"] == "lee" and res.json()["last_reviewed_at"]
    assert api(specialist).get(detail_url(article)).status_code == 200


def test_actions_ignore_no_body_and_reject_junk(api, lead, make_article):
    article = make_article()
    res = api(lead).post(detail_url(article, "reviewed/"))
    assert res.status_code == 200
    res = api(lead).post(detail_url(article, "reviewed/"), {"note": 5}, format="json")
    assert res.status_code == 400 and "note" in res.json()


# ---------------------------------------------------------------------------------------------
# versions and diff


def test_versions_for_readers_are_only_published_ones(api, lead, specialist, make_article):
    article = make_article(title="v1")
    edit(lead, article, title="v2")
    edit(lead, Article.objects.get(pk=article.pk), title="v3")
    lead_rows = api(lead).get(detail_url(article, "versions/")).json()
    assert [r["version"] for r in lead_rows] == [3, 2, 1]
    assert [r["published"] for r in lead_rows] == [False, False, True]
    assert lead_rows[0]["material"] is None
    reader_rows = api(specialist).get(detail_url(article, "versions/")).json()
    assert [r["version"] for r in reader_rows] == [1]
    assert api(specialist).get(detail_url(article, "versions/2/")).status_code == 404
    one = api(specialist).get(detail_url(article, "versions/1/")).json()
    assert set(one) == {
        "version",
        "author",
        "created_at",
        "change_note",
        "title",
        "summary",
        "body",
        "body_html",
        "categories",
        "tags",
    }
    assert (one["title"], one["author"], one["change_note"]) == ("v1", "lee", "First draft")
    assert api(lead).get(detail_url(article, "versions/3/")).json()["title"] == "v3"
    for bad in ("0", "4", "abc", "99999999999999999999", "²", "١"):
        assert api(lead).get(detail_url(article, f"versions/{bad}/")).status_code == 404, bad


def test_diff_shape_and_word_level_ops(api, lead, specialist, make_article):
    article = make_article(title="Reset two factor", body="Verify the identity first.")
    edit(lead, article, body="Verify the creator identity first.", categories=["PAYOUTS"])
    res = api(lead).get(detail_url(article, "diff/?from=1&to=2"))
    assert res.status_code == 200
    data = res.json()
    assert (data["from"], data["to"]) == (1, 2)
    fields = {c["field"]: c["ops"] for c in data["changes"]}
    assert set(fields) == {"title", "summary", "body", "categories", "tags"}
    assert all(set(c) == {"field", "ops"} for c in data["changes"])
    assert ["insert", "creator "] in fields["body"] or ["insert", " creator"] in fields["body"]
    assert ["delete", "ACCOUNT.LOGIN.2FA"] in fields["categories"]
    assert fields["title"] == [["equal", "Reset two factor"]]
    # a reader may not diff against an unpublished version
    assert api(specialist).get(detail_url(article, "diff/?from=1&to=2")).status_code == 404
    assert api(specialist).get(detail_url(article, "diff/?from=1&to=1")).status_code == 200


@pytest.mark.parametrize(
    "query, fields",
    [
        ("", {"from", "to"}),
        ("?from=1", {"to"}),
        ("?to=1", {"from"}),
        ("?from=a&to=1", {"from"}),
        ("?from=1&to=-2", {"to"}),
        ("?from=1.0&to=1", {"from"}),
        ("?from=&to=1", {"from"}),
        ("?from=²&to=١", {"from", "to"}),
    ],
)
def test_diff_bad_parameters_are_400(api, lead, make_article, query, fields):
    article = make_article()
    res = api(lead).get(detail_url(article, "diff/" + query))
    assert res.status_code == 400
    assert set(res.json()) == fields


def test_diff_of_a_missing_version_is_404(api, lead, make_article):
    article = make_article()
    assert api(lead).get(detail_url(article, "diff/?from=1&to=5")).status_code == 404
    assert api(lead).get(detail_url(article, "diff/?from=99999999999&to=1")).status_code == 400


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/api/v1/articles/?owner=%00", 400),
        ("/api/v1/articles/?tag=a%00b", 400),
        ("/api/v1/articles/?category=A%00", 400),
        ("/api/v1/articles/?kind=%00", 400),
        ("/api/v1/articles/?owner=" + "x" * 300, 400),
        ("/api/v1/articles/?updated_since=0001-01-01", 200),
        ("/api/v1/articles/?updated_since=9999-12-31T23:59:59", 200),
        ("/api/v1/articles/?updated_since=2026-01-01T00:00:00%2B23:59", 200),
        ("/api/v1/articles/?updated_since=0001-01-01T00:00:00%2B05:00", 400),
        ("/api/v1/articles/?page=%00", 404),
        ("/api/v1/articles/?page_size=-5", 400),
        ("/api/v1/articles/?page_size=99999999999999999999", 200),
        ("/api/v1/categories/%00/", 404),
        ("/api/v1/categories/A%00B/", 404),
        ("/api/v1/categories/" + "A" * 500 + "/", 404),
        ("/api/v1/articles/{id}/?version=%00", 400),
        ("/api/v1/articles/{id}/versions/%00/", 404),
        ("/api/v1/articles/{id}/diff/?from=%00&to=1", 400),
    ],
)
def test_hostile_query_values_never_500(api, lead, make_article, url, expected):
    """Values PostgreSQL refuses (NUL, offsets beyond ±15:59) are answered before the database."""
    article = make_article()
    res = api(lead).get(url.replace("{id}", str(article.pk)))
    assert res.status_code == expected


def test_nul_characters_in_payloads_are_400(api, lead, make_article, category_tree):
    article = make_article()
    client = api(lead)
    for payload in (
        {"base_version": 1, "change_note": "n", "title": "t\x00"},
        {"base_version": 1, "change_note": "n", "tags": ["a\x00"]},
        {"base_version": 1, "change_note": "n", "categories": ["A\x00"]},
        {"base_version": 1, "change_note": "n", "teams": ["T\x00"]},
    ):
        assert client.patch(detail_url(article), payload, format="json").status_code == 400, payload
    res = client.post("/api/v1/categories/", {"code": "NEW", "name": "x", "parent": "A\x00"}, format="json")
    assert res.status_code == 400
    assert Article.objects.get(pk=article.pk).version == 1


def test_lead_may_write_for_another_team_and_then_loses_sight_of_it(api, lead, outsider, category_tree):
    res = api(lead).post(
        "/api/v1/articles/",
        {"title": "Jakarta escalation", "teams": ["Jakarta Live Safety"], "change_note": "For Jakarta"},
        format="json",
    )
    assert res.status_code == 201
    assert res.json()["teams"] == ["Jakarta Live Safety"]
    article_id = res.json()["id"]
    client = api(lead)
    assert client.get(f"/api/v1/articles/{article_id}/").status_code == 404
    # not a member: the article does not exist for them, for writes too (404, not 403)
    res = client.patch(
        f"/api/v1/articles/{article_id}/",
        {"base_version": 1, "change_note": "n", "title": "x"},
        format="json",
    )
    assert res.status_code == 404
    res = client.post(f"/api/v1/articles/{article_id}/publish/", {"material": False}, format="json")
    assert res.status_code == 404
    assert Article.objects.get(pk=article_id).published_version is None
    services.publish_article(actor=lead, article=Article.objects.get(pk=article_id), material=False)
    assert api(outsider).get(f"/api/v1/articles/{article_id}/").status_code == 200


def test_options_and_head_do_not_fail(api, lead, make_article):
    article = make_article()
    client = api(lead)
    assert client.options("/api/v1/articles/").status_code == 200
    assert client.options(detail_url(article)).status_code == 200
    assert client.head(detail_url(article)).status_code == 200
    assert client.options("/api/v1/categories/ACCOUNT/").status_code == 200


def test_stale_filter_agrees_with_the_stale_selector(api, lead, make_article):
    from datetime import timedelta

    from django.utils import timezone

    from kb.articles.selectors import stale_articles

    now = timezone.now()
    cases = [
        (now - timedelta(days=100), None, 90),  # published 100 days ago, 90-day interval: stale
        (now - timedelta(days=10), None, 90),  # fresh
        (now - timedelta(days=400), now - timedelta(days=5), 30),  # reviewed 5 days ago: fresh
        (now - timedelta(days=400), now - timedelta(days=31), 30),  # review overdue: stale
    ]
    for i, (published_at, reviewed_at, days) in enumerate(cases):
        article = make_article(title=f"Case {i}")
        Article.objects.filter(pk=article.pk).update(
            published_at=published_at, last_reviewed_at=reviewed_at, review_interval_days=days
        )
    make_article(title="Never published", published=False)
    res = api(lead).get("/api/v1/articles/?stale=true").json()
    expected = {a.pk for a in stale_articles(lead)}
    assert {r["id"] for r in res["results"]} == expected
    assert {r["title"] for r in res["results"]} == {"Case 0", "Case 3"}
    assert all(r["is_stale"] for r in res["results"])


HOSTILE_VALUES = [
    None,
    True,
    1.5,
    10**40,
    -1,
    "",
    "text",
    "\x00",
    [],
    {},
    ["x"],
    [None],
    [{"a": 1}],
    "x" * 5000,
]


def test_every_field_of_every_write_survives_hostile_values(api, lead, make_article):
    """Type confusion on each write endpoint, field by field: a 4xx (or a 2xx that stands), never a 500."""
    from django.db import transaction

    article = make_article(published=False)
    client = api(lead)
    base = {"base_version": 1, "change_note": "n"}
    endpoints = [
        (
            "post",
            "/api/v1/categories/",
            {"code": "NEW", "name": "New"},
            ["code", "name", "description", "parent"],
        ),
        ("patch", "/api/v1/categories/PAYOUTS/", {}, ["code", "name", "description", "parent"]),
        (
            "post",
            "/api/v1/articles/",
            {"title": "t", "change_note": "n"},
            [
                "title",
                "kind",
                "summary",
                "body",
                "categories",
                "tags",
                "teams",
                "review_interval_days",
                "owner",
                "change_note",
            ],
        ),
        (
            "patch",
            detail_url(article),
            base,
            [
                "title",
                "kind",
                "summary",
                "body",
                "categories",
                "tags",
                "teams",
                "review_interval_days",
                "owner",
                "change_note",
                "base_version",
            ],
        ),
        ("post", detail_url(article, "publish/"), {"material": False}, ["version", "material", "note"]),
        ("post", detail_url(article, "revert/"), {"version": 1}, ["version", "change_note"]),
        ("post", detail_url(article, "submit/"), {}, ["note"]),
        ("post", detail_url(article, "reviewed/"), {}, ["note"]),
    ]
    seen = set()
    for method, url, valid, fields in endpoints:
        for field in fields:
            for value in HOSTILE_VALUES:
                with transaction.atomic():
                    res = getattr(client, method)(url, {**valid, field: value}, format="json")
                    transaction.set_rollback(True)
                assert res.status_code < 500, (method, url, field, value, res.content[:200])
                seen.add(res.status_code)
    assert 400 in seen


def test_shared_handler_turns_database_refusals_into_400_and_domain_errors_into_their_status():
    from django.db import DataError

    from kb.lib.api import exception_handler
    from kb.lib.errors import InvalidInput, VersionConflict

    res = exception_handler(DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes"), {})
    assert res is not None and res.status_code == 400 and "NUL" not in str(res.data)
    res = exception_handler(InvalidInput("Must be text.", field="title"), {})
    assert (res.status_code, res.data) == (400, {"title": ["Must be text."]})
    res = exception_handler(VersionConflict(base_version=1, current_version=2, diff_url="/d"), {})
    assert res.status_code == 409
    assert (res.data["base_version"], res.data["current_version"], res.data["diff_url"]) == (1, 2, "/d")
