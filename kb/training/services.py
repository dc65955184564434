"""Training use cases: reading lists, assignments, acknowledgments and quizzes.

One function per use case, shared by the pages, the API, commands, the demo and tests. Each owns
its transaction: a refused call saves nothing. Only trainers and admins manage lists and
assignments (CONTRACT §3); everyone may acknowledge what they can read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.audit import record_event
from accounts.models import Team, User
from kb.articles.access import readable_published_articles
from kb.articles.models import Article
from kb.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from kb.lib.validation import clean_text
from kb.training.models import (
    Acknowledgment,
    Assignment,
    Quiz,
    QuizAttempt,
    QuizQuestion,
    ReadingList,
    ReadingListItem,
)
from kb.training.selectors import training_today

TITLE_MAX = 200
DESCRIPTION_MAX = 5_000
NOTE_MAX = 2_000
LIST_MAX_ARTICLES = 200


class InvalidFields(InvalidInput):
    """Several fields wrong at once: every one is named, as DRF's 400 shape does."""

    def __init__(self, errors: dict[str, list[str]]):
        first = next(iter(errors))
        super().__init__(errors[first][0], field=first)
        self.errors = errors

    def as_payload(self) -> dict[str, Any]:
        return dict(self.errors)


def _require_trainer(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_trainer:
        raise NotAllowed("Only trainers and admins manage reading lists and assignments.")


def _clean_text(value: Any, *, field: str, max_len: int, required: bool = False) -> str:
    return clean_text(value, field=field, max_len=max_len, required=required, single_line=field == "title")


def _article_id(value: Any, *, field: str) -> int:
    if isinstance(value, bool):
        raise InvalidInput(f"Not an article id: {value!r}.", field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"Not an article id: {str(value)[:40]!r}.", field=field) from None
    if number < 1:
        raise InvalidInput(f"Not an article id: {number}.", field=field)
    return number


def _resolve_articles(actor: User, raw: Any) -> list[Article]:
    """Article ids → articles the actor may read as published, in order; unknown ones named (400)."""
    if raw is None:
        return []
    if not isinstance(raw, list | tuple):
        raise InvalidInput("A list of article ids, in reading order.", field="articles")
    ids = [_article_id(v, field="articles") for v in raw]
    if len(ids) > LIST_MAX_ARTICLES:
        raise InvalidInput(f"At most {LIST_MAX_ARTICLES} articles in a list.", field="articles")
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InvalidInput(f"Listed twice: {', '.join(map(str, dupes))}.", field="articles")
    found = {a.pk: a for a in readable_published_articles(actor).filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        # Hidden and missing articles get the same answer: nothing about them leaks.
        raise InvalidInput(
            f"Unknown or unpublished article: {', '.join(map(str, missing[:10]))}.", field="articles"
        )
    return [found[i] for i in ids]


def _set_items(reading_list: ReadingList, articles: Sequence[Article], *, keep_hidden_from: User) -> None:
    """Replace the list's order with ``articles``; items the editor cannot see stay, after them."""
    visible = set(readable_published_articles(keep_hidden_from).values_list("pk", flat=True))
    hidden = [
        i.article_id
        for i in reading_list.items.order_by("position", "id")
        if i.article_id not in visible and i.article_id not in {a.pk for a in articles}
    ]
    reading_list.items.all().delete()
    ReadingListItem.objects.bulk_create(
        [
            ReadingListItem(reading_list=reading_list, article_id=article_id, position=pos)
            for pos, article_id in enumerate([*(a.pk for a in articles), *hidden], start=1)
        ]
    )


@transaction.atomic
def create_reading_list(
    *, actor: User, title: Any, description: Any = "", articles: Any = None
) -> ReadingList:
    """A new ordered reading list; every article must be readable by the trainer and published."""
    _require_trainer(actor)
    title = _clean_text(title, field="title", max_len=TITLE_MAX, required=True)
    description = _clean_text(description, field="description", max_len=DESCRIPTION_MAX)
    article_list = _resolve_articles(actor, articles)
    reading_list = ReadingList.objects.create(title=title, description=description, created_by=actor)
    _set_items(reading_list, article_list, keep_hidden_from=actor)
    return reading_list


@transaction.atomic
def update_reading_list(*, actor: User, reading_list: ReadingList, **changes: Any) -> ReadingList:
    """Change title, description and/or the article order (a full list of ids replaces the order).

    Articles the trainer cannot see (added by a trainer of another team) are kept after the others:
    one trainer never silently drops what another one added.
    """
    _require_trainer(actor)
    unknown = set(changes) - {"title", "description", "articles"}
    if unknown:
        raise InvalidInput(f"Unknown field: {', '.join(sorted(unknown))}.")
    locked = ReadingList.objects.select_for_update().get(pk=reading_list.pk)
    fields = ["updated_at"]
    if "title" in changes:
        locked.title = _clean_text(changes["title"], field="title", max_len=TITLE_MAX, required=True)
        fields.append("title")
    if "description" in changes:
        locked.description = _clean_text(changes["description"], field="description", max_len=DESCRIPTION_MAX)
        fields.append("description")
    if "articles" in changes:
        _set_items(locked, _resolve_articles(actor, changes["articles"]), keep_hidden_from=actor)
    locked.updated_at = timezone.now()
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def delete_reading_list(*, actor: User, reading_list: ReadingList) -> None:
    """Delete a list that nobody is assigned; a list in use answers 409 (delete its assignments first)."""
    _require_trainer(actor)
    used = reading_list.assignments.count()
    if used:
        raise Conflict(
            f"This list has {used} assignment{'s' if used != 1 else ''}: delete them first "
            "so nobody's progress disappears by accident."
        )
    reading_list.delete()


def _parse_due(value: Any, *, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        due = value
    elif isinstance(value, str) and value.strip():
        try:
            due = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput("A date as YYYY-MM-DD.", field="due") from None
    else:
        raise InvalidInput("This field is required (YYYY-MM-DD).", field="due")
    if due < today:
        raise InvalidInput(f"The due date {due.isoformat()} is in the past (today is {today}).", field="due")
    return due


@transaction.atomic
def create_assignment(
    *,
    actor: User,
    reading_list: Any = None,
    article: Any = None,
    user: Any = None,
    team: Any = None,
    due: Any = None,
    note: Any = "",
    requires_quiz: bool = False,
    today: dt.date | None = None,
) -> Assignment:
    """Assign a reading list or one article to a person (username) or a team (name) by ``due``.

    Every problem is reported at once, by field; nothing is saved unless everything is right.
    A trainer may only assign articles they can read themselves; an unknown or hidden one is a 400
    that does not say which of the two it is.
    """
    _require_trainer(actor)
    today = today or training_today()
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    has_list = reading_list not in (None, "")
    has_article = article not in (None, "")
    if has_list == has_article:
        fail("non_field_errors", "Assign either a reading list or an article (one of the two).")
    has_user = user not in (None, "")
    has_team = team not in (None, "")
    if has_user == has_team:
        fail("non_field_errors", "Assign to either a person or a team (one of the two).")

    list_obj: ReadingList | None = None
    article_obj: Article | None = None
    user_obj: User | None = None
    team_obj: Team | None = None
    if has_list:
        list_obj = reading_list if isinstance(reading_list, ReadingList) else None
        if list_obj is None:
            try:
                list_obj = ReadingList.objects.filter(pk=int(reading_list)).first()
            except (TypeError, ValueError):
                list_obj = None
        if list_obj is None:
            fail("reading_list", f"Unknown reading list: {str(reading_list)[:40]}.")
    if has_article:
        article_id = article.pk if isinstance(article, Article) else None
        if article_id is None:
            try:
                article_id = int(article)
            except (TypeError, ValueError):
                article_id = None
        article_obj = readable_published_articles(actor).filter(pk=article_id).first() if article_id else None
        if article_obj is None:
            fail("article", f"Unknown or unpublished article: {str(article_id or article)[:40]}.")
    if has_user:
        user_obj = user if isinstance(user, User) else User.objects.filter(username=str(user)).first()
        if user_obj is None or not user_obj.is_active:
            fail("user", f"Unknown user: {str(user)[:150]}.")
    if has_team:
        team_obj = team if isinstance(team, Team) else Team.objects.filter(name=str(team)).first()
        if team_obj is None:
            fail("team", f"Unknown team: {str(team)[:100]}.")
    try:
        due_date = _parse_due(due, today=today)
    except InvalidInput as exc:
        fail("due", exc.message)
    try:
        note_text = _clean_text(note, field="note", max_len=NOTE_MAX)
    except InvalidInput as exc:
        fail("note", exc.message)
    if (
        list_obj is not None
        and not errors.get("reading_list")
        and not list_obj.items.filter(article__in=readable_published_articles(actor)).exists()
    ):
        fail("reading_list", "This reading list has no article you can assign.")
    if (
        article_obj is not None
        and user_obj is not None
        and not errors
        and not readable_published_articles(user_obj).filter(pk=article_obj.pk).exists()
    ):
        fail("user", f"{user_obj.username} cannot read this article (it is restricted to other teams).")
    if requires_quiz and article_obj is not None and not Quiz.objects.filter(article=article_obj).exists():
        fail("requires_quiz", "This article has no quiz yet.")
    if errors:
        raise InvalidFields(errors)
    assignment = Assignment.objects.create(
        reading_list=list_obj,
        article=article_obj,
        user=user_obj,
        team=team_obj,
        due=due_date,
        note=note_text,
        requires_quiz=bool(requires_quiz),
        created_by=actor,
    )
    record_event(
        "training_assign",
        actor=actor,
        target=f"assignment:{assignment.pk}",
        detail=f"{assignment.target_label[:150]} -> {assignment.assignee_label} due {due_date}",
    )
    return assignment


@transaction.atomic
def delete_assignment(*, actor: User, assignment: Assignment) -> None:
    """Withdraw an assignment; acknowledgments stay (they are facts about reading, not about tasks)."""
    _require_trainer(actor)
    record_event("training_unassign", actor=actor, target=f"assignment:{assignment.pk}")
    assignment.delete()


def acknowledge_article(*, user: User, article_id: Any, version: Any) -> tuple[Acknowledgment, bool]:
    """Record that ``user`` read and understood the published ``version``. Returns (ack, created).

    404 when the user may not read the article (or it does not exist); 409 unless ``version`` is the
    version readers see now; acknowledging the same version twice keeps the first record.
    """
    try:
        pk = int(article_id)
    except (TypeError, ValueError):
        raise NotFound("No such article.") from None
    article = readable_published_articles(user).filter(pk=pk).first()
    if article is None:
        raise NotFound("No such article.")
    if version is None or version == "" or isinstance(version, bool):
        raise InvalidInput("The version you read is required.", field="version")
    try:
        number = int(version)
    except (TypeError, ValueError):
        raise InvalidInput("A version number.", field="version") from None
    if number != article.published_version:
        raise Conflict(
            f"Version {number} is not the published version (version {article.published_version} is): "
            "read the published version and acknowledge that one.",
            extra={"published_version": article.published_version},
        )
    try:
        with transaction.atomic():
            return Acknowledgment.objects.get_or_create(user=user, article=article, version=number)
    except IntegrityError:
        # Two clicks at once: the other request recorded it.
        return Acknowledgment.objects.get(user=user, article=article, version=number), False


# ---------------------------------------------------------------------------------------------
# quizzes


@transaction.atomic
def set_quiz(*, actor: User, article_id: Any, questions: Any, pass_mark: Any = 80) -> Quiz:
    """Create or replace the quiz of an article the trainer can read.

    ``questions``: [{"text", "choices": [2–6 strings], "correct": index}], 1–20 of them.
    """
    _require_trainer(actor)
    article = readable_published_articles(actor).filter(pk=_article_id(article_id, field="article")).first()
    if article is None:
        raise InvalidInput("Unknown or unpublished article.", field="article")
    try:
        mark = int(pass_mark)
    except (TypeError, ValueError):
        raise InvalidInput("A percentage from 1 to 100.", field="pass_mark") from None
    if not 1 <= mark <= 100:
        raise InvalidInput("A percentage from 1 to 100.", field="pass_mark")
    if not isinstance(questions, list) or not 1 <= len(questions) <= 20:
        raise InvalidInput("From 1 to 20 questions.", field="questions")
    clean = []
    for n, q in enumerate(questions, start=1):
        if not isinstance(q, dict):
            raise InvalidInput(f"Question {n}: an object with text, choices and correct.", field="questions")
        text = _clean_text(q.get("text"), field="questions", max_len=1_000, required=True)
        choices = q.get("choices")
        if (
            not isinstance(choices, list)
            or not 2 <= len(choices) <= 6
            or not all(isinstance(c, str) and c.strip() for c in choices)
        ):
            raise InvalidInput(f"Question {n}: 2 to 6 non-empty choices.", field="questions")
        correct = q.get("correct")
        if not isinstance(correct, int) or isinstance(correct, bool) or not 0 <= correct < len(choices):
            raise InvalidInput(
                f"Question {n}: 'correct' is the index of the right choice.", field="questions"
            )
        clean.append((text, [c.strip()[:500] for c in choices], correct))
    quiz, _ = Quiz.objects.update_or_create(
        article=article, defaults={"pass_mark": mark, "created_by": actor}
    )
    quiz.questions.all().delete()
    QuizQuestion.objects.bulk_create(
        [
            QuizQuestion(quiz=quiz, position=pos, text=text, choices=choices, correct=correct)
            for pos, (text, choices, correct) in enumerate(clean, start=1)
        ]
    )
    return quiz


@transaction.atomic
def attempt_quiz(*, user: User, article_id: Any, answers: Any) -> QuizAttempt:
    """Score one attempt (answers: one choice index per question, in order) and record it."""
    try:
        pk = int(article_id)
    except (TypeError, ValueError):
        raise NotFound("No such article.") from None
    article = readable_published_articles(user).filter(pk=pk).first()
    quiz = Quiz.objects.filter(article=article).first() if article else None
    if quiz is None:
        raise NotFound("No quiz for this article.")
    questions = list(quiz.questions.all())
    if not isinstance(answers, list) or len(answers) != len(questions):
        raise InvalidInput(f"One answer per question ({len(questions)}).", field="answers")
    picked: list[int | None] = []
    for a in answers:
        if a is None or a == "":
            picked.append(None)
            continue
        try:
            picked.append(int(a))
        except (TypeError, ValueError):
            raise InvalidInput("Each answer is the index of a choice.", field="answers") from None
    right = sum(1 for q, a in zip(questions, picked, strict=True) if a == q.correct)
    score = round(100 * right / len(questions))
    return QuizAttempt.objects.create(
        quiz=quiz, user=user, answers=picked, score=score, passed=score >= quiz.pass_mark
    )
