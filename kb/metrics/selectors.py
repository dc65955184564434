"""Read-only metrics, aggregated in the database. Every figure is defined in docs/metrics.md.

Each function takes the caller and a ``Period`` and only ever counts links, feedback and flags on
articles the caller may read (``readable_published_articles``): a restricted article never shows up,
not even as a number, in anyone else's metrics. Tickets themselves are not team-restricted.
Aggregation happens in SQL (``Count``/``Exists``/``Subquery``); Python only shapes the few result rows.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Cast, Coalesce, Greatest, RowNumber
from django.utils import timezone

from kb.articles.models import Article, Category
from kb.lib.errors import InvalidInput
from kb.metrics.counting import (
    Epoch,
    SystemViewer,
    _count,
    _in_period,
    _known,
    _linked,
    _local,
    _rate,
    _ratio,
    _readable_ids,
    _visible,
    closed_tickets,
    hidden_article_ids,
    per_local_day,
    readable,
)
from kb.metrics.participation import participation
from kb.metrics.period import DEFAULT_DAYS, MAX_DAYS, Period, parse_period, today
from kb.metrics.searches import failed_searches
from kb.tickets.models import Feedback, Flag, FlagState, Outcome, Resolution, Ticket

# Callers import every metric from here; the period, the shared counting rules, participation and
# failed searches live in their own modules.
__all__ = [
    "ARTICLE_SORTS",
    "DEFAULT_DAYS",
    "MAX_DAYS",
    "Epoch",
    "Period",
    "SystemViewer",
    "article_daily_links",
    "article_detail",
    "article_metrics",
    "article_recent_resolutions",
    "article_row",
    "category_metrics",
    "closed_tickets",
    "daily_series",
    "failed_searches",
    "hidden_article_ids",
    "parse_period",
    "participation",
    "per_local_day",
    "readable",
    "review_queue",
    "review_row",
    "stale_in_heavy_use",
    "summary",
    "today",
    "top_articles_by_category",
    "with_rates",
]

GAP_MIN_TICKETS = 5  # a category needs at least this many closed tickets to be called a gap
GAP_LINK_RATE = 0.25  # …and fewer than this share of them linked to an article
GAP_NOT_HELPFUL = 0.5  # …or at least this share of its links saying "did not help"
TOP_ARTICLES = 3
HEAVY_USE_LINKS = 3  # "heavy use" in the daily report: linked at least this often in 30 days


# ---------------------------------------------------------------------------------------------
# summary


def summary(user: Any, period: Period) -> dict[str, Any]:
    """Headline figures for the period (docs/metrics.md § Summary)."""
    hidden = hidden_article_ids(user)
    t = (
        closed_tickets(period)
        .annotate(is_linked=_linked(hidden), is_known=_known(hidden))
        .aggregate(
            closed=Count("pk"),
            linked=Count("pk", filter=Q(is_linked=True)),
            known=Count("pk", filter=Q(is_known=True)),
        )
    )
    opened = Ticket.objects.filter(_in_period(period, "opened_at")).count()
    r = Resolution.objects.filter(_in_period(period), _visible(hidden)).aggregate(
        links=Count("pk"),
        resolved=Count("pk", filter=Q(outcome=Outcome.RESOLVED)),
        helpful=Count("pk", filter=Q(outcome=Outcome.HELPFUL)),
        not_helpful=Count("pk", filter=Q(outcome=Outcome.NOT_HELPFUL)),
        escalated=Count("pk", filter=Q(outcome=Outcome.ESCALATED)),
        articles_used=Count("article", distinct=True),
        people=Count("user", distinct=True),
    )
    fb = Feedback.objects.filter(_in_period(period, "updated_at"), _visible(hidden)).aggregate(
        up=Count("pk", filter=Q(helpful=True)), down=Count("pk", filter=Q(helpful=False))
    )
    flags = Flag.objects.filter(_visible(hidden)).aggregate(
        raised=Count("pk", filter=_in_period(period)),
        open_now=Count("pk", filter=Q(state=FlagState.OPEN)),
        closed=Count("pk", filter=_in_period(period, "closed_at")),
    )
    known, linked = t["known"], t["linked"]
    return {
        **period.as_dict(),
        "closed_tickets": t["closed"],
        "linked_tickets": linked,
        "link_rate": _rate(linked, t["closed"]),
        "known_tickets": known,
        "new_tickets": linked - known,
        "known_new_ratio": _rate(known, linked),
        "opened_tickets": opened,
        "links": r["links"],
        "outcomes": {
            "resolved": r["resolved"],
            "helpful": r["helpful"],
            "not_helpful": r["not_helpful"],
            "escalated": r["escalated"],
        },
        "resolution_rate": _rate(r["resolved"], r["links"]),
        "articles_used": r["articles_used"],
        "active_people": r["people"],
        "feedback_helpful": fb["up"],
        "feedback_not_helpful": fb["down"],
        "not_helpful_rate": _rate(r["not_helpful"] + fb["down"], r["links"] + fb["up"] + fb["down"]),
        "flags_raised": flags["raised"],
        "flags_closed": flags["closed"],
        "open_flags": flags["open_now"],
    }


# ---------------------------------------------------------------------------------------------
# per article

ARTICLE_SORTS = {
    "links": ("-links", "title"),
    "resolved": ("-resolved", "-links", "title"),
    "resolution_rate": (F("resolution_rate").desc(nulls_last=True), "-links", "title"),
    "not_helpful_rate": (F("not_helpful_rate").desc(nulls_last=True), "-links", "title"),
    "open_flags": ("-open_flags", "-links", "title"),
    "last_used": (F("last_used").desc(nulls_last=True), "title"),
    "title": ("title",),
}


def article_metrics(user: Any, period: Period, *, sort: str = "links", rates: bool = False) -> Any:
    """Every article the user may read, with its figures for the period as annotations.

    The rates are SQL expressions only when sorting or filtering needs them (``rates=True``):
    SQLite repeats each correlated subquery a derived expression refers to, so otherwise
    ``article_row`` works them out from the counts.
    """
    if sort not in ARTICLE_SORTS:
        raise InvalidInput(f"{sort!r} is not one of: {', '.join(ARTICLE_SORTS)}.", field="sort")
    # Correlated COUNTs, each an index range on (article, created_at, outcome) that never touches the
    # table; no GROUP BY over article rows, so paging and sorting stay cheap.
    res = Resolution.objects.filter(_in_period(period), article=OuterRef("pk"))
    fb = Feedback.objects.filter(_in_period(period, "updated_at"), article=OuterRef("pk"))
    last_used = (
        Resolution.objects.filter(article=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    )
    qs = (
        readable(user)
        .select_related("owner")
        .only(
            "pk",
            "slug",
            "title",
            "kind",
            "published_version",
            "last_reviewed_at",
            "review_interval_days",
            "published_at",
            "created_at",
            "owner__username",
        )
        .annotate(
            links=_count(res, "article"),
            resolved=_count(res.filter(outcome=Outcome.RESOLVED), "article"),
            not_helpful_links=_count(res.filter(outcome=Outcome.NOT_HELPFUL), "article"),
            escalated=_count(res.filter(outcome=Outcome.ESCALATED), "article"),
            feedback_up=_count(fb.filter(helpful=True), "article"),
            feedback_down=_count(fb.filter(helpful=False), "article"),
            open_flags=_count(Flag.objects.filter(article=OuterRef("pk"), state=FlagState.OPEN), "article"),
            last_used=Subquery(last_used),
        )
    )
    if rates or sort in ("resolution_rate", "not_helpful_rate"):
        qs = qs.annotate(
            signals=F("links") + F("feedback_up") + F("feedback_down"),
            negative=F("not_helpful_links") + F("feedback_down"),
        ).annotate(
            resolution_rate=_ratio("resolved", "links"),
            not_helpful_rate=_ratio("negative", "signals"),
        )
    return qs.order_by(*ARTICLE_SORTS[sort], "pk")


def _article_rates(a: Any) -> tuple[float | None, float | None]:
    """(resolution rate, not-helpful rate) of an ``article_metrics`` row, from SQL or from its counts."""
    if hasattr(a, "resolution_rate"):
        rr, nh = a.resolution_rate, a.not_helpful_rate
        return (None if rr is None else round(rr, 4), None if nh is None else round(nh, 4))
    signals = a.links + a.feedback_up + a.feedback_down
    return _rate(a.resolved, a.links), _rate(a.not_helpful_links + a.feedback_down, signals)


def with_rates(rows: Any) -> list[Any]:
    """The rows as a list, each with ``resolution_rate`` and ``not_helpful_rate`` set (for templates)."""
    out = list(rows)
    for a in out:
        a.resolution_rate, a.not_helpful_rate = _article_rates(a)
    return out


def article_row(a: Any) -> dict[str, Any]:
    resolution_rate, not_helpful_rate = _article_rates(a)
    return {
        "id": a.pk,
        "title": a.title,
        "slug": a.slug,
        "url": a.get_absolute_url(),
        "kind": a.kind,
        "owner": a.owner.username if a.owner_id else None,
        "published_version": a.published_version,
        "links": a.links,
        "resolutions": a.resolved,
        "not_helpful_links": a.not_helpful_links,
        "escalated": a.escalated,
        "resolution_rate": resolution_rate,
        "feedback_helpful": a.feedback_up,
        "feedback_not_helpful": a.feedback_down,
        "not_helpful_rate": not_helpful_rate,
        "last_used": _local(a.last_used),
        "open_flags": a.open_flags,
    }


# ---------------------------------------------------------------------------------------------
# per category


def category_metrics(user: Any, period: Period) -> list[dict[str, Any]]:
    """Closed tickets, link rate, articles, top articles and coverage gap for every category.

    Four grouped queries (tickets, links, articles, top articles), merged per category.
    """
    hidden = hidden_article_ids(user)
    tickets = {
        r["category"]: r
        for r in closed_tickets(period)
        .annotate(is_linked=_linked(hidden))
        .values("category")
        .annotate(n=Count("pk"), linked=Count("pk", filter=Q(is_linked=True)))
    }
    links = {
        r["ticket__category"]: r
        for r in Resolution.objects.filter(
            _visible(hidden), ticket__closed_at__gte=period.start, ticket__closed_at__lt=period.end
        )
        .values("ticket__category")
        .annotate(n=Count("pk"), nh=Count("pk", filter=Q(outcome=Outcome.NOT_HELPFUL)))
    }
    articles = {
        r["category"]: r["n"]
        for r in Article.categories.through.objects.filter(article__in=_readable_ids(user))
        .values("category")
        .annotate(n=Count("article", distinct=True))
    }
    top = top_articles_by_category(hidden, period)
    out = []
    for cat in Category.objects.select_related("parent").order_by("code"):
        t: Any = tickets.get(cat.pk, {})
        lk: Any = links.get(cat.pk, {})
        n_tickets, linked, n_links, nh = t.get("n", 0), t.get("linked", 0), lk.get("n", 0), lk.get("nh", 0)
        n_articles = articles.get(cat.pk, 0)
        link_rate = _rate(linked, n_tickets)
        nh_share = _rate(nh, n_links)
        reasons = []
        if n_tickets >= GAP_MIN_TICKETS:
            if n_articles == 0:
                reasons.append("no article is filed under this category")
            if link_rate is not None and link_rate < GAP_LINK_RATE:
                reasons.append(f"only {round(link_rate * 100)}% of its tickets were linked to an article")
            if nh_share is not None and nh_share >= GAP_NOT_HELPFUL:
                reasons.append(f"{round(nh_share * 100)}% of its links say the article did not help")
        out.append(
            {
                "code": cat.code,
                "name": cat.name,
                "parent": cat.parent.code if cat.parent else None,
                "closed_tickets": n_tickets,
                "linked_tickets": linked,
                "link_rate": link_rate,
                "links": n_links,
                "not_helpful_share": nh_share,
                "articles": n_articles,
                "top_articles": top.get(cat.pk, []),
                "coverage_gap": bool(reasons),
                "gap_reasons": reasons,
            }
        )
    out.sort(key=lambda r: (-r["closed_tickets"], r["code"]))
    return out


def top_articles_by_category(
    hidden: list[int], period: Period, n: int = TOP_ARTICLES
) -> dict[int, list[dict]]:
    """The ``n`` articles linked most often to the category's tickets closed in the period."""
    ranked = (
        Resolution.objects.filter(
            _visible(hidden), ticket__closed_at__gte=period.start, ticket__closed_at__lt=period.end
        )
        .values("ticket__category", "article", "article__title", "article__slug")
        .annotate(n=Count("pk"), resolved=Count("pk", filter=Q(outcome=Outcome.RESOLVED)))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("ticket__category")],
                order_by=[F("n").desc(), F("article").asc()],
            )
        )
        .filter(rank__lte=n)
        .order_by("ticket__category", "rank")
    )
    out: dict[int, list[dict]] = {}
    for row in ranked:
        out.setdefault(row["ticket__category"], []).append(
            {
                "id": row["article"],
                "title": row["article__title"],
                "url": f"/articles/{row['article__slug']}/",
                "links": row["n"],
                "resolutions": row["resolved"],
            }
        )
    return out


