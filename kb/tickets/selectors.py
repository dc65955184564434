"""Reads for tickets, resolutions, flags and suggestions, narrowed by ``kb.articles.access``."""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kb.articles import access
from kb.articles import selectors as tree
from kb.articles.access import readable_published_articles, visible_articles
from kb.articles.models import Article, Category
from kb.lib.errors import InvalidInput
from kb.tickets.models import Flag, FlagState, Outcome, Resolution, Ticket

log = logging.getLogger(__name__)

SUGGEST_LIMIT_MAX = 20
SUGGEST_TEXT_MAX = 500
OUTCOME_WINDOW_DAYS = 90
# Weights of the suggestion score (docs/tickets.md explains them).
W_CATEGORY = 3.0
W_PARENT = 1.5
W_TEXT = 4.0
W_OUTCOME = 1.0


def ticket_resolutions(user: Any, ticket: Ticket) -> list[Resolution]:
    """The ticket's resolutions on articles ``user`` may read, oldest first.

    Each row carries what the ticket page and the API show of its article and person, and the
    ticket itself: a busy ticket has dozens of rows, and loading every column of the three joined
    models for each of them was most of a ticket upsert's time (docs/reliability.md §7).
    """
    rows = list(
        Resolution.objects.filter(ticket=ticket, article__in=readable_published_articles(user))
        .select_related("article", "user")
        .only(
            *("id", "ticket_id", "article_id", "version", "outcome", "user_id", "created_at", "updated_at"),
            *("article__slug", "article__title", "article__published_version"),
            *("user__username", "user__first_name", "user__last_name"),
        )
        .order_by("created_at", "pk")
    )
    for row in rows:
        row.ticket = ticket
    return rows


def resolved_count(user: Any, article: Article, *, days: int = 30) -> int:
    """Tickets this article resolved (outcome ``resolved``) in the last ``days`` days."""
    since = timezone.now() - timedelta(days=days)
    return Resolution.objects.filter(article=article, outcome=Outcome.RESOLVED, created_at__gte=since).count()


def visible_flags(user: Any, *, state: str | None = None, owner: str | None = None) -> QuerySet[Flag]:
    """Flags on articles ``user`` can see: editors see all of them, others only the flags they raised."""
    qs = Flag.objects.filter(article__in=visible_articles(user))
    if not access.is_editor(user):
        qs = qs.filter(Q(raised_by=user) | Q(article__owner=user))
    if state:
        if state not in FlagState.values:
            raise InvalidInput(f"{state!r} is not one of: {', '.join(FlagState.values)}.", field="state")
        qs = qs.filter(state=state)
    if owner:
        qs = qs.filter(article__owner__username=owner)
    return qs.select_related("article", "article__owner", "raised_by", "closed_by").order_by(
        "-created_at", "-pk"
    )


# ---------------------------------------------------------------------------------------------
# suggestions


@dataclass
class Suggestion:
    article: Article
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def _ancestors(category: Category) -> list[Category]:
    """Parents of ``category``, nearest first, by code (the tree of ``kb.articles.selectors``)."""
    codes = tree.ancestor_codes(category.code)[:-1]
    by_code = {c.code: c for c in Category.objects.filter(code__in=codes).only("id", "code", "name")}
    return [by_code[code] for code in reversed(codes) if code in by_code]


def _text_hits(user: Any, text: str, limit: int) -> list[tuple[int, float]]:
    """Article ids and relative text scores (0–1) from search; falls back to title/summary matching."""
    try:
        from kb.search.selectors import search_articles  # lazy: search is another app, may be absent

        page = search_articles(user, text, limit=limit, log=False, source="panel")
        hits = [(art.pk, float(score or 0.0)) for art, score, *_ in page.hits]
        top = max((s for _, s in hits), default=0.0) or 1.0
        return [(pk, max(s, 0.0) / top) for pk, s in hits]
    except Exception:  # search unavailable or failing: suggestions still work from the database
        log.info("suggest: search unavailable, falling back to title/summary matching", exc_info=True)
    words = [w for w in re.findall(r"\w{3,}", text.lower())][:8]
    if not words:
        return []
    cond = Q()
    for w in words:
        cond |= Q(title__icontains=w) | Q(summary__icontains=w)
    rows = list(readable_published_articles(user).filter(cond).values_list("pk", "title", "summary")[:200])
    scored = []
    for pk, title, summary in rows:
        t, s = title.lower(), (summary or "").lower()
        scored.append((pk, sum(1.0 if w in t else 0.5 if w in s else 0.0 for w in words)))
    scored.sort(key=lambda x: -x[1])
    top = scored[0][1] if scored else 1.0
    return [(pk, sc / top) for pk, sc in scored[:limit]]


