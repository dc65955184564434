"""Read-only metrics, aggregated in the database. Every figure is defined in docs/metrics.md.

Each function takes the caller and a ``Period`` and only ever counts links, feedback and flags on
articles the caller may read (``readable_published_articles``): a restricted article never shows up,
not even as a number, in anyone else's metrics. Tickets themselves are not team-restricted.
Aggregation happens in SQL (``Count``/``Exists``/``Subquery``); Python only shapes the few result rows.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Greatest, RowNumber, Substr, TruncDate
from django.utils import timezone

from accounts.models import Team, User
from kb.articles.access import readable_published_articles
from kb.articles.models import Article, Category, Publication
from kb.lib.errors import InvalidInput
from kb.tickets.models import Feedback, Flag, FlagState, Outcome, Resolution, Ticket

log = logging.getLogger(__name__)

DEFAULT_DAYS = 30
MAX_DAYS = 3_660
GAP_MIN_TICKETS = 5  # a category needs at least this many closed tickets to be called a gap
GAP_LINK_RATE = 0.25  # …and fewer than this share of them linked to an article
GAP_NOT_HELPFUL = 0.5  # …or at least this share of its links saying "did not help"
TOP_ARTICLES = 3
HEAVY_USE_LINKS = 3  # "heavy use" in the daily report: linked at least this often in 30 days


# ---------------------------------------------------------------------------------------------
# the period


@dataclass(frozen=True)
class Period:
    """Whole days ``since``..``until`` (both included) in KB_TIME_ZONE, as a half-open instant range."""

    since: date
    until: date

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(settings.TIME_ZONE)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.since, time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=self.zone)

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def as_dict(self) -> dict[str, str]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "time_zone": settings.TIME_ZONE,
        }


def today() -> date:
    return datetime.now(ZoneInfo(settings.TIME_ZONE)).date()


def _parse_day(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return (
            date.fromisoformat(str(value)[:10]) if len(str(value)) == 10 else date.fromisoformat(str(value))
        )
    except ValueError:
        raise InvalidInput("Use a date as YYYY-MM-DD.", field=field) from None


def parse_period(since: Any = None, until: Any = None, *, default_days: int = DEFAULT_DAYS) -> Period:
    """The period from ``?since=&until=``; default: the last ``default_days`` days up to today."""
    end = _parse_day(until, "until") or today()
    start = _parse_day(since, "since") or end - timedelta(days=default_days - 1)
    if start > end:
        raise InvalidInput("'since' must not be after 'until'.", field="since")
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput(f"A period covers at most {MAX_DAYS:,} days.", field="since")
    return Period(start, end)


# ---------------------------------------------------------------------------------------------
# helpers


class Epoch(Func):
    """Seconds since 1970 of a datetime column, on SQLite and PostgreSQL (for 'days since review')."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        return self.as_sql(
            compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)", **extra)


def _count(qs: QuerySet, key: str) -> Coalesce:
    """COUNT(*) of ``qs`` (already correlated with OuterRef) as a scalar subquery, 0 when empty."""
    sub = qs.order_by().values(key).annotate(c=Count("*")).values("c")[:1]
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def _ratio(num: Any, den: Any) -> Case:
    return Case(
        When(**{f"{den}__gt": 0}, then=Cast(F(num), FloatField()) / Cast(F(den), FloatField())),
        default=Value(None),
        output_field=FloatField(),
    )


def _local(moment: datetime | None) -> datetime | None:
    """Times in answers carry the KB_TIME_ZONE offset, the zone in which days are counted."""
    return None if moment is None else moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


class SystemViewer:
    """The operator running ``kb_report``: sees every published article (they hold the database anyway)."""

    is_authenticated = True
    is_active = True
    sees_metrics = True
    sees_participation = True
    sees_drafts = False
    is_editor = False
    username = "kb_report"
    pk = None


def readable(user: Any) -> QuerySet[Article]:
    """What metrics may count for ``user``: published, not archived, team-visible articles."""
    if isinstance(user, SystemViewer):
        return Article.objects.published()
    return readable_published_articles(user)


def hidden_article_ids(user: Any) -> list[int]:
    """Articles that were published once but that ``user`` may not count (restricted, archived).

    Metrics exclude these ids instead of joining every row against the visibility query: the list is
    short (never-published drafts cannot carry links), often empty, and an empty list costs nothing.
    """
    return list(
        Article.objects.filter(published_version__isnull=False)
        .exclude(pk__in=readable(user).values("pk"))
        .values_list("pk", flat=True)
    )


def _visible(hidden: list[int], field: str = "article") -> Q:
    """Rows whose ``field`` points at a countable article."""
    return ~Q(**{f"{field}__in": hidden}) if hidden else Q()


def _readable_ids(user: Any) -> QuerySet:
    return readable(user).values("pk")


def _in_period(period: Period, field: str = "created_at") -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def closed_tickets(period: Period) -> QuerySet[Ticket]:
    return Ticket.objects.filter(_in_period(period, "closed_at"))


def _linked(hidden: list[int]) -> Exists:
    """The ticket has at least one resolution on a countable article (made at any time)."""
    return Exists(Resolution.objects.filter(_visible(hidden), ticket=OuterRef("pk")))


def _known(hidden: list[int]) -> Exists:
    """A linked (countable) article of the ticket had been published before the ticket was opened."""
    published_before = Publication.objects.filter(
        article=OuterRef("article"), created_at__lt=OuterRef(OuterRef("opened_at"))
    )
    return Exists(
        Resolution.objects.filter(_visible(hidden), ticket=OuterRef("pk")).filter(Exists(published_before))
    )


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
# participation


