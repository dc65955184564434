"""Bulk facts the rule needs, each read in one query whatever the number of people or articles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import connections
from django.db.models import Max, Q, QuerySet

from accounts.models import User
from kb.articles.models import Publication
from kb.training.models import Acknowledgment, Assignment, QuizAttempt, ReadingListItem


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
