"""Demo tickets, resolutions, feedback and flags over the last 60 days (issue 4, point 8).

Everything is created through ``kb.tickets.services`` (so visibility and version rules hold: a
specialist only links articles they can read, and the version pinned is the one published at that
moment); only timestamps are moved into the past afterwards (DEMO ONLY), as the article loader does.

The story the numbers tell a lead opening the demo:
- most categories are well covered and their SOPs resolve most tickets;
- ``payout-delay`` misleads: many "did not help" links, thumbs-down votes and open flags;
- a few busy categories have no SOP at all (coverage gaps), e.g. the busiest leaf without articles;
- older tickets point at older versions of SOPs that changed since, so the ticket page shows a diff.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction

from accounts.models import User
from kb.articles.access import readable_published_articles
from kb.articles.models import Article, Publication, Status
from kb.demo.context import DemoContext
from kb.tickets import services
from kb.tickets.models import Feedback, Flag, Resolution

DAYS = 60
TICKETS = 320
MISLEADING = ("payout-delay",)
GAP_CATEGORIES = ("LIVE.MODERATION", "PAYOUTS.CURRENCY", "CONTENT.REMOVAL")  # busy, and no SOP
SUBJECTS = (
    "Customer writes in: {name}",
    "{name} — second contact",
    "Creator escalated: {name}",
    "{name}, urgent",
    "Follow-up on {name}",
    "{name} (in-app report)",
)
FLAG_COMMENTS = {
    "outdated": "The payout calendar changed last month; step 3 still shows the old cut-off date.",
    "incorrect": "Finance says holds over 14 days go to the payments queue, not to Tier 2.",
    "unclear": "Which evidence counts as 'sufficient'? Two of us read it differently.",
    "missing_step": "Nothing about checking for an open chargeback before promising a date.",
}


def _published(ctx: DemoContext) -> list[Article]:
    ids = [a.pk for a in ctx.articles.values()]
    return list(
        Article.objects.filter(pk__in=ids, published_version__isnull=False)
        .exclude(status=Status.ARCHIVED)
        .order_by("pk")
    )


def _version_at(pubs: list[tuple[datetime, int]], moment: datetime) -> tuple[int, datetime]:
    """The version readers saw at ``moment`` (the first one if the article came later)."""
    current = pubs[0]
    for created, version in pubs:
        if created <= moment:
            current = (created, version)
    return current[1], current[0]


@transaction.atomic
def load_activity(ctx: DemoContext) -> None:
    """A few hundred tickets and resolutions, some feedback and open flags, repeatable via ``ctx.rng``."""
    rng = ctx.rng
    now = ctx.now
    articles = _published(ctx)
    if not articles or not ctx.categories:
        return
    key_of = {a.pk: k for k, a in ctx.articles.items()}
    people = [u for u in ctx.users.values() if u.role in ("specialist", "lead")]
    people.sort(key=lambda u: u.username)
    readable_by: dict[int, set[int]] = {
        u.pk: set(readable_published_articles(u).values_list("pk", flat=True)) for u in people
    }
    pubs: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for art_id, created, version in (
        Publication.objects.filter(article__in=articles)
        .order_by("created_at")
        .values_list("article_id", "created_at", "version")
    ):
        pubs[art_id].append((created, version))
    by_cat: dict[str, list[Article]] = defaultdict(list)
    for art_id, code in Article.categories.through.objects.filter(article__in=articles).values_list(
        "article_id", "category__code"
    ):
        by_cat[code].append(next(a for a in articles if a.pk == art_id))

    # Ticket volume per category: covered categories by how many SOPs they have, plus a few busy
    # categories with no SOP at all (the coverage gaps a lead should notice).
    codes = sorted(ctx.categories)
    uncovered = [c for c in codes if c not in by_cat and "." in c]
    preferred = [c for c in GAP_CATEGORIES if c in uncovered]
    uncovered = preferred + [c for c in uncovered if c not in preferred]
    weights: dict[str, float] = {}
    for code in codes:
        if code in by_cat:
            weights[code] = 2.0 + 1.5 * len(by_cat[code]) + rng.random() * 3
        elif code in uncovered[:3]:
            weights[code] = 16.0 - 4 * uncovered.index(code)
        else:
            weights[code] = 0.6
    parent_of = {c.code: (c.code.rpartition(".")[0] or None) for c in ctx.categories.values()}

    def candidates(code: str) -> list[Article]:
        out = list(by_cat.get(code, []))
        parent = parent_of.get(code)
        if not out and parent:
            out = list(by_cat.get(parent, []))
        return out

    def outcome_for(article: Article) -> str:
        bad = key_of.get(article.pk) in MISLEADING
        roll = rng.random()
        if bad:
            return (
                "not_helpful"
                if roll < 0.45
                else "escalated"
                if roll < 0.65
                else "helpful"
                if roll < 0.85
                else "resolved"
            )
        return (
            "resolved"
            if roll < 0.58
            else "helpful"
            if roll < 0.82
            else "not_helpful"
            if roll < 0.9
            else "escalated"
        )

    moments: list[tuple[int, datetime]] = []  # (resolution id, when the link was really made)
    code_list = list(weights)
    weight_list = [weights[c] for c in code_list]
    for i in range(TICKETS):
        code = rng.choices(code_list, weight_list)[0]
        opened = now - timedelta(days=rng.uniform(0, DAYS), minutes=rng.randint(0, 600))
        duration = timedelta(hours=rng.uniform(0.3, 72))
        closed: datetime | None = opened + duration
        if closed is not None and (closed > now or rng.random() < 0.08):
            closed = None
        status = "open" if closed is None else rng.choice(["solved", "closed", "closed"])
        ext = f"ZD-{48000 + i * 7 + rng.randint(0, 6)}"
        name = ctx.categories[code].name.lower()
        services.upsert_ticket(
            external_id=ext,
            category=code,
            subject=rng.choice(SUBJECTS).format(name=name).capitalize(),
            status=status,
            opened_at=opened,
            closed_at=closed,
        )
        pool = candidates(code)
        if not pool or rng.random() > (0.85 if code in by_cat else 0.35):
            continue
        chosen = [rng.choice(pool)]
        if len(pool) > 1 and rng.random() < 0.2:
            chosen.append(rng.choice([a for a in pool if a.pk != chosen[0].pk]))
        for article in chosen:
            readers = [u for u in people if article.pk in readable_by[u.pk]]
            if not readers:
                continue
            who: User = rng.choice(readers)
            end = closed or now
            when = opened + (end - opened) * rng.uniform(0.2, 1.0)
            if closed is not None and rng.random() < 0.1:
                when = min(closed + timedelta(hours=rng.uniform(1, 30)), now)  # linked after closing
            version, published_at = _version_at(pubs[article.pk], when)
            if when < published_at:
                when = min(published_at + timedelta(hours=rng.uniform(0.5, 6)), now)
            record, _ = services.record_resolution(
                actor=who, ticket=ext, article=article.pk, outcome=outcome_for(article), version=version
            )
            moments.append((record.pk, when))
    for pk, created in moments:  # DEMO ONLY: the link happened then, not now
        Resolution.objects.filter(pk=pk).update(created_at=created, updated_at=created)

    _feedback(ctx, articles, people, readable_by, key_of)
    _flags(ctx, articles, people, readable_by, key_of)


def _feedback(ctx: DemoContext, articles, people, readable_by, key_of) -> None:
    rng = ctx.rng
    for _ in range(90):
        article = rng.choice(articles)
        readers = [u for u in people if article.pk in readable_by[u.pk]]
        if not readers:
            continue
        who = rng.choice(readers)
        bad = key_of.get(article.pk) in MISLEADING
        helpful = rng.random() > (0.7 if bad else 0.15)
        comment = "" if helpful or rng.random() < 0.5 else "Did not match what the tools show today."
        fb, _ = services.give_feedback(actor=who, article=article.pk, helpful=helpful, comment=comment)
        Feedback.objects.filter(pk=fb.pk).update(updated_at=ctx.now - timedelta(days=rng.uniform(0, DAYS)))


def _flags(ctx: DemoContext, articles, people, readable_by, key_of) -> None:
    rng = ctx.rng
    misleading = [a for a in articles if key_of.get(a.pk) in MISLEADING]
    targets = misleading * 3 + rng.sample(articles, min(5, len(articles)))
    closer = ctx.users.get("lead")
    for i, article in enumerate(targets):
        readers = [u for u in people if article.pk in readable_by[u.pk] and u.role == "specialist"]
        if not readers:
            continue
        reason = ["outdated", "incorrect", "missing_step", "unclear"][i % 4]
        flag = services.raise_flag(
            actor=rng.choice(readers), article=article.pk, reason=reason, comment=FLAG_COMMENTS[reason]
        )
        Flag.objects.filter(pk=flag.pk).update(created_at=ctx.now - timedelta(days=rng.uniform(0.5, 40)))
        if i >= len(misleading) * 3 + 2 and closer is not None and rng.random() < 0.6:
            services.close_flag(
                actor=closer, flag=flag.pk, resolution="Checked with the owner team and clarified the step."
            )
