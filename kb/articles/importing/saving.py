"""Orchestration: walk PATH, parse each file, save it through ``kb.articles.services`` in its own
transaction, and count the outcomes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from accounts.models import Role, User
from accounts.services import ensure_teams
from kb.articles import events, services
from kb.articles.importing.common import ImportFailure
from kb.articles.importing.document import ImportDocument, parse_document
from kb.articles.importing.files import printable, walk
from kb.articles.importing.reusables import reusable_finder
from kb.articles.models import Article, Category, Status
from kb.lib.errors import DomainError

logger = logging.getLogger(__name__)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary_line(self) -> str:
        return (
            f"imported: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.failed} failed"
        )


def default_importer() -> User:
    """The user imports are attributed to when ``--owner`` is not given: the first admin, else lead."""
    for role in (Role.ADMIN, Role.LEAD):
        user = User.objects.filter(role=role, is_active=True).order_by("pk").first()
        if user is not None:
            return user
    raise ImportFailure(
        "no admin or lead exists: create one (manage.py adduser NAME --role admin) or pass --owner"
    )


def source_hash(data: bytes, options: dict[str, Any]) -> str:
    """Identity of an import: the file's bytes and the options that shape the article."""
    digest = hashlib.sha256(data)
    digest.update(b"\0" + json.dumps(options, sort_keys=True).encode())
    return digest.hexdigest()


def _ensure_categories(actor: User, codes: list[str]) -> None:
    """Create missing category codes (and their prefixes) so exported files import into an empty kb."""
    for code in codes:
        parts = code.split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if not Category.objects.filter(code=prefix).exists():
                name = parts[i - 1].replace("_", " ").title() if parts[i - 1].isupper() else parts[i - 1]
                services.create_category(
                    actor=actor, code=prefix, name=name, parent=".".join(parts[: i - 1]) or None
                )


def _apply_status(actor: User, article: Article, status: str) -> None:
    """Bring a freshly saved article to ``status`` through the workflow services."""
    if status == Status.PUBLISHED:
        if article.published_version != article.version or article.status != Status.PUBLISHED:
            services.publish_article(actor=actor, article=article, material=False, note="Imported")
    elif status == Status.IN_REVIEW:
        if article.status != Status.IN_REVIEW and article.published_version != article.version:
            services.submit_article(actor=actor, article=article, note="Imported")
    elif status == Status.ARCHIVED and article.status != Status.ARCHIVED:
        services.archive_article(actor=actor, article=article, note="Imported")


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that everything it wrote is rolled back."""


def _save(
    *, actor: User, doc: ImportDocument, existing: Article | None, source_path: str, digest: str
) -> str:
    owner = actor
    if doc.owner:
        owner = User.objects.filter(username=doc.owner).first() or actor
    ensure_teams([name for name in doc.teams if len(name) <= 100])  # longer: the article services refuse it
    _ensure_categories(actor, doc.categories)
    note = f"Imported from {source_path}"
    if existing is None:
        article = services.create_article(
            actor=actor,
            title=doc.title,
            change_note=note,
            kind=doc.kind,
            summary=doc.summary,
            body=doc.body,
            categories=doc.categories,
            tags=doc.tags,
            teams=doc.teams,
            review_interval_days=doc.review_interval_days,
            owner=owner,
            slug=doc.slug,
            source_path=source_path,
            source_hash=digest,
            create_teams=True,
        )
        outcome = "created"
    else:
        # Only what the file says: a category or team a lead added in kb survives a re-import of a
        # file that does not mention categories or teams.
        changes: dict[str, Any] = {
            "title": doc.title,
            "summary": doc.summary,
            "body": doc.body,
            "kind": doc.kind,
        }
        for key in ("categories", "tags", "teams", "review_interval_days"):
            if key in doc.present:
                changes[key] = getattr(doc, key)
        if doc.owner:
            changes["owner"] = owner
        article = services.update_article(
            actor=actor, article=existing, base_version=existing.version, change_note=note, **changes
        )
        Article.objects.filter(pk=article.pk).update(source_hash=digest)
        outcome = "updated"
    _apply_status(actor, Article.objects.get(pk=article.pk), doc.status or Status.PUBLISHED)
    return outcome


def import_file(
    *,
    actor: User,
    data: bytes,
    source_path: str,
    status_override: str | None,
    reusable: Callable[[str], str | None] | None = None,
    dry_run: bool = False,
    defer_side_effects: bool = False,
) -> str:
    """Import one file; returns ``created``, ``updated`` or ``unchanged``. One transaction."""
    options = {"status": status_override, "owner": actor.username}
    digest = source_hash(data, options)
    existing = Article.objects.filter(source_path=source_path).first()
    if existing is not None and existing.source_hash == digest:
        return "unchanged"
    doc = parse_document(data, source_path=source_path, reusable=reusable)
    doc.status = status_override or doc.status or Status.PUBLISHED
    try:
        with transaction.atomic(), events.bulk() if defer_side_effects else contextlib.nullcontext():
            outcome = _save(actor=actor, doc=doc, existing=existing, source_path=source_path, digest=digest)
            if dry_run:
                raise _DryRun(outcome)
    except _DryRun as dry:
        outcome = str(dry)
    return outcome


def import_tree(
    root: Path,
    *,
    actor: User,
    status_override: str | None = None,
    dry_run: bool = False,
    on_failure: Callable[[str, str], None] | None = None,
    defer_side_effects: bool = False,
) -> ImportReport:
    """Import every markdown file below ``root``; a failing file is reported and skipped.

    Files are read one at a time as the walk reaches them (``files.walk``), so memory holds one file and
    one folder listing, whatever the size of the tree. Whatever goes wrong with one file (its bytes, its
    front matter, its reusables, the renderer, the database) rolls back that file's transaction and
    becomes its failure line; the next file is imported as if nothing happened.
    """
    report = ImportReport()
    for entry in walk(root):
        try:
            outcome = import_file(
                actor=actor,
                data=entry.read(),
                source_path=entry.rel,
                status_override=status_override,
                reusable=reusable_finder(root, entry.rel),
                dry_run=dry_run,
                defer_side_effects=defer_side_effects,
            )
        except (ImportFailure, DomainError) as exc:
            reason = getattr(exc, "message", None) or str(exc)
            field_name = getattr(exc, "field", None)
            if field_name:
                reason = f"{field_name}: {reason}"
            _fail(report, entry.rel, reason, on_failure)
            continue
        except Exception as exc:  # one file must never abort the others (CONTRACT §4)
            logger.exception("import of %s failed", printable(entry.rel))
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            _fail(report, entry.rel, f"unexpected error ({exc.__class__.__name__}: {first})", on_failure)
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _fail(report: ImportReport, rel: str, reason: str, on_failure: Callable[[str, str], None] | None) -> None:
    """Record a failure with path and reason on one printable line each (a name may hold a newline)."""
    rel, reason = printable(rel), printable(reason)
    report.failures.append((rel, reason))
    if on_failure is not None:
        on_failure(rel, reason)
