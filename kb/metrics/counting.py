"""Shared pieces of the metrics queries: who may be counted, periods as filters, SQL helpers.

Every metric counts links, feedback and flags only on articles the caller may read
(``readable``/``hidden_article_ids``, through ``kb.articles.access``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
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
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Substr, TruncDate

from kb.articles.access import readable_published_articles
from kb.articles.models import Article, Publication
from kb.metrics.period import Period
from kb.tickets.models import Resolution, Ticket


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
    sees_all_articles = True  # e.g. every logged search (kb.search.selectors.shown_to)
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
