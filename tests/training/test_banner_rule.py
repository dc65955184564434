"""The reading banner asks the visibility rule itself, for the real user (issue 12, item 2).

A compiled statement built once with a stand-in user froze whatever the rule said about that stand-in;
a change to the rule (or a rule reading more of the user than its id) would not reach the banner.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kb.articles import access
from kb.training import selectors, services

pytestmark = pytest.mark.django_db


def test_banner_counts_follow_a_changed_rule_for_the_real_user(
    monkeypatch, trainer, specialist, make_article, today
):
    article = make_article("Payout holds")
    services.create_assignment(
        actor=trainer, article=article.pk, user=specialist.username, due=today + dt.timedelta(days=3)
    )
    assert selectors.attention_counts(specialist)["pending"] == 1  # warms any per-process cache

    real_rule = access.readable_published_articles
    asked: list[object] = []

    def stricter_rule(user):
        asked.append(user)
        qs = real_rule(user)
        # A rule that reads more of the user than the id: a stand-in user would not match it.
        return qs.exclude(pk=article.pk) if getattr(user, "username", "") == specialist.username else qs

    monkeypatch.setattr(access, "readable_published_articles", stricter_rule)
    assert selectors.attention_counts(specialist) == {"pending": 0, "overdue": 0, "reack": 0}
    assert any(getattr(u, "username", None) == specialist.username for u in asked)


def test_banner_counts_match_my_reading_after_a_material_change(
    trainer, lead, specialist, make_article, republish, today
):
    """The cached banner figure never outlives the facts it counts (acknowledgment, publication)."""
    article = make_article("Identity checks")
    services.create_assignment(actor=trainer, article=article.pk, user=specialist.username, due=today)
    later = today + dt.timedelta(days=1)
    assert selectors.attention_counts(specialist, today=later) == {"pending": 1, "overdue": 1, "reack": 0}
    services.acknowledge_article(user=specialist, article_id=article.pk, version=1)
    assert selectors.attention_counts(specialist) == {"pending": 0, "overdue": 0, "reack": 0}
    republish(article, material=True)
    assert selectors.attention_counts(specialist) == {"pending": 0, "overdue": 0, "reack": 1}