def participation(user: Any, period: Period) -> dict[str, list[dict[str, Any]]]:
    """Per person and per team: links recorded, resolved outcomes, feedback, flags (grouped queries)."""
    hidden = hidden_article_ids(user)
    res = Resolution.objects.filter(_in_period(period), _visible(hidden))
    per_user = {
        r["user"]: r
        for r in res.values("user").annotate(
            n=Count("pk"), resolved=Count("pk", filter=Q(outcome=Outcome.RESOLVED)), last=Max("created_at")
        )
    }
    votes = dict(
        Feedback.objects.filter(_in_period(period, "updated_at"), _visible(hidden))
        .values("user")
        .annotate(n=Count("pk"))
        .values_list("user", "n")
    )
    flags = dict(
        Flag.objects.filter(_in_period(period), _visible(hidden))
        .values("raised_by")
        .annotate(n=Count("pk"))
        .values_list("raised_by", "n")
    )
    people = []
    for u in User.objects.filter(is_active=True).only("pk", "username", "first_name", "last_name", "role"):
        r: Any = per_user.get(u.pk, {})
        people.append(
            {
                "user": u.username,
                "name": f"{u.first_name} {u.last_name}".strip() or u.username,
                "role": u.role,
                "links": r.get("n", 0),
                "resolutions": r.get("resolved", 0),
                "feedback": votes.get(u.pk, 0),
                "flags": flags.get(u.pk, 0),
                "last_active": _local(r.get("last")),
            }
        )
    people.sort(key=lambda p: (-p["links"], -p["resolutions"], p["user"]))
    team_rows = {
        r["user__teams"]: r
        for r in res.filter(user__teams__isnull=False)
        .values("user__teams")
        .annotate(
            links=Count("pk"),
            resolved=Count("pk", filter=Q(outcome=Outcome.RESOLVED)),
            people=Count("user", distinct=True),
        )
    }
    members = {r["team"]: r["n"] for r in User.teams.through.objects.values("team").annotate(n=Count("user"))}
    team_out = []
    for team in Team.objects.only("pk", "name"):
        row: Any = team_rows.get(team.pk, {})
        n_members = members.get(team.pk, 0)
        team_out.append(
            {
                "team": team.name,
                "members": n_members,
                "active_people": row.get("people", 0),
                "links": row.get("links", 0),
                "resolutions": row.get("resolved", 0),
                "links_per_member": round(row.get("links", 0) / n_members, 2) if n_members else None,
            }
        )
    team_out.sort(key=lambda r: (-r["links"], r["team"]))
    return {"people": people, "teams": team_out}


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
# failed searches (from the search log, when search is installed)


def failed_searches(user: Any, period: Period, *, limit: int = 50) -> dict[str, Any]:
    """Failed searches of the period, and per category how often searches failed beside its tickets."""
    try:
        from kb.search.selectors import failed_searches as search_failed  # lazy: optional dependency

        rows = list(search_failed(user=user, since=period.since, until=period.until, limit=limit))
        available = True
    except Exception:
        log.warning("metrics: the search log is unavailable", exc_info=True)
        rows, available = [], False
    results = []
    per_cat: dict[str, int] = {}
    for r in rows:
        cats = dict(r.get("categories") or {})
        for code, n in cats.items():
            per_cat[code] = per_cat.get(code, 0) + int(n)
        results.append(
            {
                "query": r.get("query", ""),
                "count": int(r.get("count", 0)),
                "no_results": int(r.get("no_results", 0)),
                "not_opened": int(r.get("not_opened", 0)),
                "reported": int(r.get("reported", 0)),
                "last_seen": _local(r.get("last_seen")),
                "categories": cats,
            }
        )
    by_category = []
    if per_cat:
        tickets = dict(
            closed_tickets(period)
            .filter(category__code__in=list(per_cat))
            .values("category__code")
            .annotate(n=Count("pk"))
            .values_list("category__code", "n")
        )
        for code, n in sorted(per_cat.items(), key=lambda kv: (-kv[1], kv[0])):
            by_category.append(
                {"category": code, "failed_searches": n, "closed_tickets": tickets.get(code, 0)}
            )
    return {"available": available, "results": results, "by_category": by_category}


# ---------------------------------------------------------------------------------------------
# time series and one article


def per_local_day(qs: QuerySet, field: str, period: Period, **aggregates: Any) -> dict[date, dict[str, int]]:
    """Aggregates of ``qs`` per day of ``field`` in KB_TIME_ZONE.

    PostgreSQL truncates in the zone natively. SQLite would call a Python function per row for that,
    so there rows are grouped per UTC hour in SQL (the stored text's first 13 characters) and the
    hours are then added up per local day: exact for every zone whose offset is whole hours.
    """
    out: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if connection.vendor == "sqlite":
        rows = qs.annotate(bucket=Substr(field, 1, 13)).values("bucket").annotate(**aggregates)
        for row in rows:
            hour = datetime.strptime(row.pop("bucket"), "%Y-%m-%d %H").replace(tzinfo=UTC)
            day = hour.astimezone(period.zone).date()
            for key, value in row.items():
                out[day][key] += value
    else:
        rows = qs.annotate(day=TruncDate(field, tzinfo=period.zone)).values("day").annotate(**aggregates)
        for row in rows:
            day = row.pop("day")
            for key, value in row.items():
                out[day][key] += value
    return out


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
