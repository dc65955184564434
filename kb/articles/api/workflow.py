"""Workflow and version actions of the articles API: each one looks the article up (404 if
unreadable), checks the role in ``kb.articles.access`` (403), then makes one service call."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kb.articles import access, services
from kb.articles.api import serializers as s
from kb.articles.api.common import (
    ARTICLE_ID,
    BAD_REQUEST,
    NOT_FOUND,
    WRITE_ERRORS,
    IsEditorForWrites,
    _is_whole_number,
    _list_of,
    _validated,
)
from kb.articles.diff import diff_records
from kb.articles.models import Article
from kb.articles.selectors import (
    get_readable_version_or_404,
    version_rows,
)


class WorkflowActions(viewsets.GenericViewSet):
    """submit, approve, publish, revert, archive, restore, reviewed (leads and admins)."""

    def _latest(self, article: Article) -> Response:  # provided by ArticleViewSet
        raise NotImplementedError

    def _action(
        self, serializer_class: type[s.serializers.Serializer], service: Any, **extra: Any
    ) -> Response:
        article = self.get_object()
        if not access.can_edit(self.request.user, article):
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


class VersionActions(viewsets.GenericViewSet):
    """versions, one version, and the diff of two: readers get only published versions."""

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
