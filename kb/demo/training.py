"""Demo reading lists, assignments and acknowledgments (issue 5, point 9).

Two week-1 reading lists, both assigned to SG Creator Support with mixed progress (some people done,
some behind, the account-security list already overdue), one article assigned to Jakarta Live Safety
due soon (so ``kb_training_reminders`` has something to send), and one material change waiting for
re-acknowledgment: several people acknowledged an account-security SOP, then a lead published a
material update, so they are asked to read it again and see the diff from the version they read.

Everything goes through ``kb.training.services`` and ``kb.articles.services``; only timestamps are
moved into the past afterwards (marked DEMO ONLY), as the article loader does.
"""

from __future__ import annotations

from datetime import timedelta

from kb.articles import services as article_services
from kb.articles.models import Article, HistoricalArticle, Publication, Status
from kb.demo.context import DemoContext
from kb.training import services
from kb.training.models import Acknowledgment, Assignment

ACCOUNT_SECURITY = ("hijack-recovery", "2fa-reset", "password-reset", "identity-evidence-policy")
CREATOR_PAYOUTS = ("payout-delay", "payout-method-tax", "gift-refund", "gift-chargeback")
JAKARTA_ARTICLE = ("escalation-tiers", "live-ban-appeal", "harassment-report")

# Who already acknowledged which account-security articles (by position in the list) …
ACCOUNT_PROGRESS = {
    "amira": (0, 1, 2, 3),
    "hiro": (0, 1, 2),
    "specialist": (0, 1),
    "budi": (0,),
    "lead": (0, 1, 2, 3),
}
# … and which payout articles (that list is not due yet).
PAYOUT_PROGRESS = {"amira": (0, 1), "specialist": (0,), "chen": (0, 1, 2, 3)}

REACK_PEOPLE = ("specialist", "amira", "hiro", "lead")

MATERIAL_APPEND = (
    "\n\n## Before you restore access (new)\n\n"
    "Check the account's recent sign-in locations and devices, note anything unfamiliar in the "
    "ticket, and sign out every other session before you hand the account back.\n"
)


def _readable(ctx: DemoContext, keys: tuple[str, ...]) -> list[Article]:
    """Published, unrestricted demo articles among ``keys``, in that order (missing ones skipped)."""
    out = []
    for key in keys:
        article = ctx.articles.get(key)
        if article is None:
            continue
        article.refresh_from_db()
        if article.published_version and article.status != Status.ARCHIVED and not article.teams.exists():
            out.append(article)
    return out


def _ack(ctx: DemoContext, username: str, article: Article, days_ago: float) -> None:
    user = ctx.users.get(username)
    if user is None:
        return
    ack, _ = services.acknowledge_article(user=user, article_id=article.pk, version=article.published_version)
    # DEMO ONLY: spread acknowledgments over the last days.
    Acknowledgment.objects.filter(pk=ack.pk).update(created_at=ctx.now - timedelta(days=days_ago))


def load_training(ctx: DemoContext) -> None:
    """Add the demo reading lists, assignments, acknowledgments and one pending re-acknowledgment."""
    trainer = ctx.users["trainer"]
    lead = ctx.users["lead"]
    today = ctx.now.date()
    security = _readable(ctx, ACCOUNT_SECURITY)
    payouts = _readable(ctx, CREATOR_PAYOUTS)
    if not security or not payouts:
        return
    week1_security = services.create_reading_list(
        actor=trainer,
        title="Week 1: Account security",
        description="Hijacked accounts, 2FA and password resets, and what evidence we accept. "
        "Read in this order during your first week.",
        articles=[a.pk for a in security],
    )
    week1_payouts = services.create_reading_list(
        actor=trainer,
        title="Week 1: Creator payouts",
        description="Why payouts are late, tax and payout methods, gift refunds and chargebacks.",
        articles=[a.pk for a in payouts],
    )
    sg = "SG Creator Support"
    overdue = services.create_assignment(
        actor=trainer,
        reading_list=week1_security.pk,
        team=sg,
        due=today,
        note="Everyone on the SG queue: these are the SOPs behind most account tickets.",
        today=today,
    )
    # DEMO ONLY: the security list was assigned ten days ago and was due three days ago.
    Assignment.objects.filter(pk=overdue.pk).update(
        due=today - timedelta(days=3), created_at=ctx.now - timedelta(days=10)
    )
    services.create_assignment(
        actor=trainer,
        reading_list=week1_payouts.pk,
        team=sg,
        due=today + timedelta(days=5),
        note="Payout tickets double at month end: please finish before then.",
        today=today,
    )
    jakarta = _readable(ctx, JAKARTA_ARTICLE)
    if jakarta and "Jakarta Live Safety" in ctx.teams:
        services.create_assignment(
            actor=trainer,
            article=jakarta[0].pk,
            team="Jakarta Live Safety",
            due=today + timedelta(days=1),
            note="New escalation tiers from Monday.",
            today=today,
        )

    for username, positions in ACCOUNT_PROGRESS.items():
        for n, pos in enumerate(positions):
            if pos < len(security):
                _ack(ctx, username, security[pos], days_ago=8 - n)
    for username, positions in PAYOUT_PROGRESS.items():
        for n, pos in enumerate(positions):
            if pos < len(payouts):
                _ack(ctx, username, payouts[pos], days_ago=2 - n * 0.3)

    # One material change waiting for re-acknowledgment: these people acknowledged one security SOP
    # (one without an unpublished draft on top), then a lead publishes a material update to it.
    target = next((a for a in security[1:] + security[:1] if a.version == a.published_version), None)
    if target is None:
        return
    for username in REACK_PEOPLE:
        if not Acknowledgment.objects.filter(user__username=username, article=target).exists():
            _ack(ctx, username, target, days_ago=4)
    target.refresh_from_db()
    updated = article_services.update_article(
        actor=lead,
        article=target,
        base_version=target.version,
        change_note="Check sign-in locations and end other sessions before restoring access",
        body=target.body + MATERIAL_APPEND,
    )
    article_services.publish_article(
        actor=lead,
        article=updated,
        version=updated.version,
        material=True,
        note="New mandatory step before access is restored: everyone must re-read.",
    )
    # DEMO ONLY: the change was made yesterday.
    yesterday = ctx.now - timedelta(days=1)
    HistoricalArticle.objects.filter(id=updated.pk, version=updated.version).update(history_date=yesterday)
    Publication.objects.filter(article=updated, version=updated.version).update(created_at=yesterday)
    Article.objects.filter(pk=updated.pk).update(published_at=yesterday, updated_at=yesterday)
    # hiro already re-read it this morning; the others are still asked to.
    _ack(ctx, "hiro", Article.objects.get(pk=updated.pk), days_ago=0.1)