# ---------------------------------------------------------------------------------------------
# review queue by risk


def review_queue(user: Any, period: Period) -> Any:
    """Readable articles by risk = usage × days since review × (1 + open flags) × (1 + not-helpful rate)."""
    now_epoch = timezone.now().timestamp()
    anchor = Coalesce("last_reviewed_at", "published_at", "created_at")
    qs = (
        article_metrics(user, period, rates=True)
        .annotate(
            reviewed_from=anchor,
            days_since_review=Greatest(
                (Value(now_epoch, output_field=FloatField()) - Epoch(anchor)) / Value(86400.0),
                Value(0.0),
                output_field=FloatField(),
            ),
        )
        .annotate(
            risk=Cast(F("links"), FloatField())
            * F("days_since_review")
            * (Value(1.0) + Cast(F("open_flags"), FloatField()))
            * (Value(1.0) + Coalesce(F("not_helpful_rate"), Value(0.0), output_field=FloatField())),
        )
    )
    return qs.order_by(F("risk").desc(), F("days_since_review").desc(), "pk")


def review_row(a: Any) -> dict[str, Any]:
    row = article_row(a)
    days = float(a.days_since_review or 0.0)
    row.update(
        {
            "last_reviewed_at": _local(a.last_reviewed_at),
            "review_interval_days": a.review_interval_days,
            "days_since_review": round(days, 1),
            "review_overdue": days >= a.review_interval_days,
            "risk": round(float(a.risk or 0.0), 2),
        }
    )
    return row


