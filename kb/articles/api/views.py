"""Categories and articles API (CONTRACT §6–§7).

Thin views: every read goes through ``kb.articles.access.visible_articles`` (``get_queryset``) so an
article the caller may not read is a 404 exactly like a missing one; every write is one call to a
service in ``kb.articles.services``, whose ``DomainError`` the shared handler in ``kb.lib.api`` turns
into 400/403/404/409. 403 is only given for an object the caller can read but may not change.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from typing import Any, cast

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from kb.articles import services
from kb.articles.access import can_edit, can_see_drafts, is_editor, visible_article, visible_articles
from kb.articles.api import serializers as s
from kb.articles.diff import diff_records
from kb.articles.models import CATEGORY_CODE_RE, Article, Category, Kind, Status
from kb.articles.selectors import (
    ancestor_codes,
    category_article_counts,
    descendant_ids,
    get_readable_version_or_404,
    parent_code,
    version_rows,
)

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
        return is_editor(request.user)


def _actor(request: Request) -> User:
    """The signed-in caller (every view here requires authentication first)."""
    return cast(User, request.user)


def _check_editor(request: Request) -> None:
    if not is_editor(request.user):
        raise exceptions.PermissionDenied(IsEditorForWrites.message)


def _validated(serializer_class: type[s.serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# ---------------------------------------------------------------------------------------------
# categories


def _category_views(categories: list[Category], user: Any) -> list[s.CategoryView]:
    """Views of ``categories`` with path and count: one query whatever the number of categories
    (paths come from the codes, ``selectors.ancestor_codes``)."""
    counts = category_article_counts(user)  # one aggregated query over what the user can see
    return [
        s.CategoryView(
            code=cat.code,
            name=cat.name,
            description=cat.description,
            parent=parent_code(cat.code),
            path=ancestor_codes(cat.code),
            article_count=counts.get(cat.id, 0),
        )
        for cat in categories
    ]


@extend_schema_view(
    list=extend_schema(summary="List categories", responses=s.CategorySerializer(many=True)),
    retrieve=extend_schema(summary="One category", responses={200: s.CategorySerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="Create a category (leads, admins)",
        request=s.CategoryCreateSerializer,
        responses={201: s.CategorySerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Change a category's name, description or parent (leads, admins)",
        request=s.CategoryUpdateSerializer,
        responses={200: s.CategorySerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    destroy=extend_schema(
        summary="Delete a category without children or articles (leads, admins)",
        responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    ),
)
class CategoryViewSet(viewsets.GenericViewSet):
    """The ticket-category tree, addressed by code (codes contain dots, hence the lookup pattern)."""

    queryset = Category.objects.all()
    serializer_class = s.CategorySerializer
    permission_classes = [IsEditorForWrites]
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Category]:
        return Category.objects.order_by("code")

    def get_object(self) -> Category:
        code = str(self.kwargs.get("code", ""))
        if len(code) > 120 or not re.fullmatch(CATEGORY_CODE_RE, code):
            raise Http404("No such category.")  # never a code: no need to ask the database
        try:
            category = self.get_queryset().get(code=code)
        except Category.DoesNotExist:
            raise Http404("No such category.") from None
        self.check_object_permissions(self.request, category)
        return category

    def _one(self, category: Category, status_code: int = 200) -> Response:
        view = _category_views([category], self.request.user)[0]
        return Response(s.CategorySerializer(view).data, status=status_code)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # pagination is always on (settings)
        views = _category_views(page, request.user)
        return self.get_paginated_response(s.CategorySerializer(views, many=True).data)

    def retrieve(self, request: Request, code: str) -> Response:
        return self._one(self.get_object())

    def create(self, request: Request) -> Response:
        _check_editor(request)
        data = _validated(s.CategoryCreateSerializer, request)
        category = services.create_category(actor=_actor(request), **data)
        return self._one(category, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, code: str) -> Response:
        category = self.get_object()
        data = _validated(s.CategoryUpdateSerializer, request)
        category = services.update_category(actor=_actor(request), category=category, **data)
        return self._one(category)

    def destroy(self, request: Request, code: str) -> Response:
        category = self.get_object()
        services.delete_category(actor=_actor(request), category=category)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------------------------------------
# articles


def _list_of(value: Any) -> list[str]:
    return list(value or [])


def article_view(request: Request, article: Article, record: Any, *, with_body: bool = True) -> s.ArticleView:
    """The article as this caller sees it; ``record`` is the version shown (a history row or the row).

    Readers only ever reach published, non-archived articles, so they are told ``published`` and the
    latest version they may read; leads, trainers and admins get the real workflow state.
    """
    sees_drafts = can_see_drafts(request.user)
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
VERSION_PARAM = OpenApiParameter(
    "version",
    OpenApiTypes.STR,
    description="`latest` or a number; only leads, trainers and admins see unpublished versions.",
)
ARTICLE_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
WRITE_ERRORS = {400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}


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
class ArticleViewSet(viewsets.GenericViewSet):
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
        sees_drafts = can_see_drafts(user)
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
            if can_see_drafts(request.user):
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
        if not is_editor(owner):
            raise exceptions.ValidationError({"owner": ["The owner must be a lead or an admin."]})
        return owner

    # -- workflow actions --------------------------------------------------------------------

    def _action(
        self, serializer_class: type[s.serializers.Serializer], service: Any, **extra: Any
    ) -> Response:
        article = self.get_object()
        if not can_edit(self.request.user, article):
            raise exceptions.PermissionDenied(IsEditorForWrites.message)
        data = _validated(serializer_class, self.request)
        article = service(actor=self.request.user, article=article, **data, **extra)
        return self._latest(article)

    @extend_schema(
        summary="Send the latest version to the review queue",
        parameters=[ARTICLE_ID],
        request=s.NoteSerializer,
        responses={200: s.ArticleSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, **kwargs: Any) -> Response:
        return self._action(s.NoteSerializer, services.submit_article)

    @extend_schema(
        summary="Approve the version in review",
        parameters=[ARTICLE_ID],
        request=s.NoteSerializer,
        responses={200: s.ArticleSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, **kwargs: Any) -> Response:
        return self._action(s.NoteSerializer, services.approve_article)

    @extend_schema(
        summary="Publish a version (pins what readers see)",
        parameters=[ARTICLE_ID],
        request=s.PublishSerializer,
        responses={200: s.ArticleSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, **kwargs: Any) -> Response:
        return self._action(s.PublishSerializer, services.publish_article)

    @extend_schema(
        summary="Save a new version with an older version's content",
        parameters=[ARTICLE_ID],
        request=s.RevertSerializer,
        responses={200: s.ArticleSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def revert(self, request: Request, **kwargs: Any) -> Response:
        return self._action(s.RevertSerializer, services.revert_article)

    @extend_schema(
        summary="Archive: hidden from readers and search, history kept",
        parameters=[ARTICLE_ID],
        request=s.NoteSerializer,
        responses={200: s.ArticleSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, **kwargs: Any) -> Response:
        return self._action(s.NoteSerializer, services.archive_article)

    @extend_schema(
        summary="Undo an archive",
        parameters=[ARTICLE_ID],
        request=s.NoteSerializer,
        responses={200: s.ArticleSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, **kwargs: Any) -> Response:
        return self._action(s.NoteSerializer, services.restore_article)

    @extend_schema(
        summary="Record a review now by the caller",
        parameters=[ARTICLE_ID],
        request=s.NoteSerializer,
        responses={200: s.ArticleSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reviewed(self, request: Request, **kwargs: Any) -> Response:
        return self._action(s.NoteSerializer, services.mark_reviewed)

    # -- versions and diff -------------------------------------------------------------------

    @extend_schema(
        summary="Versions, newest first (readers: only versions that were published)",
        parameters=[ARTICLE_ID],
        responses={200: s.VersionRowSerializer(many=True), 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request: Request, **kwargs: Any) -> Response:
        article = self.get_object()
        rows = version_rows(request.user, article)
        return Response(s.VersionRowSerializer(rows, many=True).data)

    @extend_schema(
        summary="One version's content",
        parameters=[ARTICLE_ID, OpenApiParameter("n", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: s.VersionDetailSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<n>[^/]+)", url_name="version")
    def version(self, request: Request, n: str, **kwargs: Any) -> Response:
        article = self.get_object()
        if not _is_whole_number(n, 9):
            raise Http404("No such version.")
        record = get_readable_version_or_404(request.user, article, int(n))
        view = s.VersionView(
            version=record.version,
            author=record.history_user.username if record.history_user else None,
            created_at=record.history_date,
            change_note=record.history_change_reason or "",
            title=record.title,
            summary=record.summary,
            body=record.body,
            body_html=record.body_html,
            categories=_list_of(record.category_codes),
            tags=_list_of(record.tag_names),
        )
        return Response(s.VersionDetailSerializer(view).data)

    @extend_schema(
        summary="Word-level differences between two versions",
        parameters=[
            ARTICLE_ID,
            OpenApiParameter("from", OpenApiTypes.INT, required=True),
            OpenApiParameter("to", OpenApiTypes.INT, required=True),
        ],
        responses={200: s.DiffSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, **kwargs: Any) -> Response:
        article = self.get_object()
        errors: dict[str, list[str]] = {}
        numbers: dict[str, int] = {}
        for field in ("from", "to"):
            raw = request.query_params.get(field)
            if raw is None or raw == "":
                errors[field] = ["This parameter is required."]
            elif not _is_whole_number(raw, 9) or int(raw) < 1:
                errors[field] = ["A version number (a whole number from 1)."]
            else:
                numbers[field] = int(raw)
        if errors:
            raise exceptions.ValidationError(errors)
        old = get_readable_version_or_404(request.user, article, numbers["from"])
        new = get_readable_version_or_404(request.user, article, numbers["to"])
        changes = [{"field": c["field"], "ops": c["ops"]} for c in diff_records(old, new)]
        return Response({"from": numbers["from"], "to": numbers["to"], "changes": changes})
