"""Article slugs: unique, readable, and never dependent on articles the caller cannot see.

Only articles open to everyone hold *plain* slugs (``payout-holds``, ``payout-holds-2``); a
restricted article's slug always ends in an unguessable token (``payout-holds-3f9c…``). Whoever
creates an article sees every article that can hold a plain slug (editors see drafts and archived
articles, and only team restriction hides anything from them), so whether a new slug gets ``-2``
never tells anyone about an article they cannot see; and a restricted slug cannot be guessed to
probe for it. An article that becomes restricted is re-slugged (its plain slug is free again); one
opened to everyone gets a plain slug again. docs/access.md has the rule.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from kb.articles.models import Article

SLUG_BASE_MAX = 80
# 64 random bits: not guessable, and with at least one letter it never reads as a "-2" suffix.
TOKEN_RE = re.compile(r"-(?=[0-9a-f]*[a-f])[0-9a-f]{16}$")


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
    """The plain slug ``base``, or ``base-2``, ``base-3``… (only open articles hold these)."""
    base = base[:SLUG_BASE_MAX]
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _token() -> str:
    while True:
        token = secrets.token_hex(8)
        if not token.isdigit():
            return token


def restricted_slug(base: str) -> str:
    """``base`` with an unguessable token: a restricted article's slug, never a plain one."""
    if TOKEN_RE.search(base):  # already one (an exported restricted article coming back)
        base = TOKEN_RE.sub("", base)
    return f"{base[:SLUG_BASE_MAX].rstrip('-') or 'article'}-{_token()}"


def new_slug(base: str, *, restricted: bool, requested: str | None = None) -> str:
    """The slug of a new article: ``requested`` is kept for a restricted article that already
    carries a token and is free (an import of an export); otherwise plain-unique or token."""
    if restricted:
        if requested and TOKEN_RE.search(requested) and not Article.objects.filter(slug=requested).exists():
            return requested
        return restricted_slug(base)
    return _unique_slug(TOKEN_RE.sub("", base) or base)


def slug_for_visibility(article: Article, *, restricted: bool) -> str:
    """The slug ``article`` should carry after its teams changed (its own current slug if it fits)."""
    has_token = bool(TOKEN_RE.search(article.slug))
    if restricted:
        return article.slug if has_token else restricted_slug(article.slug)
    if not has_token:
        return article.slug
    return _unique_slug(TOKEN_RE.sub("", article.slug) or "article")
