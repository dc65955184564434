"""visible_article() (compiled once) answers exactly what visible_articles() answers, per role and state."""

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
