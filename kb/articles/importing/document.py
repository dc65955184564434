"""One file's bytes → the ``ImportDocument`` it becomes (pure: no database, no file system)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kb.articles import services
from kb.articles.importing.common import ImportFailure
from kb.articles.importing.convert import (
    first_heading,
    plain_text,
    summary_from_body,
    title_from_filename,
    to_kb_markdown,
)
from kb.articles.importing.frontmatter import split_front_matter
from kb.articles.importing.liquid import expand_liquid
from kb.articles.models import CATEGORY_CODE_RE, Kind, Status

POLICY_PATH = re.compile(r"(polic|terms|code[-_]of[-_]conduct|guidelines|privacy|statement)", re.I)


@dataclass
class ImportDocument:
    title: str
    body: str
    summary: str = ""
    kind: str = Kind.TROUBLESHOOTING
    status: str | None = None
    slug: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    owner: str | None = None
    review_interval_days: int | None = None
    native: bool = False
    present: set[str] = field(default_factory=set)  # front-matter keys the file actually had


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [str(value)]


def _guess_kind(meta: dict[str, Any], source_path: str) -> str:
    kind = meta.get("kind")
    if isinstance(kind, str) and kind.lower() in Kind.values:
        return kind.lower()
    if POLICY_PATH.search(source_path.rsplit("/", 1)[-1]) or "/site-policy/" in source_path:
        return Kind.POLICY
    return Kind.TROUBLESHOOTING


def parse_document(
    data: bytes, *, source_path: str, reusable: Callable[[str], str | None] | None = None
) -> ImportDocument:
    """One file → the article it becomes (pure: no database)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"not UTF-8 text (byte {exc.start})") from None
    nul = data.find(b"\0")
    if nul >= 0:  # as git decides "binary": no markdown page holds one, and the database cannot store it
        raise ImportFailure(f"binary content (NUL byte at offset {nul})")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body = split_front_matter(text)
    native = isinstance(meta.get("kind"), str) and meta["kind"] in Kind.values
    title_value = meta.get("title")
    title = str(title_value) if title_value not in (None, "") else ""
    if native:
        # kb's own export: the body is kb markdown already; keep it byte for byte.
        summary = str(meta.get("summary") or "")
    else:
        body = to_kb_markdown(body, reusable)
        title = plain_text(to_kb_markdown(expand_liquid(title))).strip() if title else ""
        raw_summary = next(
            (
                meta[k]
                for k in ("summary", "description", "intro")
                if isinstance(meta.get(k), str) and meta[k]
            ),
            "",
        )
        summary = plain_text(to_kb_markdown(str(raw_summary))) if raw_summary else ""
    if not title:
        heading, body = first_heading(body)
        title = heading or title_from_filename(source_path)
    elif not native:
        heading, rest = first_heading(body)
        if heading and heading.strip().lower() == title.strip().lower() and rest != body:
            body = rest  # the page repeats its title as a first "# Title" line
    if not native and not summary:
        summary = summary_from_body(body)
    title = title[: services.TITLE_MAX].strip()
    summary = summary[: services.SUMMARY_MAX]

    tags = _as_list(meta.get("tags")) + _as_list(meta.get("keywords"))
    if not native:
        tags += _as_list(meta.get("topics"))
    categories: list[str] = []
    for value in _as_list(meta.get("categories")):
        if re.match(CATEGORY_CODE_RE, value) and len(value) <= 120:
            categories.append(value)
        elif not native:
            tags.append(value)  # another generator's free-form category: keep it findable as a tag
    tags = [t for t in dict.fromkeys(t.lower() for t in tags) if len(t) <= services.TAG_MAX][
        : services.TAGS_MAX
    ]

    status = meta.get("status")
    if status not in Status.values:
        status = Status.DRAFT if meta.get("draft") is True else None
    days = meta.get("review_interval_days")
    slug = meta.get("slug")
    owner = meta.get("owner")
    return ImportDocument(
        title=title,
        body=body,
        summary=summary,
        kind=_guess_kind(meta, source_path),
        status=status,
        slug=str(slug).strip("/").rsplit("/", 1)[-1] if slug else None,
        tags=tags,
        categories=list(dict.fromkeys(categories)),
        teams=_as_list(meta.get("teams")),
        owner=str(owner) if owner else None,
        review_interval_days=days if isinstance(days, int) and not isinstance(days, bool) else None,
        native=native,
        present={k for k in ("categories", "tags", "teams", "review_interval_days") if k in meta}
        | ({"tags"} if tags else set()),
    )
