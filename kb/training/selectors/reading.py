"""One person's reading: the My reading page, the banner on every page, the acknowledge panel, reminders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from accounts.models import User
from kb.articles import access
from kb.articles.models import Article
from kb.lib.statements import Statement
from kb.training.models import Acknowledgment, Assignment, Quiz
from kb.training.selectors.facts import (
    _assignment_scope,
    _material_versions,
    _passed_quizzes,
    assignments_covering,
    covering_assignments,
)
from kb.training.selectors.rules import DONE, REACK, STATE_ORDER, ReadingItem, item_state, training_today


def my_reading(user: User, *, today: date | None = None) -> list[ReadingItem]:
    """The caller's items: every readable assigned article, plus any acknowledged article that
    changed materially since (re-reading is asked even outside assignments). Attention first."""
    today = today or training_today()
    assignments = list(covering_assignments(user).order_by("due", "id"))
    articles_of, _ = _assignment_scope(assignments)
    due_of: dict[int, date] = {}
    assignments_of: dict[int, list[int]] = defaultdict(list)
    notes_of: dict[int, list[str]] = defaultdict(list)
    quiz_required: set[int] = set()
    for a in assignments:
        for article_id in articles_of[a.pk]:
            if article_id not in due_of or a.due < due_of[article_id]:
                due_of[article_id] = a.due
            assignments_of[article_id].append(a.pk)
            if a.note and a.note not in notes_of[article_id]:
                notes_of[article_id].append(a.note)
            if a.requires_quiz:
                quiz_required.add(article_id)
    acks: dict[int, tuple[int, datetime]] = {}
    for article_id, version, created_at in Acknowledgment.objects.filter(user=user).values_list(
        "article_id", "version", "created_at"
    ):
        if article_id not in acks or acks[article_id][0] < version:
            acks[article_id] = (version, created_at)
    wanted = set(due_of) | set(acks)
    if not wanted:
        return []
    articles = {
        a.pk: a
        for a in access.readable_published_articles(user)
        .filter(pk__in=wanted)
        .only("id", "slug", "title", "summary", "kind", "published_version", "published_at", "status")
    }
    materials = _material_versions(articles)
    passed = _passed_quizzes([user.pk], quiz_required & set(articles)) if quiz_required else set()
    items: list[ReadingItem] = []
    for article_id, article in articles.items():
        ack = acks.get(article_id)
        assigned = article_id in due_of
        quiz_pending = article_id in quiz_required and (user.pk, article_id) not in passed
        state = item_state(
            acknowledged=ack[0] if ack else None,
            published=int(article.published_version or 0),
            material_versions=materials.get(article_id, ()),
            due=due_of.get(article_id),
            today=today,
            quiz_pending=quiz_pending,
        )
        if not assigned and state != REACK:
            continue  # acknowledged on their own and still current: nothing to ask
        items.append(
            ReadingItem(
                user_id=user.pk,
                article=article,
                due=due_of.get(article_id),
                state=state,
                acknowledged_version=ack[0] if ack else None,
                acknowledged_at=ack[1] if ack else None,
                assignment_ids=assignments_of.get(article_id, []),
                notes=notes_of.get(article_id, []),
                quiz_pending=quiz_pending,
            )
        )
    items.sort(key=lambda i: (STATE_ORDER[i.state], i.due or date.max, i.article.title))
    return items


def _assigned_rows(*, user_id: int) -> QuerySet[Any, Any]:
    """(article, article through its reading list, due) for every assignment covering the user."""
    return (
        assignments_covering(user_id)
        .order_by()
        .values_list("article_id", "reading_list__items__article_id", "due")
    )


def _acknowledged_rows(*, user_id: int) -> QuerySet[Any, Any]:
    """Per article the user acknowledged: the latest version acknowledged and the newest material
    publication up to the published version (NULL if none)."""
    material = Q(
        article__publications__material=True,
        article__publications__version__lte=F("article__published_version"),
    )
    return (
        Acknowledgment.objects.filter(user_id=user_id)
        .order_by()
        .values("article_id")
        .annotate(latest=Max("version"), newest=Max("article__publications__version", filter=material))
        .values_list("article_id", "latest", "newest")
    )


# The banner runs on every page: both are compiled once per process (kb.lib.statements; building
# them cost ~1 ms of Python per page, running them ~0.1 ms). They hold training facts keyed by the
# user's id only; which of the articles they name the user may read is asked of kb.articles.access
# for the real user on every call (attention_counts).
_ASSIGNED = Statement(_assigned_rows, user_id=int)
_ACKNOWLEDGED = Statement(_acknowledged_rows, user_id=int)


def _attention_facts(*, user_id: int, today: date) -> dict[int, tuple[int | None, bool]]:
    """Article id → (latest acknowledged version or None, past due) for the articles whose training
    facts ask the user for (re-)acknowledgment: assigned and never acknowledged, or acknowledged
    before a material publication. Says nothing about visibility.

    Starts from the person's own assignments and acknowledgments (two small indexed queries) instead
    of testing every article: the article-wide form cost PostgreSQL ~2.5 ms per page at 300
    articles, growing with the catalogue (docs/reliability.md §7).
    """
    late: dict[int, bool] = {}
    for direct, via_list, due in _ASSIGNED.rows(user_id=user_id):
        for article_id in (direct, via_list):
            if article_id is not None:
                late[article_id] = late.get(article_id, False) or due < today
    facts: dict[int, tuple[int | None, bool]] = {aid: (None, is_late) for aid, is_late in late.items()}
    for article_id, latest, newest in _ACKNOWLEDGED.rows(user_id=user_id):
        if newest is not None and newest > latest:  # to read again
            facts[article_id] = (latest, late.get(article_id, False))
        else:  # acknowledged and unchanged since: nothing to do
            facts.pop(article_id, None)
    return facts


def attention_counts(user: User, *, today: date | None = None) -> dict[str, int]:
    """How many readable articles need the user's (re-)acknowledgment, for the banner.

    ``pending``: assigned and never acknowledged; ``overdue``: of those, past due;
    ``reack``: acknowledged before a material publication. Agrees with ``my_reading`` (tested).
    Which of them the user may read is asked of ``access.readable_published_articles`` for the real
    user, over the few articles the facts name (no query when they name none).
    """
    counts = {"pending": 0, "overdue": 0, "reack": 0}
    if user is None or not getattr(user, "is_authenticated", False):
        return counts
    facts = _attention_facts(user_id=user.pk, today=today or training_today())
    if not facts:
        return counts
    readable = access.readable_published_articles(user).filter(pk__in=facts).values_list("pk", flat=True)
    for article_id in readable:
        acked, late = facts[article_id]
        if acked is None:
            counts["pending"] += 1
            counts["overdue"] += int(late)
        else:
            counts["reack"] += 1
    return counts


def _panel_facts(*, user_id: int, article_id: int) -> QuerySet[Article, Any]:
    latest = Acknowledgment.objects.filter(user_id=user_id, article_id=OuterRef("pk")).order_by("-version")
    due = (
        assignments_covering(user_id)
        .filter(Q(article_id=OuterRef("pk")) | Q(reading_list__items__article_id=OuterRef("pk")))
        .order_by("due")
        .values("due")[:1]
    )
    return (
        Article.objects.filter(pk=article_id)
        .annotate(
            ack_id=Subquery(latest.values("pk")[:1]),
            ack_version=Subquery(latest.values("version")[:1]),
            ack_at=Subquery(latest.values("created_at")[:1]),
            due_on=Subquery(due),
            has_quiz=Exists(Quiz.objects.filter(article_id=OuterRef("pk"))),
        )
        .order_by()
        .values_list("ack_id", "ack_version", "ack_at", "due_on", "has_quiz")
    )


# The acknowledge panel beside every published article: one statement, compiled once per process.
_PANEL_FACTS = Statement(_panel_facts, user_id=int, article_id=int)


@dataclass
class PanelFacts:
    """What the acknowledge panel needs about one (person, article)."""

    ack: Acknowledgment | None
    due: date | None  # earliest due date among the assignments covering the person and article
    has_quiz: bool


def panel_facts(user: User, article: Article) -> PanelFacts:
    """The person's latest acknowledgment of ``article``, their earliest due date for it, and whether
    it has a quiz, in one query. The caller has checked that ``article`` is readable."""
    rows = _PANEL_FACTS.values(user_id=user.pk, article_id=article.pk)
    if not rows:
        return PanelFacts(ack=None, due=None, has_quiz=False)
    ack_id, version, at, due, quiz = rows[0]
    ack = None
    if ack_id is not None:
        ack = Acknowledgment(
            id=ack_id, user_id=user.pk, article_id=article.pk, version=version, created_at=at
        )
    return PanelFacts(ack=ack, due=due, has_quiz=bool(quiz))


def all_open_items(*, today: date | None = None) -> dict[int, list[ReadingItem]]:
    """Per person: items not done (todo, overdue, reack), for reminders. Each person's own reading
    rules apply (``my_reading``), so what a reminder lists is exactly what their page shows."""
    today = today or training_today()
    out: dict[int, list[ReadingItem]] = {}
    team_members = User.teams.through.objects.filter(
        team_id__in=Assignment.objects.filter(team__isnull=False).values("team_id")
    ).values("user_id")
    candidates = User.objects.filter(is_active=True).filter(
        Q(pk__in=Assignment.objects.filter(user__isnull=False).values("user_id"))
        | Q(pk__in=team_members)
        | Q(pk__in=Acknowledgment.objects.values("user_id"))
    )
    for person in candidates.order_by("username"):
        items = [i for i in my_reading(person, today=today) if i.state != DONE]
        if items:
            out[person.pk] = items
    return out
