"""The access layer answers with the one rule (Article.objects.visible_to); nothing freezes it."""

from __future__ import annotations

import pytest
from django.http import Http404

from kb.articles import services
from kb.articles.access import get_visible_article_or_404, visible_article, visible_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def states(make_article, lead):
    archived = make_article("Old payout rule")
    services.archive_article(actor=lead, article=archived)
    return {
        "published": make_article("Reset 2FA"),
        "draft": make_article("Not yet", published=False),
        "restricted": make_article("Team only", teams=["SG Creator Support"]),
        "archived": archived,
    }


def test_compiled_lookup_agrees_with_the_rule_for_every_role_and_state(
    states, specialist, outsider, lead, trainer, admin_user
):
    for user in (specialist, outsider, lead, trainer, admin_user):
        expected = set(visible_articles(user).values_list("pk", flat=True))
        for article in states.values():
            by_pk = list(visible_article(user, pk=article.pk).values_list("pk", flat=True))
            by_slug = list(visible_article(user, slug=article.slug).values_list("pk", flat=True))
            want = [article.pk] if article.pk in expected else []
            assert by_pk == want == by_slug, (user.username, article.title)


def test_hidden_missing_and_malformed_lookups_are_all_404(states, outsider):
    for lookup in (
        {"slug": states["restricted"].slug},
        {"pk": states["draft"].pk},
        {"slug": "nope"},
        {"pk": 2**70},
        {"slug": "bad\x00slug"},
        {"pk": "x"},
    ):
        with pytest.raises(Http404):
            get_visible_article_or_404(outsider, **lookup)
    assert get_visible_article_or_404(outsider, slug=states["published"].slug).pk == states["published"].pk


def test_nobody_signed_in_sees_nothing(states):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_article(AnonymousUser(), pk=states["published"].pk).exists()
    assert not visible_article(None, slug=states["published"].slug).exists()


def test_the_queryset_method_is_the_rule_every_helper_answers_with(
    states, specialist, outsider, lead, trainer, admin_user
):
    from kb.articles.access import editable_articles, readable_published_articles
    from kb.articles.models import Article

    for user in (specialist, outsider, lead, trainer, admin_user):
        rule = set(Article.objects.visible_to(user).values_list("pk", flat=True))
        published = set(Article.objects.visible_to(user, published_only=True).values_list("pk", flat=True))
        assert set(visible_articles(user).values_list("pk", flat=True)) == rule, user.username
        assert set(readable_published_articles(user).values_list("pk", flat=True)) == published
        editable = set(editable_articles(user).values_list("pk", flat=True))
        assert editable == (rule if user.is_editor else set()), user.username


def test_a_change_to_the_rule_is_followed_by_every_lookup_at_once(states, specialist, monkeypatch):
    """Nothing freezes the rule: after it changes, the next lookup answers with the new one."""
    from kb.articles.access import readable_published_articles
    from kb.articles.models import ArticleQuerySet
    from kb.search.selectors import readable_hits

    published = states["published"]
    assert get_visible_article_or_404(specialist, pk=published.pk).pk == published.pk
    assert get_visible_article_or_404(specialist, slug=published.slug).pk == published.pk
    assert list(readable_hits(specialist, [published.pk])) == [published.pk]

    monkeypatch.setattr(ArticleQuerySet, "visible_to", lambda self, user, published_only=False: self.none())
    for lookup in ({"pk": published.pk}, {"slug": published.slug}):
        with pytest.raises(Http404):
            get_visible_article_or_404(specialist, **lookup)
    assert not readable_published_articles(specialist).exists()
    assert readable_hits(specialist, [published.pk]) == {}


def test_access_path_modules_use_no_compiled_statements():
    """The access path reads through the ORM rule; kb.lib.statements may not decide who sees what."""
    import importlib

    for name in (
        "kb.articles.access",
        "kb.search.selectors",
        "kb.search.documents",
        "accounts.authentication",
    ):
        module = importlib.import_module(name)
        assert "Statement" not in vars(module), name


def test_who_edits_is_decided_by_the_access_module_alone(make_article, lead, api, monkeypatch):
    """Services, the API and the navigation all ask kb.articles.access; nobody restates the role rule."""
    from kb.articles import access, services
    from kb.articles.apps import _is_editor
    from kb.lib.errors import NotAllowed

    article = make_article("Reset 2FA")
    assert _is_editor(lead)
    monkeypatch.setattr(access, "is_editor", lambda user: False)
    with pytest.raises(NotAllowed):
        services.create_article(actor=lead, title="x", change_note="n")
    with pytest.raises(NotAllowed):
        services.create_category(actor=lead, code="NEW", name="New")
    assert not _is_editor(lead)
    res = api(lead).patch(
        f"/api/v1/articles/{article.pk}/",
        {"title": "y", "base_version": 1, "change_note": "n"},
        format="json",
    )
    assert res.status_code == 403
