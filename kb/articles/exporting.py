"""Writing articles to a folder of markdown files that ``kb_import`` reads back (CONTRACT §9).

One file per article, ``<slug>.md``: YAML front matter with kb's keys, then the latest version's body
exactly as stored. The exporter writes the *latest* version and the article's status, so a draft on top
of a published version is exported as that draft (see docs/import-export.md for what a round trip keeps).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from kb.articles.models import Article
from kb.articles.services import latest_record

# ext4/APFS allow 255 *bytes* per name; CJK slugs are 3 bytes a character.
MAX_NAME_BYTES = 200


def export_filename(slug: str) -> str:
    """A safe, stable file name for a slug: NFC, no path separators or control characters, ≤ 200 bytes."""
    name = unicodedata.normalize("NFC", slug)
    name = "".join(
        ch if (ch.isalnum() or ch in "-_." or unicodedata.category(ch).startswith("M")) else "-"
        for ch in name
    )
    name = re.sub(r"-+", "-", name).strip("-.") or "article"
    if len(name.encode()) > MAX_NAME_BYTES:
        digest = hashlib.sha256(slug.encode()).hexdigest()[:10]
        cut = name.encode()[: MAX_NAME_BYTES - 11].decode("utf-8", "ignore").rstrip("-")
        name = f"{cut}-{digest}"
    return f"{name}.md"


def front_matter(article: Article, latest: Any | None = None) -> dict[str, Any]:
    """kb's keys, in the order of CONTRACT §9, for the latest version (which may be a newer draft
    than the published content the article row shows)."""
    latest = latest if latest is not None else latest_record(article)
    return {
        "title": latest.title,
        "slug": article.slug,
        "kind": latest.kind,
        "status": article.status,
        "summary": latest.summary,
        "tags": list(latest.tag_names or []),
        "categories": list(latest.category_codes or []),
        "teams": sorted(t.name for t in article.teams.all()),
        "owner": article.owner.username,
        "review_interval_days": article.review_interval_days,
    }


def render_file(article: Article) -> str:
    latest = latest_record(article)
    meta = yaml.safe_dump(front_matter(article, latest), allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{meta}---\n{latest.body}"


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a file created here and now: a link (or file) planted at ``path`` in a shared
    export folder is removed, not written through."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def export_articles(root: Path, articles: Iterable[Article] | None = None) -> list[Path]:
    """Write every article (or the given ones) below ``root``; returns the files written."""
    root.mkdir(parents=True, exist_ok=True)
    if articles is None:
        articles = Article.objects.select_related("owner").prefetch_related("teams").order_by("pk")
    written: list[Path] = []
    used: set[str] = set()
    for article in articles:
        name = export_filename(article.slug)
        if name in used:  # two slugs that differ only in characters we replaced
            name = f"{name[:-3]}-{article.pk}.md"
        used.add(name)
        path = root / name
        tmp = path.with_name(f".{name}.tmp")
        _write_new(tmp, render_file(article).encode("utf-8"))
        os.replace(tmp, path)  # replaces a link at ``path`` itself, never its target
        written.append(path)
    return written
