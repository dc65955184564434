"""Who may see or change which article. Every surface reads articles through these functions."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import Role, User
from kb.articles.models import Article, Status
from kb.lib.statements import Statement


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


def _visible_by(field: str, *, drafts: bool) -> Statement:
    def build(*, user_id: int, value: Any) -> QuerySet[Article, Any]:
        stand_in = User(pk=user_id, role=Role.LEAD if drafts else Role.SPECIALIST)
        return visible_articles(stand_in).filter(**{field: value}).order_by().values_list("pk")

    return Statement(build, user_id=int, value=int if field == "pk" else str)


# Every article page and API call looks its article up through visible_articles(): compiled once per
# process for each shape (kb.lib.statements); the rule itself stays the function above.
_VISIBLE_ID = {(f, d): _visible_by(f, drafts=d) for f in ("pk", "slug") for d in (False, True)}


def visible_article(user: Any, *, pk: int | None = None, slug: str | None = None) -> QuerySet[Article]:
    """The article with this ``pk`` (or ``slug``) if ``visible_articles(user)`` holds it, else nothing.

    The same rule, through a statement compiled once: every article page and API call asks this.
    """
    field, value = ("pk", pk) if pk is not None else ("slug", slug)
    if value is None or user is None or not getattr(user, "is_authenticated", False):
        return Article.objects.none()
    visible = _VISIBLE_ID[(field, bool(user.sees_drafts))].subquery(user_id=user.pk, value=value)
    return Article.objects.filter(pk__in=visible)


def get_visible_article_or_404(user: Any, **lookup: Any) -> Article:
    """One article by ``lookup``, or 404 whether it is missing or hidden (the two look the same)."""
    related = ("owner", "last_reviewed_by", "published_record")
    try:
        fast = _fast_lookup(lookup)
        if fast is not None:
            article = visible_article(user, **fast).select_related(*related).get()
        else:
            article = visible_articles(user).select_related(*related).get(**lookup)
    except (Article.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("No such article.") from None
    article._checked_visible_for = user.pk  # type: ignore[attr-defined]
    return article


def _fast_lookup(lookup: dict[str, Any]) -> dict[str, Any] | None:
    """``slug=<text>`` or ``pk=<whole number>``: the lookups the compiled statements serve."""
    if len(lookup) != 1:
        return None
    ((key, value),) = lookup.items()
    if key == "slug" and isinstance(value, str):
        if "\x00" in value:  # no slug has one, and PostgreSQL refuses NUL in text with an error
            raise Article.DoesNotExist
        return {"slug": value}
    if key in ("pk", "id") and isinstance(value, int) and not isinstance(value, bool):
        if not -(2**63) <= value < 2**63:
            raise Article.DoesNotExist
        return {"pk": value}
    return None


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
