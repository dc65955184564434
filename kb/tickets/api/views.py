"""Tickets API (CONTRACT §10): views parse input and call one service each."""

from __future__ import annotations

from typing import Any, cast

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from kb.tickets import selectors, services
from kb.tickets.api import serializers as s


def _ticket_payload(request: Request, ticket: Any) -> dict[str, Any]:
    rows = selectors.ticket_resolutions(request.user, ticket)
    return s.TicketSerializer(ticket, context={"resolutions": rows}).data  # type: ignore[return-value]


class TicketDetail(APIView):
    """PUT upserts a ticket from the helpdesk; GET shows it with the resolutions the caller may read."""

    @extend_schema(request=s.TicketInSerializer, responses={200: s.TicketSerializer, 201: s.TicketSerializer})
    def put(self, request: Request, external_id: str) -> Response:
        services.clean_external_id(external_id)
        body = s.TicketInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ticket, created = services.upsert_ticket(external_id=external_id, **body.validated_data)
        return Response(
            _ticket_payload(request, ticket),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses={200: s.TicketSerializer})
    def get(self, request: Request, external_id: str) -> Response:
        ticket = services.get_ticket(external_id)
        return Response(_ticket_payload(request, ticket))


class ResolutionCreate(APIView):
    """Record (or update) which article version was used on a ticket; idempotent per pair."""

    @extend_schema(
        request=s.ResolutionInSerializer, responses={200: s.ResolutionSerializer, 201: s.ResolutionSerializer}
    )
    def post(self, request: Request) -> Response:
        body = s.ResolutionInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record, created = services.record_resolution(actor=cast(User, request.user), **body.validated_data)
        return Response(
            s.ResolutionSerializer(record).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class Suggest(APIView):
    """Articles for a ticket's category and subject, best first, each with its reasons."""

    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, description="ticket category code"),
            OpenApiParameter("text", str, description="ticket subject or text"),
            OpenApiParameter("limit", int, description="1–20, default 5"),
        ],
        responses={200: s.SuggestResponseSerializer},
    )
    def get(self, request: Request) -> Response:
        found = selectors.suggest_articles(
            request.user,
            category=request.query_params.get("category") or None,
            text=request.query_params.get("text", ""),
            limit=request.query_params.get("limit", 5),
        )
        return Response({"results": [suggestion_payload(x) for x in found]})


def suggestion_payload(x: selectors.Suggestion) -> dict[str, Any]:
    return {
        "id": x.article.pk,
        "title": x.article.title,
        "url": reverse("articles:detail", args=[x.article.slug]),
        "kind": x.article.kind,
        "score": round(x.score, 3),
        "reasons": x.reasons,
    }


class ArticleFeedback(APIView):
    """The caller's helpful / not-helpful vote on a version (default: the published one)."""

    @extend_schema(
        request=s.FeedbackInSerializer, responses={200: s.FeedbackSerializer, 201: s.FeedbackSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        body = s.FeedbackInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fb, created = services.give_feedback(
            actor=cast(User, request.user), article=pk, **body.validated_data
        )
        return Response(
            s.FeedbackSerializer(fb).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ArticleFlags(APIView):
    """Raise a flag on a version; it becomes a task in the owner's queue."""

    @extend_schema(request=s.FlagInSerializer, responses={201: s.FlagSerializer})
    def post(self, request: Request, pk: int) -> Response:
        body = s.FlagInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        flag = services.raise_flag(actor=cast(User, request.user), article=pk, **body.validated_data)
        return Response(s.FlagSerializer(flag).data, status=status.HTTP_201_CREATED)


class FlagList(ListAPIView):
    """Flags on articles the caller can see (editors: all; others: their own), newest first."""

    serializer_class = s.FlagSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=["open", "closed"]),
            OpenApiParameter("owner", str, description="username of the articles' owner"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):  # type: ignore[override]
        return selectors.visible_flags(
            self.request.user,
            state=self.request.query_params.get("state") or None,
            owner=self.request.query_params.get("owner") or None,
        )


class FlagClose(APIView):
    """Close a flag with how it was resolved (owner, leads, admins)."""

    @extend_schema(request=s.FlagCloseInSerializer, responses={200: s.FlagSerializer})
    def post(self, request: Request, pk: int) -> Response:
        body = s.FlagCloseInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        flag = services.close_flag(
            actor=cast(User, request.user), flag=pk, resolution=body.validated_data["resolution"]
        )
        return Response(s.FlagSerializer(flag).data)
