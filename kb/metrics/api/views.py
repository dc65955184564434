"""Metrics API (CONTRACT §10): read-only; every figure is defined in docs/metrics.md."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kb.lib.api import Pagination
from kb.metrics import selectors
from kb.metrics.access import can_see_metrics, can_see_participation

PERIOD_PARAMS = [
    OpenApiParameter("since", OpenApiTypes.DATE, description="first day (included), KB_TIME_ZONE"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="last day (included), KB_TIME_ZONE"),
]


class SeesMetrics(BasePermission):
    message = "Metrics are for leads, trainers and admins."

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_see_metrics(request.user)


class SeesParticipation(BasePermission):
    message = "Participation per person is for leads and admins."

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_see_participation(request.user)


class MetricsView(APIView):
    permission_classes = [SeesMetrics]

    def period(self, request: Request) -> selectors.Period:
        return selectors.parse_period(request.query_params.get("since"), request.query_params.get("until"))

    def paginated(self, request: Request, rows: Any, to_row: Any, period: selectors.Period) -> Response:
        paginator = Pagination()
        page: list[Any] | None = paginator.paginate_queryset(rows, request, view=self)
        response = paginator.get_paginated_response([to_row(x) for x in page or []])
        response.data = {**period.as_dict(), **response.data}
        return response


class SummaryView(MetricsView):
    @extend_schema(parameters=PERIOD_PARAMS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(selectors.summary(request.user, self.period(request)))


class ArticlesView(MetricsView):
    @extend_schema(
        parameters=[*PERIOD_PARAMS, OpenApiParameter("sort", str, enum=list(selectors.ARTICLE_SORTS))],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        period = self.period(request)
        qs = selectors.article_metrics(request.user, period, sort=request.query_params.get("sort", "links"))
        return self.paginated(request, qs, selectors.article_row, period)


class CategoriesView(MetricsView):
    @extend_schema(
        parameters=[*PERIOD_PARAMS, OpenApiParameter("gaps", bool, description="only coverage gaps")],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        period = self.period(request)
        rows = selectors.category_metrics(request.user, period)
        if request.query_params.get("gaps") in ("1", "true"):
            rows = [r for r in rows if r["coverage_gap"]]
        return self.paginated(request, rows, lambda r: r, period)


class ParticipationView(MetricsView):
    permission_classes = [SeesParticipation]

    @extend_schema(parameters=PERIOD_PARAMS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        period = self.period(request)
        return Response({**period.as_dict(), **selectors.participation(request.user, period)})


class ReviewQueueView(MetricsView):
    @extend_schema(parameters=PERIOD_PARAMS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        period = self.period(request)
        return self.paginated(
            request, selectors.review_queue(request.user, period), selectors.review_row, period
        )


class FailedSearchesView(MetricsView):
    @extend_schema(parameters=PERIOD_PARAMS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        period = self.period(request)
        return Response({**period.as_dict(), **selectors.failed_searches(request.user, period)})
