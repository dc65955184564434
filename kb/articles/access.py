"""Who may see or change which article. Every surface reads articles through these functions.

The visibility rule itself is ``Article.objects.visible_to(user)`` (``ArticleQuerySet`` in
``kb.articles.models``); the functions here are its named uses and the role checks (who edits, who
sees drafts), so a reader of the tree finds each rule once. See docs/access.md.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kb.articles.models import Article, Status

# ---------------------------------------------------------------------------------------------
# role checks (CONTRACT §3): every view, serializer and service asks these, never user.role itself


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_editor(user: Any) -> bool:
    """Leads and admins create, edit, publish and archive articles and edit categories and synonyms."""
    return _signed_in(user) and bool(getattr(user, "is_editor", False))


def can_see_drafts(user: Any) -> bool:
    """Leads, trainers (read only) and admins see drafts and unpublished versions of what they see."""
    return _signed_in(user) and bool(getattr(user, "sees_drafts", False))


def can_edit(user: Any, article: Article | None = None) -> bool:
    """Whether ``user`` may change ``article`` (which they already see); ``None``: any article."""
    return is_editor(user)


def can_publish(user: Any, article: Article | None = None) -> bool:
    return can_edit(user, article)


def can_edit_categories(user: Any) -> bool:
    return is_editor(user)


# ---------------------------------------------------------------------------------------------
# visibility


def visible_articles(user: Any) -> QuerySet[Article]:
    """Articles this user may read at all: ``Article.objects.visible_to(user)``."""
    return Article.objects.visible_to(user)


def readable_published_articles(user: Any) -> QuerySet[Article]:
    """What a reader may read as published content: visible, published once, not archived.

    Search, suggestions and metrics use this: they show published versions only, whoever asks.
    """
    return Article.objects.visible_to(user, published_only=True)


def editable_articles(user: Any) -> QuerySet[Article]:
    """Articles this user may change: visible ones, for leads and admins."""
    if not is_editor(user):
        return Article.objects.none()
    return visible_articles(user)


def visible_article(user: Any, *, pk: int | None = None, slug: str | None = None) -> QuerySet[Article]:
    """The article with this ``pk`` (or ``slug``) if ``visible_articles(user)`` holds it, else nothing."""
    lookup = {"pk": pk} if pk is not None else {"slug": slug}
    if pk is None and slug is None:
        return Article.objects.none()
    try:
        _check_lookup(lookup)
    except Article.DoesNotExist:
        return Article.objects.none()
    return visible_articles(user).filter(**lookup)


def get_visible_article_or_404(user: Any, **lookup: Any) -> Article:
    """One article by ``lookup``, or 404 whether it is missing or hidden (the two look the same)."""
    related = ("owner", "last_reviewed_by", "published_record")
    try:
        _check_lookup(lookup)
        article = visible_articles(user).select_related(*related).get(**lookup)
    except (Article.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such article.") from None
    # The team rule held for this user: is_readable_published() need not ask the database again.
    article._checked_visible_for = user.pk  # type: ignore[attr-defined]
    return article


def _check_lookup(lookup: dict[str, Any]) -> None:
    """Refuse values no article can have before the database sees them (it may refuse them loudly)."""
    for key, value in lookup.items():
        if isinstance(value, str) and "\x00" in value:  # PostgreSQL refuses NUL in text with an error
            raise Article.DoesNotExist
        if key in ("pk", "id") and isinstance(value, int) and not -(2**63) <= value < 2**63:
            raise Article.DoesNotExist


def is_readable_published(user: Any, article: Article) -> bool:
    """Whether ``article`` is published content ``user`` may read (``readable_published_articles``).

    Panels on an article page ask this about the page's own article: when that article came from
    ``get_visible_article_or_404`` for the same user, the team rule already held and the rest is
    on the row; any other article is checked in the database.
    """
    if not _signed_in(user):
        return False
    if getattr(article, "_checked_visible_for", None) == user.pk:
        return article.published_version is not None and article.status != Status.ARCHIVED
    return readable_published_articles(user).filter(pk=article.pk).exists()


def visible_version_numbers(user: Any, article: Article) -> set[int] | None:
    """Versions this user may open: None means all; readers only get versions that were published."""
    if can_see_drafts(user):
        return None
    return set(article.publications.values_list("version", flat=True))


def can_read_version(user: Any, article: Article, version: int) -> bool:
    allowed = visible_version_numbers(user, article)
    return allowed is None or version in allowed
