"""The pieces every article service shares: input checks, one version's content, the row it shows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import Team, User
from kb.articles import access
from kb.articles.models import (
    Article,
    Category,
    HistoricalArticle,
    Kind,
    Tag,
)
from kb.lib.errors import InvalidInput, NotAllowed
from kb.lib.markdown import render_markdown
from kb.lib.text_checks import bad_name
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
    if len(tags) > 2 * TAGS_MAX:  # before any tag is looked at: duplicates and blanks aside, too many
        raise InvalidInput(f"At most {TAGS_MAX} tags (got {len(tags):,}).", field="tags")
    out: list[str] = []
    for raw in tags:
        if not isinstance(raw, str):
            raise InvalidInput("Each tag is text.", field="tags")
        problem = bad_name(raw)
        if problem:
            raise InvalidInput(f"Tag {len(out) + 1}: {problem}", field="tags")
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
            problem = bad_name(name)
            if problem:
                raise InvalidInput(f"Team name: {problem}", field="teams")
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
    if not access.is_editor(actor):
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