# ---------------------------------------------------------------------------------------------
# time series and one article


def daily_series(user: Any, period: Period) -> list[dict[str, Any]]:
    """Per day of the period: closed tickets, linked ones, link rate, links made (days in KB_TIME_ZONE)."""
    hidden = hidden_article_ids(user)
    closed = per_local_day(
        closed_tickets(period).annotate(is_linked=_linked(hidden)),
        "closed_at",
        period,
        n=Count("pk"),
        linked=Count("pk", filter=Q(is_linked=True)),
    )
    links = per_local_day(
        Resolution.objects.filter(_in_period(period), _visible(hidden)), "created_at", period, n=Count("pk")
    )
    out = []
    for i in range(period.days):
        day = period.since + timedelta(days=i)
        c = closed.get(day, {})
        out.append(
            {
                "day": day,
                "closed_tickets": c.get("n", 0),
                "linked_tickets": c.get("linked", 0),
                "link_rate": _rate(c.get("linked", 0), c.get("n", 0)),
                "links": links.get(day, {}).get("n", 0),
            }
        )
    return out


def article_detail(user: Any, article_id: int, period: Period) -> Any:
    """One readable article with the same annotations as the per-article list."""
    return article_metrics(user, period, rates=True).filter(pk=article_id).first()


def article_daily_links(user: Any, article: Article, period: Period) -> list[tuple[date, int]]:
    rows = per_local_day(
        Resolution.objects.filter(_in_period(period), article=article), "created_at", period, n=Count("pk")
    )
    days = (period.since + timedelta(days=i) for i in range(period.days))
    return [(d, rows.get(d, {}).get("n", 0)) for d in days]


def article_recent_resolutions(article: Article, limit: int = 20) -> QuerySet[Resolution]:
    return (
        Resolution.objects.filter(article=article)
        .select_related("ticket", "ticket__category", "user")
        .order_by("-created_at")[:limit]
    )


def stale_in_heavy_use(user: Any, day: date, *, min_links: int = HEAVY_USE_LINKS) -> list[Any]:
    """Articles whose review is due by the end of ``day`` and that were linked ≥ ``min_links`` times
    in the 30 days ending ``day``; most used first."""
    period = Period(day - timedelta(days=29), day)
    end_epoch = period.end.timestamp()
    anchor = Coalesce("last_reviewed_at", "published_at", "created_at")
    qs = (
        review_queue(user, period)
        .annotate(
            due_epoch=Epoch(anchor) + Cast(F("review_interval_days"), FloatField()) * Value(86400.0),
        )
        .filter(links__gte=min_links, due_epoch__lte=end_epoch)
        .order_by("-links", "title")
    )
    return list(qs[:20])
