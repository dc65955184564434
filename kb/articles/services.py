"""Article and category use cases: one function each, shared by pages, the API, commands and tests.

Each service owns its transaction, the history attribution (author, change note) and the change
notification to dependent apps (search outbox, …) inside that transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from accounts.audit import record_event
from accounts.models import Team, User
from kb.articles import events
from kb.articles.models import (
    CATEGORY_CODE_RE,
    Article,
    Category,
    HistoricalArticle,
    Kind,
    Publication,
    ReviewEvent,
    Status,
    Tag,
)
from kb.lib.errors import Conflict, InvalidInput, NotAllowed, VersionConflict
from kb.lib.markdown import render_markdown
from kb.lib.validation import clean_text

# The fields one version consists of (the columns django-simple-history copies into HistoricalArticle).
VERSIONED_FIELDS = (
    "title",
    "summary",
    "body",
    "body_html",
    "toc_html",
    "kind",
    "category_codes",
    "tag_names",
)
SHOWN_FIELDS = list(VERSIONED_FIELDS)
TITLE_MAX = 200
SUMMARY_MAX = 2_000
NOTE_MAX = 1_000
TAG_MAX = 64
TAGS_MAX = 30
REVIEW_DAYS_MAX = 3_650
CONTENT_FIELDS = ("title", "summary", "body", "kind", "categories", "tags")

# ---------------------------------------------------------------------------------------------
# input normalisation (shared by create and update)


def _clean_text(value: Any, *, field: str, max_len: int, required: bool = False) -> str:
    # Markdown keeps its surrounding whitespace; a title is one line.
    return clean_text(
        value, field=field, max_len=max_len, required=required, strip=False, single_line=field == "title"
    )


def _clean_kind(kind: Any) -> str:
    if kind not in Kind.values:
        raise InvalidInput(f"Unknown kind {kind!r}: choose one of {', '.join(Kind.values)}.", field="kind")
    return str(kind)


def clean_tags(tags: Any) -> list[str]:
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = [t for t in re.split(r"[,\n]", tags)]
    if not isinstance(tags, list | tuple):
        raise InvalidInput("A list of tags.", field="tags")
    out: list[str] = []
    for raw in tags:
        if not isinstance(raw, str):
            raise InvalidInput("Each tag is text.", field="tags")
        tag = " ".join(unicodedata.normalize("NFKC", raw).lower().split())
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            raise InvalidInput(f"A tag has at most {TAG_MAX} characters: {tag[:20]!r}….", field="tags")
        if tag not in out:
            out.append(tag)
    if len(out) > TAGS_MAX:
        raise InvalidInput(f"At most {TAGS_MAX} tags.", field="tags")
    return out


def resolve_categories(codes: Any) -> list[Category]:
    """Categories by code, in the given order; an unknown code is an error naming it."""
    if codes is None:
        return []
    if isinstance(codes, str):
        codes = [c for c in re.split(r"[,\s]+", codes) if c]
    if not isinstance(codes, list | tuple) or not all(isinstance(c, str) for c in codes):
        raise InvalidInput("A list of category codes.", field="categories")
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found = {c.code: c for c in Category.objects.filter(code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise InvalidInput(f"Unknown category code: {', '.join(missing[:5])}.", field="categories")
    return [found[c] for c in wanted]


def resolve_teams(names: Any, *, create: bool = False) -> list[Team]:
    if names is None:
        return []
    if isinstance(names, str):
        names = [n for n in names.split(",")]
    if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
        raise InvalidInput("A list of team names.", field="teams")
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if create:
        for name in wanted:
            if len(name) > 100:
                raise InvalidInput("A team name has at most 100 characters.", field="teams")
            Team.objects.get_or_create(name=name)
    found = {t.name: t for t in Team.objects.filter(name__in=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise InvalidInput(f"Unknown team: {', '.join(missing[:5])}.", field="teams")
    return [found[n] for n in wanted]


def _clean_review_days(value: Any) -> int:
    if value is None or value == "":
        return settings.KB_DEFAULT_REVIEW_DAYS
    if isinstance(value, bool):
        raise InvalidInput("A whole number of days.", field="review_interval_days")
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise InvalidInput("A whole number of days.", field="review_interval_days") from None
    if not 1 <= days <= REVIEW_DAYS_MAX:
        raise InvalidInput(f"From 1 to {REVIEW_DAYS_MAX} days.", field="review_interval_days")
    return days


def slugify_title(title: str) -> str:
    """A URL slug that keeps letters of every script (Thai vowel marks included), never empty."""
    text = unicodedata.normalize("NFKC", title).lower()
    chars = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch.isalnum() or cat.startswith("M"):
            chars.append(ch)
        else:
            chars.append("-")
    slug = re.sub(r"-+", "-", "".join(chars)).strip("-")[:80].strip("-")
    return slug or "article"


def _unique_slug(base: str) -> str:
    base = base[:80]
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _render_content(
    *,
    title: str,
    summary: str,
    body: str,
    kind: str,
    categories: list[Category],
    tags: list[str],
    previous: HistoricalArticle | None = None,
) -> dict[str, Any]:
    """The versioned fields of one version, with its Markdown rendered once (bounded in time).

    A new version whose body is the ``previous`` one's (a title, summary or category edit) keeps
    that version's HTML: rendering is deterministic, and a long SOP rendered in the isolated child
    costs a fork.
    """
    if previous is not None and previous.body == body and previous.body_html:
        body_html, toc_html = previous.body_html, previous.toc_html
    else:
        rendered = render_markdown(body)
        body_html, toc_html = rendered.html, rendered.toc_html
    return {
        "title": title,
        "summary": summary,
        "body": body,
        "body_html": body_html,
        "toc_html": toc_html,
        "kind": kind,
        "category_codes": [c.code for c in categories],
        "tag_names": tags,
    }


def _content_of(obj: Any) -> dict[str, Any]:
    return {field: getattr(obj, field) for field in VERSIONED_FIELDS}


def _show(article: Article, content: dict[str, Any]) -> None:
    """Make the article row show ``content``: what every reader-facing surface displays."""
    for field, value in content.items():
        setattr(article, field, value)


def _write_version(
    article: Article, *, number: int, content: dict[str, Any], actor: User | None, note: str, created: bool
) -> HistoricalArticle:
    """Append version ``number`` to the article's history (django-simple-history's table)."""
    return HistoricalArticle.objects.create(
        id=article.pk,
        version=number,
        history_date=timezone.now(),
        history_user=actor,
        history_change_reason=note,
        history_type="+" if created else "~",
        **content,
    )


def latest_record(article: Article) -> HistoricalArticle:
    """The latest version (the working copy editors continue from)."""
    return version_record(article, article.version)


def _set_reader_links(article: Article, category_codes: Sequence[str], tag_names: Sequence[str]) -> None:
    """Point the filterable categories/tags at the version readers see."""
    article.categories.set(Category.objects.filter(code__in=list(category_codes)))
    tag_objs = []
    for name in tag_names:
        tag, _ = Tag.objects.get_or_create(name=name)
        tag_objs.append(tag)
    article.tags.set(tag_objs)


def _save_state(article: Article, fields: Sequence[str]) -> None:
    """Save row fields; versions are written only by ``_write_version``."""
    article.updated_at = timezone.now()
    article.save(update_fields=[*fields, "updated_at"])


def _require_editor(actor: User) -> None:
    if not getattr(actor, "is_editor", False):
        raise NotAllowed("Only leads and admins change articles.")


def _lock(article: Article) -> Article:
    return (
        Article.objects.select_for_update(of=("self",)).select_related("published_record").get(pk=article.pk)
    )


def version_record(article: Article, version: int) -> HistoricalArticle:
    record = article.history.filter(version=version).order_by("-history_id").first()
    if record is None:
        raise InvalidInput(f"Version {version} does not exist.", field="version")
    return record


def _clean_version(value: Any, article: Article, *, field: str = "version") -> int:
    if value is None:
        return article.version
    if isinstance(value, bool):
        raise InvalidInput("A version number.", field=field)
    try:
        version = int(value)
    except (TypeError, ValueError):
        raise InvalidInput("A version number.", field=field) from None
    if not 1 <= version <= article.version:
        raise InvalidInput(f"Version {version} does not exist (latest is {article.version}).", field=field)
    return version


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
    for attempt in range(5):
        article.slug = _unique_slug(base) if attempt < 4 else f"{base[:70]}-{timezone.now():%H%M%S%f}"
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
    if locked.status == Status.ARCHIVED:
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


def set_article_teams(*, actor: User, article: Article, teams: Any) -> Article:
    """Change who may see the article (no new version; the search index follows)."""
    return update_article(
        actor=actor,
        article=article,
        base_version=article.version,
        change_note="Visibility changed",
        teams=teams,
    )


# ---------------------------------------------------------------------------------------------
# categories


def _clean_code(code: Any) -> str:
    if not isinstance(code, str) or not re.match(CATEGORY_CODE_RE, code) or len(code) > 120:
        raise InvalidInput(
            "A code is upper-case letters, digits and _ in dot-separated parts, e.g. ACCOUNT.LOGIN.2FA.",
            field="code",
        )
    return code


def _clean_parent(parent: Any, *, category: Category | None = None) -> Category | None:
    if parent in (None, ""):
        return None
    if not isinstance(parent, str):
        raise InvalidInput("A category code.", field="parent")
    found = Category.objects.filter(code=parent).first()
    if found is None:
        raise InvalidInput(f"Unknown category code: {parent}.", field="parent")
    if category is not None:
        node: Category | None = found
        while node is not None:
            if node.pk == category.pk:
                raise InvalidInput("A category cannot be placed below itself.", field="parent")
            node = node.parent
    return found


@transaction.atomic
def create_category(
    *, actor: User, code: Any, name: Any, description: Any = "", parent: Any = None
) -> Category:
    _require_editor(actor)
    code = _clean_code(code)
    if Category.objects.filter(code=code).exists():
        raise InvalidInput(f"A category with code {code} already exists.", field="code")
    category = Category(
        code=code,
        name=_clean_text(name, field="name", max_len=200, required=True).strip(),
        description=_clean_text(description, field="description", max_len=5_000),
        parent=_clean_parent(parent),
    )
    category.save()
    return category


@transaction.atomic
def update_category(*, actor: User, category: Category, **changes: Any) -> Category:
    _require_editor(actor)
    fields = []
    if "code" in changes and changes["code"] != category.code:
        raise InvalidInput(
            "A category's code cannot change: the ticketing system relies on it.", field="code"
        )
    if "name" in changes:
        category.name = _clean_text(changes["name"], field="name", max_len=200, required=True).strip()
        fields.append("name")
    if "description" in changes:
        category.description = _clean_text(changes["description"], field="description", max_len=5_000)
        fields.append("description")
    if "parent" in changes:
        category.parent = _clean_parent(changes["parent"], category=category)
        fields.append("parent")
    if fields:
        category.save(update_fields=fields)
        ids = list(category.articles.values_list("id", flat=True))
        events.article_changed(ids, "category_changed")
    return category


@transaction.atomic
def delete_category(*, actor: User, category: Category) -> None:
    _require_editor(actor)
    locked = Category.objects.select_for_update().get(pk=category.pk)
    if locked.children.exists():
        raise Conflict("This category has child categories: move or delete them first.")
    in_drafts = any(
        locked.code in (codes or []) for codes in Article.objects.values_list("category_codes", flat=True)
    )
    if locked.articles.exists() or in_drafts:
        raise Conflict("Articles are filed under this category: move them first.")
    try:
        with transaction.atomic():
            locked.delete()
    except ProtectedError:
        raise Conflict("Tickets or other records use this category: it cannot be deleted.") from None
