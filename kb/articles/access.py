"""Who may see or change which article. Every surface reads articles through these functions."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kb.articles.models import Article, Status


def _team_filter(user: Any) -> Q:
    through = Article.teams.through
    restricted = through.objects.filter(article_id=OuterRef("pk"))
    member = restricted.filter(team__members=user)
    return ~Q(Exists(restricted)) | Q(Exists(member))


def visible_articles(user: Any) -> QuerySet[Article]:
    """Articles this user may read at all: team restriction first, then drafts for those who see them.

    Readers (specialists) see an article only once a version was published and while it is not
    archived; leads, trainers and admins also see drafts and archived articles. A restricted article is
    visible only to members of one of its teams, admins included. Anonymous users see nothing.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return Article.objects.none()
    qs = Article.objects.filter(_team_filter(user))
    if not user.sees_drafts:
        qs = qs.filter(published_version__isnull=False).exclude(status=Status.ARCHIVED)
    return qs


def readable_published_articles(user: Any) -> QuerySet[Article]:
    """What a reader may read as published content: visible, published once, not archived.

    Search, suggestions and metrics use this: they show published versions only, whoever asks.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return Article.objects.none()
    return (
        Article.objects.filter(_team_filter(user))
        .filter(published_version__isnull=False)
        .exclude(status=Status.ARCHIVED)
    )


def editable_articles(user: Any) -> QuerySet[Article]:
    """Articles this user may change: visible ones, for leads and admins."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_editor:
        return Article.objects.none()
    return visible_articles(user)


def can_edit(user: Any, article: Article) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_editor)


def can_publish(user: Any, article: Article) -> bool:
    return can_edit(user, article)


def can_see_drafts(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.sees_drafts)


def get_visible_article_or_404(user: Any, **lookup: Any) -> Article:
    """One article by ``lookup``, or 404 whether it is missing or hidden (the two look the same)."""
    try:
        article = (
            visible_articles(user)
            .select_related("owner", "last_reviewed_by", "published_record")
            .get(**lookup)
        )
    except (Article.DoesNotExist, ValueError, TypeError):
        raise Http404("No such article.") from None
    article._checked_visible_for = user.pk  # type: ignore[attr-defined]
    return article


def is_readable_published(user: Any, article: Article) -> bool:
    """Whether ``article`` is published content ``user`` may read (``readable_published_articles``).

    Panels on an article page ask this about the page's own article: when that article came from
    ``get_visible_article_or_404`` for the same user, the team rule already held and the rest is
    on the row; any other article is checked in the database.
    """
    if user is None or not getattr(user, "is_authenticated", False):
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
