"""Article slugs: unique, readable, and never dependent on articles the caller cannot see (docs/access.md)."""

from __future__ import annotations

import re
import unicodedata

from kb.articles.models import (
    Article,
)


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
