"""Load the demo knowledge base through the real services.

Everything is created the way a lead would create it: ``accounts.services.upsert_user`` for people,
``kb.articles.services`` for categories, articles, versions, publications, reviews and archiving. So
every version is a real history row with its rendered HTML, every change notifies the search outbox,
and every rule (change notes required, conflicts, workflow) applies to the demo too.

The one exception is time. Services stamp "now"; a demo where all 100 versions were written in the
same second shows nothing useful on history pages, freshness badges or the stale list. After an
article is loaded, ``_backdate`` moves its *timestamps only* (version dates, publication dates,
review dates) into the past with queryset ``update()`` calls. This is demo-only: no production
code path ever rewrites a timestamp.

``load_demo`` runs in one transaction: a failure leaves the database as empty as it found it.
After the knowledge base, the tickets and training apps add their own demo data through
``kb.demo.activity.load_activity`` and ``kb.demo.training.load_training``.
"""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Team, User
from accounts.services import upsert_user
from kb.articles import events
from kb.articles import services as article_services
from kb.articles.models import Article, Category, HistoricalArticle, Publication, ReviewEvent
from kb.demo import activity, training
from kb.demo.content import ARTICLES, CATEGORIES, USERS
from kb.demo.context import DemoContext
from kb.demo.specs import TEAMS, DemoArticle, Revision

SEED = 2026

# Tables a reset keeps: they describe the schema (filled by migrate), not data.
_KEEP_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


class DemoContentError(Exception):
    """The demo data contradicts itself (e.g. an edit whose text is not in the body)."""


def database_is_empty() -> bool:
    """True when there is nothing a person made: no users, teams, categories or articles."""
    return not (
        User.objects.exists()
        or Article.objects.exists()
        or Category.objects.exists()
        or Team.objects.exists()
    )


def wipe_database() -> list[str]:
    """Delete every row of every table except the schema's own (migrations, content types, permissions).

    This is what ``kb_demo --reset`` means by "wipe": articles, categories, users, teams, tickets,
    training, search outbox and logs, sessions, tokens, audit — whatever apps exist now or later,
    without this module having to know them. Returns the tables emptied.
    """
    tables = sorted(
        t for t in connection.introspection.django_table_names(only_existing=True) if t not in _KEEP_TABLES
    )
    sql = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=False)
    # PostgreSQL refuses to TRUNCATE a table with deferred foreign-key checks still pending from
    # earlier writes in the same transaction (as in a test): run those checks now.
    connection.check_constraints()
    connection.ops.execute_sql_flush(sql)
    return tables


def load_demo(*, now: datetime | None = None, log: Callable[[str], None] = lambda _msg: None) -> DemoContext:
    """Create the whole demo into an empty database and return what was created.

    One transaction, as a bulk change: the search outbox records every article, and ``make run``
    rebuilds the index (and ``search_worker`` drains the rows) right after.
    """
    with transaction.atomic(), events.bulk():
        return _load_demo(now=now, log=log)


def _load_demo(*, now: datetime | None, log: Callable[[str], None]) -> DemoContext:
    ctx = DemoContext(now=now or timezone.now(), rng=random.Random(SEED))
    clock = time.monotonic()

    def step(message: str) -> None:
        nonlocal clock
        log(f"{message} ({time.monotonic() - clock:.1f} s)")
        clock = time.monotonic()

    _load_people(ctx)
    step(f"{len(ctx.users)} users in {len(ctx.teams)} teams")
    _load_categories(ctx)
    step(f"{len(ctx.categories)} ticket categories")
    for spec in ARTICLES:
        ctx.articles[spec.key] = _load_article(ctx, spec)
    step(f"{len(ctx.articles)} articles, {HistoricalArticle.objects.count()} versions")
    activity.load_activity(ctx)
    step("tickets and resolutions")
    training.load_training(ctx)
    step("reading lists and assignments")
    return ctx


# ---------------------------------------------------------------------------------------------


def _load_people(ctx: DemoContext) -> None:
    for spec in USERS:
        user, _ = upsert_user(
            username=spec.username,
            role=spec.role,
            teams=list(spec.teams),
            email=spec.email,
            password=spec.password,
        )
        ctx.users[spec.username] = user
    ctx.teams = {t.name: t for t in Team.objects.filter(name__in=TEAMS)}
    missing = set(TEAMS) - set(ctx.teams)
    if missing:
        raise DemoContentError(f"teams without members: {', '.join(sorted(missing))}")


def _load_categories(ctx: DemoContext) -> None:
    actor = ctx.users["admin"]
    for spec in CATEGORIES:
        ctx.categories[spec.code] = article_services.create_category(
            actor=actor, code=spec.code, name=spec.name, description=spec.description, parent=spec.parent
        )


