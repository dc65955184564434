"""Search API (CONTRACT §8): thin views over ``kb.search.selectors`` and ``kb.search.services``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kb.articles import access
from kb.articles.models import Kind
from kb.search import services
from kb.search.api import serializers as s
from kb.search.models import Synonym
from kb.search.selectors import MAX_LIMIT, search_articles

BAD_REQUEST = OpenApiResponse(OpenApiTypes.OBJECT, description="Field name → list of messages.")
NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="No such search of yours.")


def _positive_int(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise exceptions.ValidationError({name: ["A whole number from 1."]}) from None
    if value < 1:
        raise exceptions.ValidationError({name: ["A whole number from 1."]})
    return min(value, maximum) if maximum else value


def _page_url(request: Request, page: int) -> str:
    params = request.query_params.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(request.path) + "?" + urlencode(list(params.lists()), doseq=True)


def result_payload(article: Any, score: float, snippet: str) -> dict[str, Any]:
    record = article.published_record
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": record.title,
        "kind": record.kind,
        "summary": record.summary,
        "url": article.get_absolute_url(),
        "version": article.published_version,
        "score": score,
        "snippet": snippet,
        "categories": list(record.category_codes or []),
        "source_path": article.source_path,
    }


class SearchView(APIView):
    """Published articles the caller may read, best first."""

    @extend_schema(
        operation_id="search",
        parameters=[
            OpenApiParameter("q", str, required=True, description="1–256 characters; quotes make phrases."),
            OpenApiParameter("category", str, description="A category code; includes its children."),
            OpenApiParameter("kind", str, enum=list(Kind.values)),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="1–100, default 20."),
        ],
        responses={200: s.SearchResponseSerializer, 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        page = _positive_int(request, "page", 1, maximum=10_000)
        size = _positive_int(request, "page_size", 20, maximum=MAX_LIMIT)
        result = search_articles(
            request.user,
            request.query_params.get("q", ""),
            category=request.query_params.get("category"),
            kind=request.query_params.get("kind"),
            limit=size,
            offset=(page - 1) * size,
            source="api",
        )
        has_next = page * size < result.count
        return Response(
            {
                "search_id": str(result.search_id),
                "query": result.query,
                "count": result.count,
                "suggestion": result.suggestion,
                "notice": result.notice,
                "took_ms": result.took_ms,
                "facets": result.facets,
                "next": _page_url(request, page + 1) if has_next else None,
                "previous": _page_url(request, page - 1) if page > 1 else None,
                "results": [result_payload(a, sc, sn) for a, sc, sn in result.hits],
            }
        )


class SearchOpenedView(APIView):
    @extend_schema(
        operation_id="search_opened",
        request=s.OpenedSerializer,
        responses={200: s.SearchLogEntrySerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, search_id: str) -> Response:
        data = s.OpenedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.record_opened(
            user=request.user,
            search_id=search_id,
            article_id=data.validated_data["article"],
            rank=data.validated_data["rank"],
        )
        return Response(s.SearchLogEntrySerializer(entry).data)


class SearchNotFoundView(APIView):
    @extend_schema(
        operation_id="search_not_found",
        request=s.NotFoundSerializer,
        responses={200: s.SearchLogEntrySerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, search_id: str) -> Response:
        data = s.NotFoundSerializer(data=request.data if isinstance(request.data, dict) else {})
        data.is_valid(raise_exception=True)
        entry = services.record_not_found(
            user=request.user, search_id=search_id, comment=data.validated_data.get("comment", "")
        )
        return Response(s.SearchLogEntrySerializer(entry).data)


class EditorsWrite(permissions.BasePermission):
    message = "Only leads and admins edit synonyms."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or access.is_editor(request.user)


class SynonymViewSet(viewsets.ModelViewSet):
    """Synonym groups expanded at query time; everyone signed in reads, leads and admins write."""

    serializer_class = s.SynonymSerializer
    permission_classes = [EditorsWrite]
    queryset = Synonym.objects.all()
    http_method_names = ["get", "post", "put", "delete", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        syn = services.create_synonym(actor=request.user, terms=data.validated_data["terms"])
        return Response(self.get_serializer(syn).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        syn = self.get_object()
        data = self.get_serializer(syn, data=request.data)
        data.is_valid(raise_exception=True)
        syn = services.update_synonym(actor=request.user, synonym=syn, terms=data.validated_data["terms"])
        return Response(self.get_serializer(syn).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.delete_synonym(actor=request.user, synonym=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
