"""Review and publication: submit, approve, publish, revert, archive, restore, mark reviewed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.audit import record_event
from accounts.models import User
from kb.articles import events
from kb.articles.models import (
    Article,
    Publication,
    ReviewEvent,
    Status,
)
from kb.articles.services.articles import update_article
from kb.articles.services.content import (
    NOTE_MAX,
    SHOWN_FIELDS,
    _clean_text,
    _clean_version,
    _content_of,
    _lock,
    _require_editor,
    _save_state,
    _set_reader_links,
    _show,
    version_record,
)
from kb.lib.errors import Conflict, InvalidInput


@transaction.atomic
def submit_article(*, actor: User, article: Article, note: str = "") -> Article:
    """Send the latest version to the review queue."""
    _require_editor(actor)
    note = _clean_text(note, field="note", max_len=NOTE_MAX)
    locked = _lock(article)
    if locked.status == Status.ARCHIVED:
        raise Conflict("This article is archived: restore it first.")
    if locked.published_version == locked.version:
        raise Conflict(f"Version {locked.version} is already published: there is nothing to review.")
    if locked.status == Status.IN_REVIEW:
        raise Conflict(f"Version {locked.version} is already in review.")
    locked.status = Status.IN_REVIEW
    locked.submitted_version = locked.version
    locked.approved_version = None
    locked.approved_by = None
    _save_state(locked, ["status", "submitted_version", "approved_version", "approved_by"])
    ReviewEvent.objects.create(
        article=locked, version=locked.version, action=ReviewEvent.Action.SUBMITTED, note=note, actor=actor
    )
    return locked


def _last_editor_id(article: Article, version: int) -> int | None:
    return version_record(article, version).history_user_id


@transaction.atomic
def approve_article(*, actor: User, article: Article, note: str = "") -> Article:
    """Approve the version in review; with second approval on, the approver must not be its last editor."""
    _require_editor(actor)
    note = _clean_text(note, field="note", max_len=NOTE_MAX)
    locked = _lock(article)
    if locked.status != Status.IN_REVIEW or locked.submitted_version is None:
        raise Conflict("There is no version in review to approve: submit it first.")
    if settings.KB_REQUIRE_SECOND_APPROVAL and _last_editor_id(locked, locked.submitted_version) == actor.pk:
        raise Conflict("A lead other than the last editor must approve this version.")
    locked.approved_version = locked.submitted_version
    locked.approved_by = actor
    _save_state(locked, ["approved_version", "approved_by"])
    ReviewEvent.objects.create(
        article=locked,
        version=locked.approved_version,
        action=ReviewEvent.Action.APPROVED,
        note=note,
        actor=actor,
    )
    return locked


@transaction.atomic
def publish_article(
    *, actor: User, article: Article, version: Any = None, material: Any = None, note: str = ""
) -> Article:
    """Pin ``version`` as what readers see; queue the index update; ask for re-reading if material."""
    _require_editor(actor)
    if not isinstance(material, bool):
        raise InvalidInput("Say whether this change is material (true) or minor (false).", field="material")
    note = _clean_text(note, field="note", max_len=NOTE_MAX)
    locked = _lock(article)
    number = _clean_version(version, locked)
    if locked.status == Status.ARCHIVED:
        raise Conflict("This article is archived: restore it before publishing.")
    if locked.published_version == number:
        raise Conflict(f"Version {number} is already the published version.")
    if settings.KB_REQUIRE_SECOND_APPROVAL:
        editor = _last_editor_id(locked, number)
        if (
            locked.approved_version != number
            or locked.approved_by_id is None
            or locked.approved_by_id == editor
        ):
            raise Conflict(
                f"Version {number} needs approval by a lead other than its last editor "
                "before it can be published."
            )
    record = version_record(locked, number)
    locked.published_version = number
    locked.published_record = record
    locked.published_at = timezone.now()
    if number == locked.version:
        locked.status = Status.PUBLISHED
        locked.submitted_version = None
    _show(locked, _content_of(record))
    _save_state(
        locked,
        [
            "published_version",
            "published_record",
            "published_at",
            "status",
            "submitted_version",
            *SHOWN_FIELDS,
        ],
    )
    _set_reader_links(locked, record.category_codes or [], record.tag_names or [])
    Publication.objects.create(article=locked, version=number, material=material, note=note, actor=actor)
    record_event(
        "publish",
        actor=actor,
        target=f"article:{locked.pk}",
        detail=f"v{number} {'material' if material else 'minor'}",
    )
    events.article_changed([locked.pk], "published")
    return locked


@transaction.atomic
def revert_article(*, actor: User, article: Article, version: Any, change_note: str = "") -> Article:
    """A new version with the content of ``version``; history is never rewritten."""
    _require_editor(actor)
    if version is None:
        raise InvalidInput("Which version to go back to.", field="version")
    locked = _lock(article)
    number = _clean_version(version, locked)
    record = version_record(locked, number)
    note = (
        change_note.strip()
        if isinstance(change_note, str) and change_note.strip()
        else f"Reverted to version {number}"
    )
    reverted = update_article(
        actor=actor,
        article=locked,
        base_version=locked.version,
        change_note=note,
        title=record.title,
        summary=record.summary,
        body=record.body,
        kind=record.kind,
        categories=list(record.category_codes or []),
        tags=list(record.tag_names or []),
    )
    if reverted.version == locked.version:
        raise Conflict(f"The latest version already has the content of version {number}.")
    record_event("revert", actor=actor, target=f"article:{locked.pk}", detail=f"to v{number}")
    return reverted


@transaction.atomic
def archive_article(*, actor: User, article: Article, note: str = "") -> Article:
    """Hide the article from readers and search; its history stays."""
    return _set_archived(actor, article, note, archived=True)


@transaction.atomic
def restore_article(*, actor: User, article: Article, note: str = "") -> Article:
    """Undo an archive: readers see the published version again, if there is one."""
    return _set_archived(actor, article, note, archived=False)


def _set_archived(actor: User, article: Article, note: str, *, archived: bool) -> Article:
    _require_editor(actor)
    locked = _lock(article)
    if (locked.status == Status.ARCHIVED) == archived:
        raise Conflict("This article is already archived." if archived else "This article is not archived.")
    if archived:
        locked.status = Status.ARCHIVED
    else:
        locked.status = Status.PUBLISHED if locked.published_version == locked.version else Status.DRAFT
    _save_state(locked, ["status"])
    ReviewEvent.objects.create(
        article=locked,
        version=locked.version,
        action=ReviewEvent.Action.ARCHIVED if archived else ReviewEvent.Action.RESTORED,
        note=_clean_text(note, field="note", max_len=NOTE_MAX),
        actor=actor,
    )
    events.article_changed([locked.pk], "archived" if archived else "restored")
    return locked


@transaction.atomic
def mark_reviewed(*, actor: User, article: Article, note: str = "") -> Article:
    """Record that ``actor`` checked the article is still right; restarts the review clock."""
    _require_editor(actor)
    locked = _lock(article)
    locked.last_reviewed_at = timezone.now()
    locked.last_reviewed_by = actor
    _save_state(locked, ["last_reviewed_at", "last_reviewed_by"])
    ReviewEvent.objects.create(
        article=locked,
        version=locked.version,
        action=ReviewEvent.Action.REVIEWED,
        note=_clean_text(note, field="note", max_len=NOTE_MAX),
        actor=actor,
    )
    return locked