def _apply_edits(key: str, body: str, rev: Revision) -> str:
    for old, new in rev.edits:
        if body.count(old) != 1:
            raise DemoContentError(f"{key}: edit {old[:40]!r} matches {body.count(old)} times, not once")
        body = body.replace(old, new)
    if rev.append:
        body = body.rstrip("\n") + "\n\n" + rev.append.strip("\n") + "\n"
    return body


def _load_article(ctx: DemoContext, spec: DemoArticle) -> Article:
    owner = ctx.users[spec.owner]
    article = article_services.create_article(
        actor=owner,
        owner=owner,
        title=spec.title,
        kind=spec.kind,
        summary=spec.summary,
        body=spec.body,
        categories=list(spec.categories),
        tags=list(spec.tags),
        teams=list(spec.teams),
        review_interval_days=spec.review_interval_days,
        change_note="First version",
    )
    # (version, days ago) of each save, and (version, days ago) of each publication.
    saved: list[tuple[int, float]] = [(1, spec.created_days_ago)]
    published: list[tuple[int, float]] = []
    if spec.publish_v1:
        article = article_services.publish_article(
            actor=owner, article=article, material=True, note="First publication"
        )
        published.append((1, spec.created_days_ago - 0.1))
    body = spec.body
    for rev in spec.revisions:
        body = _apply_edits(spec.key, body, rev)
        changes: dict[str, Any] = {"body": body}
        if rev.title is not None:
            changes["title"] = rev.title
        if rev.summary is not None:
            changes["summary"] = rev.summary
        if rev.categories is not None:
            changes["categories"] = list(rev.categories)
        if rev.tags is not None:
            changes["tags"] = list(rev.tags)
        author = ctx.users[rev.author]
        article = article_services.update_article(
            actor=author, article=article, base_version=article.version, change_note=rev.note, **changes
        )
        saved.append((article.version, rev.days_ago))
        if rev.publish is not None:
            article = article_services.publish_article(
                actor=author,
                article=article,
                material=rev.publish == "material",
                note=rev.publish_note or rev.note,
            )
            published.append((article.version, rev.days_ago - 0.05))
    if spec.final == "in_review":
        article = article_services.submit_article(
            actor=ctx.users[spec.revisions[-1].author if spec.revisions else spec.owner],
            article=article,
            note="Ready for a second pair of eyes",
        )
    elif spec.final == "archived":
        article = article_services.archive_article(actor=owner, article=article, note="Procedure retired")
    elif spec.final not in ("published", "draft"):
        raise DemoContentError(f"{spec.key}: unknown final state {spec.final!r}")
    reviewed: float | None = None
    if published and spec.final != "archived":
        reviewed = spec.reviewed_days_ago
        if reviewed is None:
            reviewed = min(published[-1][1], float(ctx.rng.randint(2, 40)))
        article = article_services.mark_reviewed(
            actor=owner, article=article, note="Checked against the current tooling"
        )
    _backdate(ctx, article, saved=saved, published=published, reviewed=reviewed)
    article.refresh_from_db()
    return article


def _at(ctx: DemoContext, days_ago: float, salt: str) -> datetime:
    """``days_ago`` before the demo's now, minus a stable 0–7 h offset so times of day vary."""
    return ctx.now - timedelta(days=days_ago, minutes=zlib.crc32(salt.encode()) % 420)


def _backdate(
    ctx: DemoContext,
    article: Article,
    *,
    saved: list[tuple[int, float]],
    published: list[tuple[int, float]],
    reviewed: float | None,
) -> None:
    """DEMO ONLY: move this article's timestamps into the past (see the module docstring)."""
    salt = article.slug
    saved_at = {version: _at(ctx, days, f"{salt}:{version}") for version, days in saved}
    for version, when in saved_at.items():
        HistoricalArticle.objects.filter(id=article.pk, version=version).update(history_date=when)
    published_at = {version: _at(ctx, days, f"{salt}:{version}") for version, days in published}
    for version, when in published_at.items():
        Publication.objects.filter(article=article, version=version).update(created_at=when)
    latest = saved_at[max(saved_at)]
    ReviewEvent.objects.filter(article=article).exclude(action=ReviewEvent.Action.REVIEWED).update(
        created_at=latest + timedelta(minutes=20)
    )
    fields: dict[str, object] = {"created_at": saved_at[1], "updated_at": latest}
    if published_at:
        fields["published_at"] = published_at[published[-1][0]]
    if reviewed is not None:
        review_at = _at(ctx, reviewed, f"{salt}:review")
        if published_at:
            review_at = max(review_at, published_at[published[-1][0]] + timedelta(minutes=30))
        fields["last_reviewed_at"] = review_at
        fields["updated_at"] = max(latest, review_at)
        ReviewEvent.objects.filter(article=article, action=ReviewEvent.Action.REVIEWED).update(
            created_at=review_at
        )
    Article.objects.filter(pk=article.pk).update(**fields)
