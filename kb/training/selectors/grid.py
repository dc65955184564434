"""Many people × many articles: the trainer's grids and assignment progress (constant queries)."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from accounts.models import Team, User
from kb.articles import access
from kb.articles.models import Article
from kb.training.models import Assignment, ReadingList
from kb.training.selectors.facts import (
    _assignment_scope,
    _latest_acks,
    _material_versions,
    _passed_quizzes,
)
from kb.training.selectors.lists import list_articles
from kb.training.selectors.rules import (
    DONE,
    OVERDUE,
    REACK,
    ReadingItem,
    reack_threshold,
    state_for,
    training_today,
)

# One cell of the grid before it is needed as an object: (state, acknowledged, due, assignment ids,
# quiz pending). 20,000 of these are cheap; ReadingItems are only built for the rows shown.
Cell = tuple[str, "int | None", date, list[int], bool]
# What covers one (person, article): earliest due date, assignment ids, whether a quiz is required.
Cover = tuple[date, list[int], bool]


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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector while a grid is built.

    A 500 × 40 grid allocates some 50,000 small tuples and dicts in one go; each burst of allocations
    triggers collections that walk the whole process heap, and those took about half the time of
    building the grid (measured: 375 → 168 ms p50 on a busy machine). Nothing built here forms a cycle, so
    nothing is left for the collector; it runs as usual afterwards. Only re-enabled if it was on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    with _collector_paused():
        return _build_grid(viewer, assignments, people_ids, only_people, today)


def _build_grid(
    viewer: User,
    assignments: Sequence[Assignment],
    people_ids: Iterable[int] | None,
    only_people: Iterable[int] | None,
    today: date | None,
) -> Grid:
    today = today or training_today()
    articles_of, people_of = _assignment_scope(assignments)
    order = list(dict.fromkeys(aid for a in assignments for aid in articles_of[a.pk]))
    readable = {
        a.pk: a
        for a in access.readable_published_articles(viewer)
        .filter(pk__in=order)
        .only("id", "slug", "title", "kind", "published_version", "status")
    }
    columns = [readable[i] for i in order if i in readable]
    column_of = {a.pk: j for j, a in enumerate(columns)}
    article_teams: dict[int, set[int]] = defaultdict(set)
    if columns:
        for article_id, team_id in Article.teams.through.objects.filter(article_id__in=readable).values_list(
            "article_id", "team_id"
        ):
            article_teams[article_id].add(team_id)

    # Who is covered by which assignments. People covered by the same assignments share one row of
    # covers (a team of 500 under one assignment is one computation, not 20,000).
    everyone: set[int] = set(people_ids or ())
    covered_by: dict[int, list[int]] = defaultdict(list)
    for i, a in enumerate(assignments):
        for user_id in people_of[a.pk]:
            covered_by[user_id].append(i)
        everyone |= people_of[a.pk]
    if only_people is not None:
        everyone &= set(only_people)
    covers: dict[tuple[int, ...], list[Cover | None]] = {}

    def covers_for(indexes: tuple[int, ...]) -> list[Cover | None]:
        """Per column: (earliest due, assignment ids, quiz required) over these assignments."""
        row: list[Cover | None] = [None] * len(columns)
        for i in indexes:
            a = assignments[i]
            for article_id in articles_of[a.pk]:
                j = column_of.get(article_id)
                if j is None:
                    continue
                cur = row[j]
                if cur is None:
                    row[j] = (a.due, [a.pk], a.requires_quiz)
                elif a.pk not in cur[1]:
                    row[j] = (min(cur[0], a.due), [*cur[1], a.pk], cur[2] or a.requires_quiz)
        return row

    people = (
        list(
            User.objects.filter(pk__in=everyone, is_active=True)
            .only("id", "username", "first_name", "last_name")
            .order_by("username")
        )
        if everyone
        else []
    )
    cover_of_person: dict[int, list[Cover | None]] = {}
    for person in people:
        key = tuple(covered_by.get(person.pk, ()))
        if key not in covers:
            covers[key] = covers_for(key)
        cover_of_person[person.pk] = covers[key]
    person_teams: dict[int, set[int]] = defaultdict(set)
    if people and article_teams:
        for user_id, team_id in User.teams.through.objects.filter(user_id__in=everyone).values_list(
            "user_id", "team_id"
        ):
            person_teams[user_id].add(team_id)
    user_ids = [p.pk for p in people]
    acks = _latest_acks(user_ids, readable)
    materials = _material_versions(readable)
    quiz_columns = {
        columns[j].pk for row in covers.values() for j, c in enumerate(row) if c is not None and c[2]
    }
    quiz_people = {pid for pid, row in cover_of_person.items() if any(c is not None and c[2] for c in row)}
    passed = _passed_quizzes(quiz_people, quiz_columns) if quiz_columns else set()
    cols = [
        (
            a.pk,
            reack_threshold(int(a.published_version or 0), materials.get(a.pk, ())),
            article_teams.get(a.pk),
        )
        for a in columns
    ]
    rows = []
    for person in people:
        pid = person.pk
        teams_of_person = person_teams[pid]
        raw: list[Cell | None] = []
        for (aid, threshold, restricted), cover in zip(cols, cover_of_person[pid], strict=True):
            if cover is None or (restricted and not (restricted & teams_of_person)):
                raw.append(None)
                continue
            key = (pid, aid)
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
