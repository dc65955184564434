"""Reads for training: who must read what, and in which state each (person, article) item is.

Nothing about progress is stored. An item's state is computed from four facts read in bulk:
the assignments (team assignments resolved against the team's members *now*), the person's latest
acknowledgment of the article, the article's material publications and the due date. The rules
(docs/training.md):

- ``done``: the person acknowledged the published version, or an earlier version and no *material*
  publication with a version above theirs (and up to the published one) happened since;
- ``reack``: they acknowledged an earlier version and a material publication came after it;
- ``overdue``: not acknowledged at all and the due date is before today (``settings.TIME_ZONE``);
- ``todo``: everything else.

Every grid here takes a constant number of queries whatever the number of people or articles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connections
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team, User
from kb.articles import access
from kb.articles.models import Article, Publication
from kb.lib.statements import Statement
from kb.training.models import (
    Acknowledgment,
    Assignment,
    Quiz,
    QuizAttempt,
    ReadingList,
    ReadingListItem,
)

TODO, DONE, OVERDUE, REACK = "todo", "done", "overdue", "reack"
STATE_LABELS = {TODO: "To do", DONE: "Done", OVERDUE: "Overdue", REACK: "Read again"}
# Order on "My reading": what needs attention first.
STATE_ORDER = {REACK: 0, OVERDUE: 1, TODO: 2, DONE: 3}
REMINDER_WINDOW_DAYS = 2


def training_today() -> date:
    """Today in ``settings.TIME_ZONE``: due dates are calendar days there."""
    return timezone.localdate()


def reack_threshold(published: int, material_versions: Iterable[int]) -> int:
    """The highest material version readers can see now (0 if none): acknowledging anything below
    it means the person must read again."""
    return max((m for m in material_versions if m <= published), default=0)


def needs_reack(acknowledged: int, published: int, material_versions: Iterable[int]) -> bool:
    """True when a material publication lies after the acknowledged version, up to the published one."""
    return acknowledged < reack_threshold(published, material_versions)


def state_for(
    acknowledged: int | None, threshold: int, due: date | None, today: date, quiz_pending: bool = False
) -> str:
    """THE rule (see the module docstring), given the article's ``reack_threshold``."""
    if acknowledged is not None:
        if acknowledged < threshold:
            return REACK
        if not quiz_pending:
            return DONE
    if due is not None and due < today:
        return OVERDUE
    return TODO


def item_state(
    *,
    acknowledged: int | None,
    published: int,
    material_versions: Iterable[int],
    due: date | None,
    today: date,
    quiz_pending: bool = False,
) -> str:
    """The state of one (person, article) item; see the module docstring."""
    return state_for(acknowledged, reack_threshold(published, material_versions), due, today, quiz_pending)


@dataclass(slots=True)
class ReadingItem:
    """One article one person must (re-)read, with its computed state."""

    user_id: int
    article: Article
    due: date | None
    state: str
    acknowledged_version: int | None = None
    acknowledged_at: datetime | None = None
    assignment_ids: Sequence[int] = ()
    notes: Sequence[str] = ()
    quiz_pending: bool = False
    changes: list[dict[str, Any]] | None = None  # the re-read diff, filled in by the My reading page

    @property
    def published_version(self) -> int:
        return int(self.article.published_version or 0)

    @property
    def needs_reack(self) -> bool:
        return self.state == REACK

    @property
    def is_done(self) -> bool:
        return self.state == DONE

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def diff_url(self) -> str | None:
        """What changed since the version this person acknowledged (only for re-reading)."""
        if self.state != REACK or self.acknowledged_version is None:
            return None
        return (
            reverse("articles:diff", args=[self.article.slug])
            + f"?from={self.acknowledged_version}&to={self.published_version}"
        )


# ---------------------------------------------------------------------------------------------
# bulk facts


