"""Categories API (CONTRACT §7): codes in URLs and payloads; paths read from the codes."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from kb.articles import services
from kb.articles.api import serializers as s
from kb.articles.api.common import (
    BAD_REQUEST,
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    IsEditorForWrites,
    _actor,
    _check_editor,
    _validated,
)
from kb.articles.models import CATEGORY_CODE_RE, Category
from kb.articles.selectors import (
    ancestor_codes,
    category_article_counts,
    parent_code,
)

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
