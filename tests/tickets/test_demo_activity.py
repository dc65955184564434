"""The demo activity: a few hundred tickets through the services, repeatable, pinned to real versions."""

from __future__ import annotations

import random

from kb.articles.models import Publication
from kb.demo.activity import load_activity
from kb.demo.context import DemoContext
from kb.tickets.models import Flag, Resolution, Ticket


def test_demo_activity_fills_tickets_resolutions_feedback_and_flags(
    lead, specialist, outsider, make_article, category_tree
):
    articles = {
        "payout-delay": make_article("Payout delay", categories=["PAYOUTS"]),
        "2fa-reset": make_article("Reset 2FA", categories=["ACCOUNT.LOGIN.2FA"]),
        "minors": make_article("Minor safety", categories=["SAFETY.MINORS"], teams=["SG Creator Support"]),
    }
    ctx = DemoContext(
        users={"lead": lead, "specialist": specialist, "oz": outsider},
        categories=category_tree,
        articles=articles,
        rng=random.Random(7),
    )
    load_activity(ctx)
    assert Ticket.objects.count() >= 300
    assert Resolution.objects.count() >= 100
    assert Flag.objects.filter(state="open").exists()
    # every pinned version was published, and nobody linked an article they cannot read
    published = set(Publication.objects.values_list("article_id", "version"))
    assert set(Resolution.objects.values_list("article_id", "version")) <= published
    assert not Resolution.objects.filter(user=outsider, article=articles["minors"]).exists()
    # the misleading article collects more "did not help" than the others
    bad = Resolution.objects.filter(article=articles["payout-delay"])
    good = Resolution.objects.filter(article=articles["2fa-reset"])
    assert bad.filter(outcome="not_helpful").count() / bad.count() > good.filter(
        outcome="not_helpful"
    ).count() / max(good.count(), 1)
