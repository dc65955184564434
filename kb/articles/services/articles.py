"""Creating and editing articles: each edit is a new version on top of the one it started from."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import record_event
from accounts.models import User
from kb.articles import events
from kb.articles.models import (
    Article,
    Kind,
    Status,
)
from kb.articles.services.content import (
    CONTENT_FIELDS,
    NOTE_MAX,
    SHOWN_FIELDS,
    SUMMARY_MAX,
    TITLE_MAX,
    _clean_kind,
    _clean_review_days,
    _clean_text,
    _clean_version,
    _lock,
    _render_content,
    _require_editor,
    _save_state,
    _set_reader_links,
    _show,
    _write_version,
    clean_tags,
    latest_record,
    resolve_categories,
    resolve_teams,
)
from kb.articles.services.slugs import new_slug, slug_for_visibility, slugify_title
from kb.lib.errors import Conflict, InvalidInput, VersionConflict

# ---------------------------------------------------------------------------------------------
# articles


@transaction.atomic
def create_article(
    *,
    actor: User,
    title: str,
    change_note: str,
    kind: str = Kind.SOP,
    summary: str = "",
    body: str = "",
    categories: Any = None,
    tags: Any = None,
    teams: Any = None,
    review_interval_days: Any = None,
    owner: User | None = None,
    slug: str | None = None,
    source_path: str | None = None,
    source_hash: str = "",
    create_teams: bool = False,
) -> Article:
    """Version 1 of a new article, as a draft owned by ``owner`` (default: the actor)."""
    _require_editor(actor)
    title = _clean_text(title, field="title", max_len=TITLE_MAX, required=True)
    change_note = _clean_text(change_note, field="change_note", max_len=NOTE_MAX, required=True)
    summary = _clean_text(summary, field="summary", max_len=SUMMARY_MAX)
    body = _clean_text(body, field="body", max_len=settings.KB_MARKDOWN_MAX_CHARS)
    cats = resolve_categories(categories)
    tag_list = clean_tags(tags)
    team_list = resolve_teams(teams, create=create_teams)
    article = Article(
        owner=owner or actor,
        review_interval_days=_clean_review_days(review_interval_days),
        source_path=source_path,
        source_hash=source_hash,
        version=1,
        status=Status.DRAFT,
    )
    content = _render_content(
        title=title, summary=summary, body=body, kind=_clean_kind(kind), categories=cats, tags=tag_list
    )
    _show(article, content)  # never published: readers see nothing, editors see version 1
    base = slugify_title(slug) if slug else slugify_title(title)
    requested = slugify_title(slug) if slug else None
    for attempt in range(5):
        article.slug = (
            new_slug(base, restricted=bool(team_list), requested=requested)
            if attempt < 4
            else f"{base[:70]}-{timezone.now():%H%M%S%f}"
        )
        try:
            with transaction.atomic():
                article.updated_at = timezone.now()
                article.save()
            break
        except IntegrityError:
            if source_path and Article.objects.filter(source_path=source_path).exists():
                raise Conflict(f"An article was already imported from {source_path}.") from None
            article.pk = None
            continue
    _write_version(article, number=1, content=content, actor=actor, note=change_note, created=True)
    article.teams.set(team_list)
    _set_reader_links(article, article.category_codes, article.tag_names)
    events.article_changed([article.pk], "created")
    return article


@transaction.atomic
def update_article(
    *, actor: User, article: Article, base_version: Any, change_note: str, **changes: Any
) -> Article:
    """Save a new version on top of ``base_version``; never overwrites a newer version.

    ``changes`` may hold title, summary, body, kind, categories, tags (content: a new version) and
    teams, review_interval_days, owner (settings: applied without a new version if nothing else changed).
    """
    return edit_article(
        actor=actor, article=article, base_version=base_version, change_note=change_note, changes=changes
    )


@transaction.atomic
def edit_article(
    *,
    actor: User,
    article: Article,
    base_version: Any,
    change_note: str,
    changes: dict[str, Any],
    allow_archived: bool = False,
) -> Article:
    """``update_article``; ``allow_archived`` is for services that must re-file archived articles
    too (category deletion), where an editor's own edit would be refused."""
    _require_editor(actor)
    unknown = set(changes) - {*CONTENT_FIELDS, "teams", "review_interval_days", "owner"}
    if unknown:
        raise InvalidInput(f"Unknown field: {', '.join(sorted(unknown))}.")
    if base_version is None or base_version == "":
        raise InvalidInput("The version your edit started from is required.", field="base_version")
    change_note = _clean_text(change_note, field="change_note", max_len=NOTE_MAX, required=True)
    # Check the base against the locked row: a version committed a moment ago is a valid base.
    locked = _lock(article)
    base = (
        _clean_version(base_version, locked, field="base_version") if str(base_version).isdecimal() else None
    )
    if base is None:
        raise InvalidInput("A version number.", field="base_version")
    if base != locked.version:
        raise VersionConflict(
            base_version=base,
            current_version=locked.version,
            diff_url=reverse("articles:diff", args=[locked.slug]) + f"?from={base}&to={locked.version}",
        )
    if locked.status == Status.ARCHIVED and not allow_archived:
        raise Conflict("This article is archived: restore it before editing.")
    # Edits continue from the latest version, which may be a draft newer than what the row shows.
    latest = latest_record(locked)
    title = _clean_text(changes.get("title", latest.title), field="title", max_len=TITLE_MAX, required=True)
    summary = _clean_text(changes.get("summary", latest.summary), field="summary", max_len=SUMMARY_MAX)
    body = _clean_text(changes.get("body", latest.body), field="body", max_len=settings.KB_MARKDOWN_MAX_CHARS)
    kind = _clean_kind(changes.get("kind", latest.kind))
    cats = (
        resolve_categories(changes["categories"])
        if "categories" in changes
        else resolve_categories(list(latest.category_codes or []))
    )
    tags = clean_tags(changes["tags"]) if "tags" in changes else list(latest.tag_names or [])
    team_list = resolve_teams(changes["teams"]) if "teams" in changes else None
    days = _clean_review_days(changes["review_interval_days"]) if "review_interval_days" in changes else None
    owner = changes.get("owner")

    content_changed = (
        title != latest.title
        or summary != latest.summary
        or body != latest.body
        or kind != latest.kind
        or [c.code for c in cats] != list(latest.category_codes or [])
        or tags != list(latest.tag_names or [])
    )
    state_fields: list[str] = []
    if days is not None and days != locked.review_interval_days:
        locked.review_interval_days = days
        state_fields.append("review_interval_days")
    if owner is not None and owner != locked.owner:
        locked.owner = owner
        state_fields.append("owner")
    if content_changed:
        content = _render_content(
            title=title, summary=summary, body=body, kind=kind, categories=cats, tags=tags, previous=latest
        )
        locked.version += 1
        if locked.status in (Status.PUBLISHED, Status.IN_REVIEW):
            locked.status = Status.DRAFT
        locked.submitted_version = None
        row_fields = ["version", "status", "submitted_version", *state_fields]
        if locked.published_version is None:
            # Never published: the row keeps showing the latest version (to editors).
            _show(locked, content)
            row_fields += SHOWN_FIELDS
        _save_state(locked, row_fields)
        _write_version(
            locked, number=locked.version, content=content, actor=actor, note=change_note, created=False
        )
        if locked.published_version is None:
            _set_reader_links(locked, locked.category_codes, locked.tag_names)
    elif state_fields:
        _save_state(locked, state_fields)
    teams_changed = False
    if team_list is not None:
        before = set(locked.teams.values_list("id", flat=True))
        locked.teams.set(team_list)
        teams_changed = before != {t.id for t in team_list}
        if teams_changed:
            slug = slug_for_visibility(locked, restricted=bool(team_list))
            if slug != locked.slug:
                locked.slug = slug
                _save_state(locked, ["slug"])
            record_event(
                "visibility_change",
                actor=actor,
                target=f"article:{locked.pk}",
                detail=", ".join(t.name for t in team_list) or "everyone",
            )
            _save_state(locked, [])
    # Readers (and the index) see the published version: a new draft above it changes nothing they
    # see. Who may see it does, and so does anything while no version is published yet.
    if teams_changed or locked.published_version is None:
        events.article_changed([locked.pk], "updated")
    return locked


def set_article_teams(*, actor: User, article: Article, teams: Any) -> Article:
    """Change who may see the article (no new version; the search index follows)."""
    return update_article(
        actor=actor,
        article=article,
        base_version=article.version,
        change_note="Visibility changed",
        teams=teams,
    )
