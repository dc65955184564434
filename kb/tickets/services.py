"""Ticket, resolution, feedback and flag use cases, shared by the API, the pages, the demo and tests.

Every service validates its input itself (so the API, forms and commands give the same answers),
reads articles only through ``kb.articles.access`` and owns its transaction: nothing is half-saved.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from kb.articles import access
from kb.articles.access import readable_published_articles, visible_articles
from kb.articles.models import Article, Category, Publication
from kb.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from kb.lib.validation import clean_text
from kb.tickets.models import (
    CLOSED_STATUSES,
    EXTERNAL_ID_MAX,
    EXTERNAL_ID_RE,
    Feedback,
    Flag,
    FlagReason,
    FlagState,
    Outcome,
    Resolution,
    Ticket,
    TicketStatus,
)

SUBJECT_MAX = 500
COMMENT_MAX = 2_000
RESOLUTION_MAX = 2_000
_EXTERNAL_ID = re.compile(EXTERNAL_ID_RE)
_RETRIES = 5


# ---------------------------------------------------------------------------------------------
# input checks


def clean_external_id(value: Any, *, field: str = "external_id") -> str:
    """A ticket id as the contract allows it, or a 400 that says why (never truncated silently)."""
    if not isinstance(value, str) or value == "":
        raise InvalidInput("A ticket id is required.", field=field)
    if len(value) > EXTERNAL_ID_MAX:
        raise InvalidInput(
            f"A ticket id has at most {EXTERNAL_ID_MAX} characters (got {len(value):,}).", field=field
        )
    if not _EXTERNAL_ID.match(value):
        raise InvalidInput(
            f"Ticket id {value!r} may only contain letters, digits and '.', '_', ':', '-'.", field=field
        )
    return value


def _short(value: Any, limit: int = 80) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def resolve_category(code: Any, *, field: str = "category") -> Category:
    """The category with this exact code; unknown codes are never created (400 naming the code)."""
    if not isinstance(code, str) or not code.strip():
        raise InvalidInput("A category code is required.", field=field)
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise InvalidInput(f"Unknown category: {_short(code)!r}.", field=field)
    return category


def _clean_text(value: Any, *, field: str, max_len: int, required: bool = False) -> str:
    return clean_text(value, field=field, max_len=max_len, required=required)


def _clean_choice(value: Any, choices: type, *, field: str) -> str:
    allowed = [c for c, _ in choices.choices]  # type: ignore[attr-defined]
    if value not in allowed:
        raise InvalidInput(
            f"{_short(value)!r} is not one of: {', '.join(allowed)}.",
            field=field,
        )
    return str(value)


def _clean_datetime(value: Any, *, field: str) -> datetime | None:
    if value is None or value == "":
        return None
    moment: datetime | None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise InvalidInput("Use an ISO 8601 date and time, e.g. 2026-08-01T09:30:00+07:00.", field=field)
    else:
        raise InvalidInput("Use an ISO 8601 date and time.", field=field)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # naive times are in KB_TIME_ZONE
    return moment


def _readable_article(actor: User, article: Any, *, field: str = "article", missing: type = InvalidInput):
    """The article if ``actor`` may read it as published content; unknown and hidden look alike."""
    if isinstance(article, Article):
        article = article.pk
    if isinstance(article, bool) or not isinstance(article, int | str) or not str(article).isdigit():
        raise InvalidInput("An article id (a whole number) is required.", field=field)
    found = readable_published_articles(actor).filter(pk=int(article)).first()
    if found is None:
        raise missing(f"Unknown article: {_short(article)}.", field=field)
    return found


def _readable_version(article: Article, version: Any) -> int:
    """``version`` if it was ever published (what every reader may read); default the published one."""
    if version is None or version == "":
        return int(article.published_version)  # type: ignore[arg-type]
    if isinstance(version, bool) or not str(version).isdigit():
        raise InvalidInput("A version number (a whole number) is required.", field="version")
    number = int(version)
    if not Publication.objects.filter(article=article, version=number).exists():
        raise InvalidInput(
            f"Version {_short(version)} of article {article.pk} was never published.", field="version"
        )
    return number


# ---------------------------------------------------------------------------------------------
# tickets


@transaction.atomic
def upsert_ticket(
    *,
    external_id: Any,
    category: Any,
    subject: Any = "",
    status: Any = TicketStatus.OPEN,
    opened_at: Any = None,
    closed_at: Any = None,
) -> tuple[Ticket, bool]:
    """Create or update the ticket ``external_id``; returns (ticket, created).

    A solved or closed ticket keeps ``closed_at`` (given, else the stored one, else now); an open or
    pending ticket has none, so a reopened ticket leaves the "closed" figures until it closes again.
    """
    external_id = clean_external_id(external_id)
    cat = resolve_category(category)
    subject = _clean_text(subject, field="subject", max_len=SUBJECT_MAX)
    status = _clean_choice(status or TicketStatus.OPEN, TicketStatus, field="status")
    opened = _clean_datetime(opened_at, field="opened_at")
    closed = _clean_datetime(closed_at, field="closed_at")
    if opened and closed and closed < opened:
        raise InvalidInput("A ticket cannot close before it opened.", field="closed_at")
    now = timezone.now()
    for attempt in range(_RETRIES):
        try:
            with transaction.atomic():
                ticket = Ticket.objects.select_for_update().filter(external_id=external_id).first()
                created = ticket is None
                if ticket is None:
                    ticket = Ticket(external_id=external_id, opened_at=opened or now, created_at=now)
                elif opened is not None:
                    ticket.opened_at = opened
                ticket.category = cat
                ticket.subject = subject
                ticket.status = status
                if status in CLOSED_STATUSES:
                    ticket.closed_at = closed or ticket.closed_at or now
                else:
                    ticket.closed_at = None
                if ticket.closed_at and ticket.closed_at < ticket.opened_at:
                    raise InvalidInput("A ticket cannot close before it opened.", field="closed_at")
                ticket.updated_at = now
                ticket.save()
                return ticket, created
        except IntegrityError:
            if attempt == _RETRIES - 1:
                raise Conflict("The ticket was changed concurrently; try again.") from None
    raise AssertionError("unreachable")


def get_ticket(external_id: Any) -> Ticket:
    """The ticket by its helpdesk id; tickets are not team-restricted (their resolutions are filtered)."""
    external_id = clean_external_id(external_id)
    ticket = Ticket.objects.select_related("category").filter(external_id=external_id).first()
    if ticket is None:
        raise NotFound(f"No ticket {external_id}.")
    return ticket


# ---------------------------------------------------------------------------------------------
# resolutions


def record_resolution(
    *, actor: User, ticket: Any, article: Any, outcome: Any, version: Any = None
) -> tuple[Resolution, bool]:
    """Link ``article`` (the ``version`` read) to ``ticket`` with an outcome; returns (record, created).

    Idempotent per (ticket, article): a repeat updates outcome, version and author of the one record.
    Concurrent identical calls leave one row: the unique constraint decides, the loser retries in a
    fresh savepoint and finds the winner's row.
    """
    outcome = _clean_choice(outcome, Outcome, field="outcome")
    if isinstance(ticket, Ticket):
        ticket_obj = ticket
    else:
        external_id = clean_external_id(ticket, field="ticket")
        found = Ticket.objects.filter(external_id=external_id).first()
        if found is None:
            raise InvalidInput(f"Unknown ticket: {external_id}.", field="ticket")
        ticket_obj = found
    art = _readable_article(actor, article)
    number = _readable_version(art, version)
    for attempt in range(_RETRIES):
        now = timezone.now()
        try:
            with transaction.atomic():
                record, created = Resolution.objects.select_for_update().get_or_create(
                    ticket=ticket_obj,
                    article=art,
                    defaults={
                        "version": number,
                        "outcome": outcome,
                        "user": actor,
                        "created_at": now,
                        "updated_at": now,
                    },
                )
                if not created:
                    record.version = number
                    record.outcome = outcome
                    record.user = actor
                    record.updated_at = now
                    record.save(update_fields=["version", "outcome", "user", "updated_at"])
                return record, created
        except IntegrityError:
            if attempt == _RETRIES - 1:
                raise Conflict("The resolution was recorded concurrently; try again.") from None
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------------------------
# feedback and flags


def give_feedback(
    *, actor: User, article: Any, helpful: Any, comment: Any = "", version: Any = None
) -> tuple[Feedback, bool]:
    """The actor's vote on a version; one per (person, article, version), a later one replaces it."""
    art = _readable_article(actor, article, missing=NotFound)
    if not isinstance(helpful, bool):
        raise InvalidInput("Say true (helpful) or false (not helpful).", field="helpful")
    comment = _clean_text(comment, field="comment", max_len=COMMENT_MAX)
    number = _readable_version(art, version)
    for attempt in range(_RETRIES):
        now = timezone.now()
        try:
            with transaction.atomic():
                fb, created = Feedback.objects.select_for_update().get_or_create(
                    user=actor,
                    article=art,
                    version=number,
                    defaults={"helpful": helpful, "comment": comment, "created_at": now, "updated_at": now},
                )
                if not created:
                    fb.helpful = helpful
                    fb.comment = comment
                    fb.updated_at = now
                    fb.save(update_fields=["helpful", "comment", "updated_at"])
                return fb, created
        except IntegrityError:
            if attempt == _RETRIES - 1:
                raise Conflict("Your feedback was recorded concurrently; try again.") from None
    raise AssertionError("unreachable")


