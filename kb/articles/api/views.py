"""Categories and articles API (CONTRACT §6–§7).

Thin views: every read goes through ``kb.articles.access.visible_articles`` (``get_queryset``) so an
article the caller may not read is a 404 exactly like a missing one; every write is one call to a
service in ``kb.articles.services``, whose ``DomainError`` the shared handler in ``kb.lib.api`` turns
into 400/403/404/409. 403 is only given for an object the caller can read but may not change.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from kb.articles import access, services
from kb.articles.access import visible_article, visible_articles
from kb.articles.api import serializers as s
from kb.articles.api.categories import CategoryViewSet
from kb.articles.api.common import (
    ARTICLE_ID,
    BAD_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    VERSION_PARAM,
    IsEditorForWrites,
    _actor,
    _check_editor,
    _default_record,
    _is_whole_number,
    _parse_positive_int,
    _validated,
    article_view,
)
from kb.articles.api.workflow import VersionActions, WorkflowActions
from kb.articles.models import Article, Category, Kind, Status
from kb.articles.selectors import (
    descendant_ids,
    get_readable_version_or_404,
)

__all__ = ["ArticleViewSet", "CategoryViewSet"]


def _parse_updated_since(raw: str) -> datetime:
    value: datetime | None = None
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            if day is not None:
                value = datetime.combine(day, time.min)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise exceptions.ValidationError(
            {"updated_since": ["An ISO 8601 date (YYYY-MM-DD) or date and time."]}
        )
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
        return value.astimezone(UTC)
    except (ValueError, OverflowError):
        raise exceptions.ValidationError({"updated_since": ["Out of range."]}) from None


def _stale_ids(user: Any) -> list[int]:
    """Ids of the caller's visible articles whose review is overdue (as ``stale_articles`` decides).

    Reads five small columns instead of whole rows: the due date is computed in Python because
    "a date plus a per-row number of days" has no portable SQL spelling across SQLite and PostgreSQL.
    """
    now = timezone.now()
    rows = (
        visible_articles(user)
        .filter(published_version__isnull=False)
        .exclude(status=Status.ARCHIVED)
        .values_list("pk", "last_reviewed_at", "published_at", "created_at", "review_interval_days")
    )
    return [
        pk
        for pk, reviewed, published, created, days in rows
        if (reviewed or published or created) + timedelta(days=days) <= now
    ]


ARTICLE_FILTERS = [
    OpenApiParameter("kind", OpenApiTypes.STR, enum=Kind.values, description="Kind of the version shown."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
    OpenApiParameter("category", OpenApiTypes.STR, description="A category code; its descendants included."),
    OpenApiParameter("tag", OpenApiTypes.STR),
    OpenApiParameter("owner", OpenApiTypes.STR, description="Username."),
    OpenApiParameter("stale", OpenApiTypes.BOOL, description="true: review overdue; false: not overdue."),
    OpenApiParameter(
        "updated_since", OpenApiTypes.STR, description="ISO 8601 date or date-time (inclusive)."
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="List the articles the caller can see",
        parameters=ARTICLE_FILTERS,
        responses={200: s.ArticleListItemSerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary="One article (the published version unless an editor asks for another)",
        parameters=[ARTICLE_ID, VERSION_PARAM],
        responses={200: s.ArticleSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Create an article: version 1, draft (leads, admins)",
        request=s.ArticleCreateSerializer,
        responses={201: s.ArticleSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Save a new version on top of base_version (leads, admins)",
        parameters=[ARTICLE_ID],
        request=s.ArticleUpdateSerializer,
        responses={
            200: s.ArticleSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(s.ConflictSerializer, description="base_version is not the latest."),
        },
    ),
)
class ArticleViewSet(WorkflowActions, VersionActions, viewsets.GenericViewSet):
    """Articles, their versions, diffs and workflow actions."""

    serializer_class = s.ArticleSerializer
    permission_classes = [IsEditorForWrites]
    lookup_url_kwarg = "id"
    lookup_value_regex = r"[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Article]:
        """Only what the caller may read (team restriction, drafts): everything else is a 404."""
        if getattr(self, "swagger_fake_view", False):
            return Article.objects.none()
        return visible_articles(self.request.user).select_related(
            "owner", "published_record", "last_reviewed_by"
        )

    def get_object(self) -> Article:
        raw = str(self.kwargs.get("id", ""))
        if not _is_whole_number(raw, 18):
            raise Http404("No such article.")
        try:
            article = (
                visible_article(self.request.user, pk=int(raw))
                .select_related("owner", "published_record", "last_reviewed_by")
                .prefetch_related("teams")
                .get()
            )
        except Article.DoesNotExist:
            raise Http404("No such article.") from None
        self.check_object_permissions(self.request, article)
        return article

    def _respond(self, article: Article, record: Any | None = None, status_code: int = 200) -> Response:
        view = article_view(self.request, article, record if record is not None else _default_record(article))
        return Response(s.ArticleSerializer(view).data, status=status_code)

    def _latest(self, article: Article) -> Response:
        """After a write: the article fresh from the database, showing its latest version."""
        fresh = self._reload(article)
        return self._respond(fresh, services.latest_record(fresh))

    def _reload(self, article: Article) -> Article:
        """The saved article with its relations; also when the caller just restricted it to teams
        they are not in (they made the change, so they may see its result once)."""
        related = ("owner", "published_record", "last_reviewed_by")
        fresh = self.get_queryset().prefetch_related("teams").filter(pk=article.pk).first()
        return fresh or Article.objects.select_related(*related).prefetch_related("teams").get(pk=article.pk)

    # -- list --------------------------------------------------------------------------------

    def filter_list(self, qs: QuerySet[Article]) -> QuerySet[Article]:
        params = self.request.query_params
        for name in ("kind", "status", "category", "tag", "owner", "stale", "updated_since"):
            value = params.get(name)
            if value is not None and ("\x00" in value or len(value) > 256):
                raise exceptions.ValidationError({name: ["Not a valid value."]})
        user = self.request.user
        sees_drafts = access.can_see_drafts(user)
        if (kind := params.get("kind")) is not None:
            if kind not in Kind.values:
                raise exceptions.ValidationError(
                    {"kind": [f"Unknown kind: choose one of {', '.join(Kind.values)}."]}
                )
            # Filter on the kind of the version shown (published, else the latest draft).
            qs = qs.filter(
                Q(published_record__isnull=False, published_record__kind=kind)
                | Q(published_record__isnull=True, kind=kind)
            )
        if (state := params.get("status")) is not None:
            if state not in Status.values:
                raise exceptions.ValidationError(
                    {"status": [f"Unknown status: choose one of {', '.join(Status.values)}."]}
                )
            if sees_drafts:
                qs = qs.filter(status=state)
            elif state != Status.PUBLISHED:
                qs = qs.none()  # readers only ever see published articles
        if (code := params.get("category")) is not None:
            category = Category.objects.filter(code=code).first()
            if category is None:
                raise exceptions.ValidationError({"category": [f"Unknown category code: {code[:120]}."]})
            qs = qs.filter(
                pk__in=Article.categories.through.objects.filter(
                    category_id__in=descendant_ids(category)
                ).values("article_id")
            )
        if (tag := params.get("tag")) is not None:
            name = " ".join(tag.lower().split())
            qs = qs.filter(pk__in=Article.tags.through.objects.filter(tag__name=name).values("article_id"))
        if (owner := params.get("owner")) is not None:
            qs = qs.filter(owner__username=owner)
        if (stale := params.get("stale")) is not None:
            if stale not in ("true", "false"):
                raise exceptions.ValidationError({"stale": ["true or false."]})
            stale_ids = _stale_ids(user)
            qs = qs.filter(pk__in=stale_ids) if stale == "true" else qs.exclude(pk__in=stale_ids)
        if (since := params.get("updated_since")) is not None:
            qs = qs.filter(updated_at__gte=_parse_updated_since(since))
        return qs

    def list(self, request: Request) -> Response:
        qs = (
            self.filter_list(self.get_queryset())
            .prefetch_related("teams")
            # List rows carry no body: leave the large text columns in the database.
            .defer(
                "body",
                "body_html",
                "toc_html",
                "published_record__body",
                "published_record__body_html",
                "published_record__toc_html",
            )
            .order_by("title", "pk")
        )
        page = self.paginate_queryset(qs)
        assert page is not None
        views = [article_view(request, a, _default_record(a), with_body=False) for a in page]
        return self.get_paginated_response(s.ArticleListItemSerializer(views, many=True).data)

    # -- one article -------------------------------------------------------------------------

    def retrieve(self, request: Request, **kwargs: Any) -> Response:
        article = self.get_object()
        wanted = request.query_params.get("version")
        if wanted is None or wanted == "":
            return self._respond(article)
        if wanted == "latest":
            if access.can_see_drafts(request.user):
                return self._respond(article, services.latest_record(article))
            return self._respond(article)  # readers: the latest they may read is the published one
        number = _parse_positive_int(wanted, "version")
        record = get_readable_version_or_404(request.user, article, number)
        return self._respond(article, record)

    def create(self, request: Request) -> Response:
        _check_editor(request)
        data = _validated(s.ArticleCreateSerializer, request)
        owner = self._owner(request, data.pop("owner", None))
        article = services.create_article(actor=_actor(request), owner=owner, **data)
        fresh = self._reload(article)
        return self._respond(fresh, services.latest_record(fresh), status.HTTP_201_CREATED)

    def partial_update(self, request: Request, **kwargs: Any) -> Response:
        article = self.get_object()
        data = _validated(s.ArticleUpdateSerializer, request)
        if "owner" in data:
            data["owner"] = self._owner(request, data["owner"])
        base_version = data.pop("base_version", None)
        change_note = data.pop("change_note")
        article = services.update_article(
            actor=_actor(request), article=article, base_version=base_version, change_note=change_note, **data
        )
        return self._latest(article)

    @staticmethod
    def _owner(request: Request, username: str | None) -> User | None:
        """Owners are reassigned by admins only, and only to someone who can maintain the article."""
        if username is None:
            return None
        if not _actor(request).is_kb_admin:
            raise exceptions.PermissionDenied("Only admins change an article's owner.")
        owner = User.objects.filter(username=username, is_active=True).first()
        if owner is None:
            raise exceptions.ValidationError({"owner": [f"Unknown user: {username[:150]}."]})
        if not access.is_editor(owner):
            raise exceptions.ValidationError({"owner": ["The owner must be a lead or an admin."]})
        return owner