def _material_versions(article_ids: Iterable[int]) -> dict[int, list[int]]:
    """Versions published as material changes, per article (one query)."""
    out: dict[int, list[int]] = defaultdict(list)
    ids = list(set(article_ids))
    if not ids:
        return out
    for article_id, version in Publication.objects.filter(article_id__in=ids, material=True).values_list(
        "article_id", "version"
    ):
        out[article_id].append(version)
    return out


def _latest_acks(user_ids: Iterable[int], article_ids: Iterable[int]) -> dict[tuple[int, int], int]:
    """(user, article) → highest acknowledged version (one query, aggregated in the database)."""
    ids, users = list(set(article_ids)), list(set(user_ids))
    if not ids or not users:
        return {}
    rows = (
        Acknowledgment.objects.filter(article_id__in=ids, user_id__in=users)
        .values("user_id", "article_id")
        .annotate(top=Max("version"))
        .values_list("user_id", "article_id", "top")
        .order_by()
    )
    # Executed on a plain cursor: Django's per-row converters cost more than the query for 20,000 rows.
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return {(u, a): v for u, a, v in cursor.fetchall()}


def _passed_quizzes(user_ids: Iterable[int], article_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(user, article) pairs whose quiz the person passed at least once (one query)."""
    ids, users = list(set(article_ids)), list(set(user_ids))
    if not ids or not users:
        return set()
    return set(
        QuizAttempt.objects.filter(passed=True, quiz__article_id__in=ids, user_id__in=users).values_list(
            "user_id", "quiz__article_id"
        )
    )


def _assignment_scope(
    assignments: Sequence[Assignment],
) -> tuple[dict[int, list[int]], dict[int, set[int]]]:
    """Articles (in list order) and covered people of each assignment (two queries at most).

    Team assignments are resolved against the team's active members now: joining later covers a
    person, leaving uncovers them.
    """
    list_ids = {a.reading_list_id for a in assignments if a.reading_list_id}
    list_articles: dict[int, list[int]] = defaultdict(list)
    if list_ids:
        for list_id, article_id in (
            ReadingListItem.objects.filter(reading_list_id__in=list_ids)
            .order_by("reading_list_id", "position", "id")
            .values_list("reading_list_id", "article_id")
        ):
            list_articles[list_id].append(article_id)
    team_ids = {a.team_id for a in assignments if a.team_id}
    members: dict[int, set[int]] = defaultdict(set)
    if team_ids:
        for team_id, user_id in User.teams.through.objects.filter(
            team_id__in=team_ids, user__is_active=True
        ).values_list("team_id", "user_id"):
            members[team_id].add(user_id)
    articles_of = {
        a.pk: (list(list_articles[a.reading_list_id]) if a.reading_list_id else [a.article_id])
        for a in assignments
    }
    people_of = {a.pk: (set(members[a.team_id]) if a.team_id else {a.user_id}) for a in assignments}
    return articles_of, people_of  # type: ignore[return-value]


def covering_assignments(user: User) -> QuerySet[Assignment]:
    """Assignments that cover ``user``: to them, or to a team they are in now."""
    return assignments_covering(user.pk)


def assignments_covering(user_id: int) -> QuerySet[Assignment]:
    """``covering_assignments`` by id, for the compiled statements below (no User object needed)."""
    team_ids = User.teams.through.objects.filter(user_id=user_id).values("team_id")
    return Assignment.objects.filter(Q(user_id=user_id) | Q(team_id__in=team_ids))


# ---------------------------------------------------------------------------------------------
# one person


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


def _attention_facts(*, user_id: int, today: date) -> QuerySet[Article, Any]:
    """Articles whose training facts ask the user for (re-)acknowledgment: assigned and never
    acknowledged, or acknowledged before a material publication. Says nothing about visibility."""
    covering = assignments_covering(user_id)
    direct = covering.filter(article_id=OuterRef("pk"))
    via_list = covering.filter(reading_list__items__article_id=OuterRef("pk"))
    latest = (
        Acknowledgment.objects.filter(user_id=user_id, article_id=OuterRef("pk"))
        .order_by("-version")
        .values("version")[:1]
    )
    material_after = Publication.objects.filter(
        article_id=OuterRef("pk"),
        material=True,
        version__gt=OuterRef("acked"),
        version__lte=OuterRef("published_version"),
    )
    return (
        Article.objects.annotate(
            acked=Subquery(latest),
            late_direct=Exists(direct.filter(due__lt=today)),
            late_list=Exists(via_list.filter(due__lt=today)),
        )
        .filter(
            (Q(acked__isnull=True) & (Q(Exists(direct)) | Q(Exists(via_list))))
            | (Q(acked__isnull=False) & Q(Exists(material_after)))
        )
        .order_by()
        .values_list("pk", "acked", "late_direct", "late_list")
    )


# The banner runs on every page. Building this queryset costs ~20 ms of Python (measured), running it
# well under 1 ms, so it is compiled once per process (kb.lib.statements). It holds training facts
# only, keyed by the user's id and the day; which of its articles the user may read is asked of
# access.readable_published_articles for the real user on every call (attention_counts), so a change
# to the visibility rule reaches the banner at once.
_ATTENTION = Statement(_attention_facts, user_id=int, today=date)


def attention_counts(user: User, *, today: date | None = None) -> dict[str, int]:
    """How many readable articles need the user's (re-)acknowledgment, for the banner.

    ``pending``: assigned and never acknowledged; ``overdue``: of those, past due;
    ``reack``: acknowledged before a material publication. Agrees with ``my_reading`` (tested).
    One query when nothing needs attention (most pages), two otherwise: the training facts, then
    the visibility rule for the real user over the few articles they name.
    """
    counts = {"pending": 0, "overdue": 0, "reack": 0}
    if user is None or not getattr(user, "is_authenticated", False):
        return counts
    facts = {
        article_id: (acked, late_direct, late_list)
        for article_id, acked, late_direct, late_list in _ATTENTION.rows(
            user_id=user.pk, today=today or training_today()
        )
    }
    if not facts:
        return counts
    readable = access.readable_published_articles(user).filter(pk__in=facts).values_list("pk", flat=True)
    for article_id in readable:
        acked, late_direct, late_list = facts[article_id]
        if acked is None:
            counts["pending"] += 1
            counts["overdue"] += int(bool(late_direct or late_list))
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


# ---------------------------------------------------------------------------------------------
# many people × many articles (trainer views)


# One cell of the grid before it is needed as an object: (state, acknowledged, due, assignment ids,
# quiz pending). 20,000 of these are cheap; ReadingItems are only built for the rows shown.
Cell = tuple[str, "int | None", date, list[int], bool]


class GridRow:
    """One person's row: raw cells (None = not assigned / not readable) and their counts."""

    __slots__ = ("_items", "articles", "done", "overdue", "person", "raw", "reack", "total")

    def __init__(self, person: User, articles: list[Article], raw: list[Cell | None]):
        self.person = person
        self.articles = articles
        self.raw = raw
        self._items: list[ReadingItem | None] | None = None
        self.total = self.done = self.overdue = self.reack = 0
        for cell in raw:
            if cell is None:
                continue
            self.total += 1
            state = cell[0]
            if state == DONE:
                self.done += 1
            elif state == OVERDUE:
                self.overdue += 1
            elif state == REACK:
                self.reack += 1

    @property
    def cells(self) -> list[ReadingItem | None]:
        if self._items is None:
            self._items = [
                None
                if c is None
                else ReadingItem(
                    user_id=self.person.pk,
                    article=article,
                    due=c[2],
                    state=c[0],
                    acknowledged_version=c[1],
                    assignment_ids=c[3],
                    quiz_pending=c[4],
                )
                for article, c in zip(self.articles, self.raw, strict=True)
            ]
        return self._items

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def items(self) -> list[ReadingItem]:
        return [c for c in self.cells if c is not None]


@dataclass
class Grid:
    """People × articles. A cell is None when the article is not assigned to (or not readable by)
    that person. ``total`` counts cells, ``done`` done cells, ``overdue`` overdue cells."""

    articles: list[Article]
    rows: list[GridRow]

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    @property
    def done(self) -> int:
        return sum(r.done for r in self.rows)

    @property
    def overdue(self) -> int:
        return sum(r.overdue for r in self.rows)

    @property
    def reack(self) -> int:
        return sum(r.reack for r in self.rows)


def build_grid(
    *,
    viewer: User,
    assignments: Sequence[Assignment],
    people_ids: Iterable[int] | None = None,
    only_people: Iterable[int] | None = None,
    today: date | None = None,
) -> Grid:
    """The grid for ``assignments`` as seen by ``viewer`` (constant number of queries).

    Columns: the assignments' articles the viewer may read (hidden ones never appear), in the order of
    the assignments and their lists. Rows: covered people plus ``people_ids`` (e.g. a whole team, even
    those with nothing assigned), optionally narrowed to ``only_people``. A cell exists when an
    assignment covers the person and the person may read the article (team restriction).
    """
    today = today or training_today()
    articles_of, people_of = _assignment_scope(assignments)
    order: list[int] = []
    for a in assignments:
        for article_id in articles_of[a.pk]:
            if article_id not in order:
                order.append(article_id)
    readable = {
        a.pk: a
        for a in access.readable_published_articles(viewer)
        .filter(pk__in=order)
        .only("id", "slug", "title", "kind", "published_version", "status")
    }
    columns = [readable[i] for i in order if i in readable]
    article_teams: dict[int, set[int]] = defaultdict(set)
    if columns:
        for article_id, team_id in Article.teams.through.objects.filter(article_id__in=readable).values_list(
            "article_id", "team_id"
        ):
            article_teams[article_id].add(team_id)

    coverage: dict[tuple[int, int], tuple[date, list[int], bool]] = {}
    everyone: set[int] = set(people_ids or ())
    for a in assignments:
        covered = people_of[a.pk]
        everyone |= covered
        for user_id in covered:
            for article_id in articles_of[a.pk]:
                if article_id not in readable:
                    continue
                key = (user_id, article_id)
                if key in coverage:
                    due, ids, quiz = coverage[key]
                    coverage[key] = (min(due, a.due), [*ids, a.pk], quiz or a.requires_quiz)
                else:
                    coverage[key] = (a.due, [a.pk], a.requires_quiz)
    if only_people is not None:
        everyone &= set(only_people)
    people = (
        list(User.objects.filter(pk__in=everyone, is_active=True).order_by("username")) if everyone else []
    )
    person_teams: dict[int, set[int]] = defaultdict(set)
    if people and article_teams:
        for user_id, team_id in User.teams.through.objects.filter(user_id__in=everyone).values_list(
            "user_id", "team_id"
        ):
            person_teams[user_id].add(team_id)
    user_ids = [p.pk for p in people]
    acks = _latest_acks(user_ids, readable)
    materials = _material_versions(readable)
    quiz_pairs = {k for k, v in coverage.items() if v[2]}
    passed = _passed_quizzes({u for u, _ in quiz_pairs}, {a for _, a in quiz_pairs}) if quiz_pairs else set()
    rows = []
    cols = [
        (
            a.pk,
            reack_threshold(int(a.published_version or 0), materials.get(a.pk, ())),
            article_teams.get(a.pk),
        )
        for a in columns
    ]
    for person in people:
        pid = person.pk
        teams_of_person = person_teams[pid]
        raw: list[Cell | None] = []
        for aid, threshold, restricted in cols:
            key = (pid, aid)
            cover = coverage.get(key)
            if cover is None or (restricted and not (restricted & teams_of_person)):
                raw.append(None)
                continue
            acked = acks.get(key)
            quiz_pending = cover[2] and key not in passed
            raw.append(
                (
                    state_for(acked, threshold, cover[0], today, quiz_pending),
                    acked,
                    cover[0],
                    cover[1],
                    quiz_pending,
                )
            )
        rows.append(GridRow(person, columns, raw))
    return Grid(articles=columns, rows=rows)


def visible_assignments(viewer: User) -> QuerySet[Assignment]:
    """Assignments a trainer/admin may manage: all list assignments, and article assignments whose
    article the viewer may read (others do not exist for them)."""
    readable = access.readable_published_articles(viewer).values("pk")
    return (
        Assignment.objects.filter(Q(reading_list__isnull=False) | Q(article_id__in=readable))
        .select_related("reading_list", "article", "user", "team", "created_by")
        .order_by("due", "id")
    )


def assignment_progress(
    *, viewer: User, assignment: Assignment, only_user: User | None = None, today: date | None = None
) -> Grid:
    """The grid of one assignment; ``only_user`` narrows it to one person (a reader's own view)."""
    return build_grid(
        viewer=viewer,
        assignments=[assignment],
        only_people=[only_user.pk] if only_user is not None else None,
        today=today,
    )


def team_grid(*, viewer: User, team: Team, today: date | None = None) -> Grid:
    """Every member of ``team`` × every article assigned to any of them (by any route)."""
    member_ids = list(User.objects.filter(teams=team, is_active=True).values_list("pk", flat=True))
    member_teams = User.teams.through.objects.filter(user_id__in=member_ids).values("team_id")
    assignments = list(
        visible_assignments(viewer).filter(Q(user_id__in=member_ids) | Q(team_id__in=member_teams))
    )
    return build_grid(
        viewer=viewer, assignments=assignments, people_ids=member_ids, only_people=member_ids, today=today
    )


def reading_list_grid(
    *, viewer: User, reading_list: ReadingList, team: Team | None = None, today: date | None = None
) -> Grid:
    """Everyone covered by an assignment of ``reading_list`` (optionally one team's members) ×
    the list's articles."""
    assignments = list(visible_assignments(viewer).filter(reading_list=reading_list))
    only = None
    if team is not None:
        only = list(User.objects.filter(teams=team).values_list("pk", flat=True))
    grid = build_grid(viewer=viewer, assignments=assignments, only_people=only, today=today)
    # Columns follow the list itself, even for articles no assignment covers yet.
    listed = list_articles(viewer, reading_list)
    by_id = {a.pk: i for i, a in enumerate(grid.articles)}
    if [a.pk for a in listed] != [a.pk for a in grid.articles]:
        rows = [
            GridRow(r.person, listed, [r.raw[by_id[a.pk]] if a.pk in by_id else None for a in listed])
            for r in grid.rows
        ]
        grid = Grid(articles=listed, rows=rows)
    return grid


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


# ---------------------------------------------------------------------------------------------
# reading lists


def reading_lists() -> QuerySet[ReadingList]:
    """Every reading list (lists are readable by all; their articles are filtered per reader)."""
    return (
        ReadingList.objects.select_related("created_by")
        .annotate(item_count=Count("items"))
        .order_by("title", "id")
    )


def list_articles(user: Any, reading_list: ReadingList) -> list[Article]:
    """The list's articles this user may read, in list order; hidden ones are simply absent."""
    ids = list(reading_list.items.order_by("position", "id").values_list("article_id", flat=True))
    found = {a.pk: a for a in access.readable_published_articles(user).filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def lists_articles(user: Any, lists: Sequence[ReadingList]) -> dict[int, list[Article]]:
    """``list_articles`` for many lists in two queries."""
    pairs = list(
        ReadingListItem.objects.filter(reading_list__in=lists)
        .order_by("reading_list_id", "position", "id")
        .values_list("reading_list_id", "article_id")
    )
    found = {a.pk: a for a in access.readable_published_articles(user).filter(pk__in={a for _, a in pairs})}
    out: dict[int, list[Article]] = {rl.pk: [] for rl in lists}
    for list_id, article_id in pairs:
        if article_id in found:
            out[list_id].append(found[article_id])
    return out