@transaction.atomic
def raise_flag(*, actor: User, article: Any, reason: Any, comment: Any = "", version: Any = None) -> Flag:
    """An open flag on a version, a task for the article's owner until someone closes it."""
    art = _readable_article(actor, article, missing=NotFound)
    reason = _clean_choice(reason, FlagReason, field="reason")
    comment = _clean_text(comment, field="comment", max_len=COMMENT_MAX)
    number = _readable_version(art, version)
    return Flag.objects.create(
        article=art, version=number, reason=reason, comment=comment, raised_by=actor, state=FlagState.OPEN
    )


def can_close_flag(user: Any, flag: Flag) -> bool:
    """The article's owner, leads and admins close flags."""
    return bool(getattr(user, "is_authenticated", False)) and (
        access.is_editor(user) or flag.article.owner_id == user.pk
    )


@transaction.atomic
def close_flag(*, actor: User, flag: Any, resolution: Any) -> Flag:
    """Close an open flag, recording how it was resolved and by whom."""
    flag_id = flag.pk if isinstance(flag, Flag) else flag
    if isinstance(flag_id, bool) or not str(flag_id).isdigit():
        raise NotFound("No such flag.")
    qs = Flag.objects.select_for_update().filter(pk=int(flag_id), article__in=visible_articles(actor))
    if not access.is_editor(actor):  # others only see flags they raised or on articles they own
        qs = qs.filter(Q(raised_by=actor) | Q(article__owner=actor))
    locked = qs.select_related("article").first()
    if locked is None:
        raise NotFound("No such flag.")
    if not can_close_flag(actor, locked):
        raise NotAllowed("Only the article's owner, leads and admins close flags.")
    text = _clean_text(resolution, field="resolution", max_len=RESOLUTION_MAX, required=True)
    if locked.state == FlagState.CLOSED:
        raise Conflict("This flag is already closed.")
    locked.state = FlagState.CLOSED
    locked.resolution = text
    locked.closed_by = actor
    locked.closed_at = timezone.now()
    locked.save(update_fields=["state", "resolution", "closed_by", "closed_at"])
    return locked
