"""What the articles API views share: error shapes, the write permission, input and article payloads."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, permissions
from rest_framework.request import Request

from accounts.models import User
from kb.articles import access
from kb.articles.api import serializers as s
from kb.articles.models import Article, Status

NOT_FOUND = OpenApiResponse(s.ErrorSerializer, description="Missing, or not visible to the caller.")
FORBIDDEN = OpenApiResponse(s.ErrorSerializer, description="Readable, but the caller may not change it.")
CONFLICT = OpenApiResponse(s.ErrorSerializer, description="The object's state does not allow this.")
BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Field name (or non_field_errors) → list of messages."
)


class IsEditorForWrites(permissions.BasePermission):
    """Signed-in users read; only leads and admins write (CONTRACT §3).

    For object routes the object is looked up first (404 if unreadable), so this 403 is only ever
    given about something the caller can see.
    """

    message = "Only leads and admins can change articles and categories."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return access.is_editor(request.user)


def _actor(request: Request) -> User:
    """The signed-in caller (every view here requires authentication first)."""
    return cast(User, request.user)


def _check_editor(request: Request) -> None:
    if not access.is_editor(request.user):
        raise exceptions.PermissionDenied(IsEditorForWrites.message)


def _validated(serializer_class: type[s.serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _list_of(value: Any) -> list[str]:
    return list(value or [])


def article_view(request: Request, article: Article, record: Any, *, with_body: bool = True) -> s.ArticleView:
    """The article as this caller sees it; ``record`` is the version shown (a history row or the row).

    Readers only ever reach published, non-archived articles, so they are told ``published`` and the
    latest version they may read; leads, trainers and admins get the real workflow state.
    """
    sees_drafts = access.can_see_drafts(request.user)
    return s.ArticleView(
        id=article.pk,
        slug=article.slug,
        url=request.build_absolute_uri(article.get_absolute_url()),
        title=record.title,
        kind=record.kind,
        summary=record.summary,
        # List rows defer the large text columns: reading them would cost a query per row.
        body=record.body if with_body else "",
        body_html=record.body_html if with_body else "",
        categories=_list_of(record.category_codes),
        tags=_list_of(record.tag_names),
        owner=article.owner.username,
        teams=[t.name for t in article.teams.all()],
        status=article.status if sees_drafts else Status.PUBLISHED,
        version=record.version,
        latest_version=article.version if sees_drafts else (article.published_version or record.version),
        published_version=article.published_version,
        review_interval_days=article.review_interval_days,
        last_reviewed_at=article.last_reviewed_at,
        last_reviewed_by=article.last_reviewed_by.username if article.last_reviewed_by else None,
        review_due_at=article.review_due_at,
        is_stale=article.is_stale,
        source_path=article.source_path,
        created_at=article.created_at,
        updated_at=article.updated_at,
    )


def _default_record(article: Article) -> Any:
    """What anyone sees without ``?version``: the published version, else (drafts only) the latest."""
    return article.published_record if article.published_record_id else article


def _is_whole_number(raw: str, max_digits: int) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts "²" and "١", which ``int()`` then refuses or reads."""
    return 0 < len(raw) <= max_digits and raw.isascii() and raw.isdigit()


def _parse_positive_int(raw: str, field: str) -> int:
    if not _is_whole_number(raw, 9) or int(raw) < 1:
        raise exceptions.ValidationError({field: ["A version number (a whole number from 1)."]})
    return int(raw)


VERSION_PARAM = OpenApiParameter(
    "version",
    OpenApiTypes.STR,
    description="`latest` or a number; only leads, trainers and admins see unpublished versions.",
)
ARTICLE_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
WRITE_ERRORS = {400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