def suggest_articles(user: Any, *, category: Any = None, text: Any = "", limit: Any = 5) -> list[Suggestion]:
    """Articles for a ticket, best first: its category (and parents), subject text, past outcomes.

    score = 3·[in the category] + 1.5/depth·[in a parent category] + 4·(text score ÷ best text score)
          + 1·ln(1 + resolved + helpful − not helpful, floored at 0) over the category's tickets
    in the last 90 days. Only articles the user may read are ever candidates.
    """
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        raise InvalidInput("A whole number from 1 to 20.", field="limit") from None
    if not 1 <= limit <= SUGGEST_LIMIT_MAX:
        raise InvalidInput("A whole number from 1 to 20.", field="limit")
    text = (text or "").strip() if isinstance(text, str) else ""
    if len(text) > SUGGEST_TEXT_MAX:
        text = text[:SUGGEST_TEXT_MAX]
    cat: Category | None = None
    if category:
        cat = Category.objects.filter(code=category).first()
        if cat is None:
            shown = category if len(str(category)) <= 80 else str(category)[:79] + "…"
            raise InvalidInput(f"Unknown category: {shown!r}.", field="category")
    if cat is None and not text:
        raise InvalidInput("Give a category, a text, or both.", field="non_field_errors")

    readable = readable_published_articles(user)
    found: dict[int, Suggestion] = {}

    def entry(pk: int) -> Suggestion:
        if pk not in found:
            found[pk] = Suggestion(article=None)  # type: ignore[arg-type]
        return found[pk]

    if cat is not None:
        for pk in readable.filter(categories=cat).values_list("pk", flat=True):
            s = entry(pk)
            s.score += W_CATEGORY
            s.reasons.append(f"Filed under {cat.code}")
        for depth, parent in enumerate(_ancestors(cat), start=1):
            for pk in readable.filter(categories=parent).values_list("pk", flat=True):
                s = entry(pk)
                if any(r.startswith("Filed under") for r in s.reasons):
                    continue
                s.score += W_PARENT / depth
                s.reasons.append(f"Filed under the parent category {parent.code}")
        since = timezone.now() - timedelta(days=OUTCOME_WINDOW_DAYS)
        outcomes = (
            Resolution.objects.filter(ticket__category=cat, created_at__gte=since, article__in=readable)
            .values("article")
            .annotate(
                good=Count("pk", filter=Q(outcome__in=[Outcome.RESOLVED, Outcome.HELPFUL])),
                bad=Count("pk", filter=Q(outcome=Outcome.NOT_HELPFUL)),
            )
        )
        for row in outcomes:
            net = row["good"] - row["bad"]
            if row["good"] == 0 and row["bad"] == 0:
                continue
            s = entry(row["article"])
            s.score += W_OUTCOME * math.log1p(max(net, 0))
            s.reasons.append(
                f"Resolved or helped {row['good']} ticket{'s' if row['good'] != 1 else ''} in this category "
                f"in the last {OUTCOME_WINDOW_DAYS} days"
                + (f"; did not help on {row['bad']}" if row["bad"] else "")
            )
    if text:
        for pk, rel in _text_hits(user, text, limit=max(limit * 4, 20)):
            if pk in found or rel > 0:
                s = entry(pk)
                s.score += W_TEXT * rel
                s.reasons.append(f"Matches the subject text ({round(rel * 100)}% of the best match)")

    articles = readable.filter(pk__in=list(found)).select_related("published_record")
    for art in articles:
        found[art.pk].article = art
    ranked = [s for s in found.values() if s.article is not None and s.score > 0]
    ranked.sort(key=lambda s: (-s.score, s.article.title.lower(), s.article.pk))
    return ranked[:limit]
