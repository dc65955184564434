"""The visibility rule is built once per user and request and never outlives it (docs/access.md)."""

from __future__ import annotations

from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from accounts.models import Team
from kb.articles import access


def test_the_rule_is_built_once_per_user_within_a_request(specialist, make_article, monkeypatch):
    from kb.articles import models

    built = []
    real = models.TeamRule

    def spy(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    make_article("Restricted", teams=["SG Creator Support"])
    monkeypatch.setattr(models, "TeamRule", spy)
    _in_request()
    try:
        for _ in range(3):
            list(access.readable_published_articles(specialist))
    finally:
        _end_request()
    assert len(built) == 1  # one build for the request
    list(access.readable_published_articles(specialist))
    assert len(built) == 2  # outside a request: built afresh


def test_a_membership_change_is_seen_on_the_next_request(web, specialist, make_article):
    article = make_article("Restricted SOP", teams=["SG Creator Support"])
    client = web(specialist)
    assert client.get(article.get_absolute_url()).status_code == 200
    specialist.teams.remove(Team.objects.get(name="SG Creator Support"))
    assert client.get(article.get_absolute_url()).status_code == 404
    specialist.teams.add(Team.objects.get(name="SG Creator Support"))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_outside_a_request_nothing_is_remembered(specialist, make_article):
    """Workers keep users for hours (webhooks ``as_user``): they see a change at once."""
    article = make_article("Restricted SOP", teams=["SG Creator Support"])
    assert access.visible_articles(specialist).filter(pk=article.pk).exists()
    specialist.teams.clear()
    assert not access.visible_articles(specialist).filter(pk=article.pk).exists()


def _in_request():
    request_started.disconnect(close_old_connections)
    request_started.send(sender=None)
    request_started.connect(close_old_connections)


def _end_request():
    request_finished.disconnect(close_old_connections)
    request_finished.send(sender=None)
    request_finished.connect(close_old_connections)


def test_the_rule_reused_within_a_request_answers_as_a_fresh_one(specialist, lead, outsider, make_article):
    from kb.articles.models import Article

    public = make_article("Public SOP")
    own = make_article("Own team SOP", teams=["SG Creator Support"])
    other = make_article("Other team SOP", teams=["Jakarta Live Safety"])
    draft = make_article("Draft SOP", published=False)
    fresh = {
        u.pk: (
            set(access.visible_articles(u).values_list("pk", flat=True)),
            set(access.readable_published_articles(u).values_list("pk", flat=True)),
        )
        for u in (specialist, lead)
    }
    _in_request()
    try:
        for _ in range(2):
            for u in (specialist, lead):
                assert set(access.visible_articles(u).values_list("pk", flat=True)) == fresh[u.pk][0]
                assert (
                    set(access.readable_published_articles(u).values_list("pk", flat=True)) == fresh[u.pk][1]
                )
        # a filtered base is never served the remembered plain one
        assert list(Article.objects.filter(pk=public.pk).visible_to(specialist)) == [public]
        assert list(Article.objects.filter(pk=other.pk).visible_to(specialist)) == []
        assert access.visible_articles(specialist).filter(pk=own.pk).exists()
        assert not access.visible_articles(specialist).filter(pk=draft.pk).exists()
        assert access.visible_articles(lead).filter(pk=draft.pk).exists()
    finally:
        _end_request()
