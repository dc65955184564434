"""Training API (CONTRACT §11). Thin views: shapes in, one service or selector call, shapes out.

Reading lists are readable by everyone signed in, but each caller only ever sees the articles they
may read; writes are for trainers and admins (403 otherwise). Assignments are managed by trainers
and admins; a reader may see the progress of an assignment only for themselves.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from kb.articles.access import readable_published_articles
from kb.training import selectors, services
from kb.training.api import serializers as s
from kb.training.models import Assignment, Quiz, ReadingList

BAD_REQUEST = OpenApiResponse(OpenApiTypes.OBJECT, description="Field name → list of messages.")
NOT_FOUND = OpenApiResponse(OpenApiTypes.OBJECT, description="Missing, or not visible to the caller.")
FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="Trainers and admins only.")
CONFLICT = OpenApiResponse(OpenApiTypes.OBJECT, description="Not the published version / list in use.")


def _me(request: Any) -> User:
    """The signed-in user (views here require login; DRF's default permission requires it too)."""
    return cast(User, request.user)


def _require_trainer(request: Request) -> None:
    if not _me(request).is_trainer:
        raise exceptions.PermissionDenied("Only trainers and admins manage reading lists and assignments.")


def _validated(serializer_class: type[Any], request: Request, *, partial: bool = False) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": ["A JSON object."]})
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    unknown = set(request.data) - set(serializer.fields)
    if unknown:
        raise exceptions.ValidationError({k: ["Unknown field."] for k in sorted(unknown)})
    return dict(serializer.validated_data)


def _readable_assignments(user: User) -> Any:
    """What a reader may open: assignments covering them whose article (if one) they may read."""
    readable = readable_published_articles(user).values("pk")
    return (
        selectors.covering_assignments(user)
        .filter(Q(article__isnull=True) | Q(article_id__in=readable))
        .select_related("reading_list", "article")
    )


def reading_list_payload(reading_list: ReadingList, articles: list[Any]) -> dict[str, Any]:
    return {
        "id": reading_list.pk,
        "title": reading_list.title,
        "description": reading_list.description,
        "articles": [a.pk for a in articles],
        "created_by": reading_list.created_by.username if reading_list.created_by else None,
        "created_at": reading_list.created_at,
        "updated_at": reading_list.updated_at,
    }


def assignment_payload(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "reading_list": a.reading_list_id,
        "article": a.article_id,
        "user": a.user.username if a.user_id and a.user else None,
        "team": a.team.name if a.team_id and a.team else None,
        "due": a.due,
        "note": a.note,
        "requires_quiz": a.requires_quiz,
        "created_by": a.created_by.username if a.created_by else None,
        "created_at": a.created_at,
        "progress_url": reverse("training-api:assignment-progress", args=[a.pk]),
    }


class ReadingListCollection(generics.GenericAPIView):
    serializer_class = s.ReadingListSerializer

    def get_queryset(self):
        return selectors.reading_lists()

    @extend_schema(summary="Reading lists", responses=s.ReadingListSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        articles = selectors.lists_articles(request.user, page)
        return self.get_paginated_response([reading_list_payload(rl, articles[rl.pk]) for rl in page])

    @extend_schema(
        summary="Create a reading list (trainers, admins)",
        request=s.ReadingListSerializer,
        responses={201: s.ReadingListSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        _require_trainer(request)
        data = _validated(s.ReadingListSerializer, request)
        reading_list = services.create_reading_list(actor=_me(request), **data)
        return Response(
            reading_list_payload(reading_list, selectors.list_articles(request.user, reading_list)),
            status=status.HTTP_201_CREATED,
        )


class ReadingListDetail(generics.GenericAPIView):
    serializer_class = s.ReadingListSerializer

    def get_queryset(self):
        return selectors.reading_lists()

    def _one(self, request: Request, reading_list: ReadingList) -> Response:
        return Response(
            reading_list_payload(reading_list, selectors.list_articles(request.user, reading_list))
        )

    @extend_schema(summary="One reading list", responses={200: s.ReadingListSerializer, 404: NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        return self._one(request, self.get_object())

    @extend_schema(
        summary="Change a reading list (trainers, admins); `articles` replaces the order",
        request=s.ReadingListPatchSerializer,
        responses={200: s.ReadingListSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        reading_list = self.get_object()
        _require_trainer(request)
        data = _validated(s.ReadingListPatchSerializer, request, partial=True)
        updated = services.update_reading_list(actor=_me(request), reading_list=reading_list, **data)
        return self._one(request, updated)

    @extend_schema(
        summary="Delete a reading list nobody is assigned (trainers, admins)",
        responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT},
    )
    def delete(self, request: Request, pk: int) -> Response:
        reading_list = self.get_object()
        _require_trainer(request)
        services.delete_reading_list(actor=_me(request), reading_list=reading_list)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssignmentCollection(generics.GenericAPIView):
    serializer_class = s.AssignmentSerializer

    def get_queryset(self):
        return selectors.visible_assignments(_me(self.request))

    @extend_schema(
        summary="Assignments (trainers, admins)", responses={200: s.AssignmentSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        _require_trainer(request)
        page = self.paginate_queryset(self.get_queryset()) or []
        return self.get_paginated_response([assignment_payload(a) for a in page])

    @extend_schema(
        summary="Assign a reading list or an article to a person or a team (trainers, admins)",
        request=s.AssignmentInputSerializer,
        responses={201: s.AssignmentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        _require_trainer(request)
        data = _validated(s.AssignmentInputSerializer, request)
        assignment = services.create_assignment(actor=_me(request), **data)
        return Response(assignment_payload(assignment), status=status.HTTP_201_CREATED)


class AssignmentDetail(generics.GenericAPIView):
    serializer_class = s.AssignmentSerializer

    def get_queryset(self):
        me = _me(self.request)
        return selectors.visible_assignments(me) if me.is_trainer else _readable_assignments(me)

    def get_object(self) -> Assignment:
        # 404 for any id the caller may not read (missing, or not theirs): it looks the same; 403
        # only for an assignment they can read (it covers them) but may not manage.
        assignment = super().get_object()
        _require_trainer(self.request)
        return assignment

    @extend_schema(
        summary="One assignment", responses={200: s.AssignmentSerializer, 403: FORBIDDEN, 404: NOT_FOUND}
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(assignment_payload(self.get_object()))

    @extend_schema(summary="Withdraw an assignment", responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND})
    def delete(self, request: Request, pk: int) -> Response:
        services.delete_assignment(actor=_me(request), assignment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def progress_payload(assignment: Assignment, grid: selectors.Grid) -> dict[str, Any]:
    return {
        "assignment": assignment.pk,
        "total": grid.total,
        "done": grid.done,
        "overdue": grid.overdue,
        "people": [
            {
                "user": row.person.username,
                "done": row.done,
                "total": row.total,
                "overdue": row.overdue,
                "items": [
                    {
                        "article": item.article.pk,
                        "title": item.article.title,
                        "state": item.state,
                        "due": item.due,
                        "acknowledged_version": item.acknowledged_version,
                        "published_version": item.published_version,
                        "needs_reack": item.needs_reack,
                    }
                    for item in row.items
                ],
            }
            for row in grid.rows
        ],
    }


class AssignmentProgress(APIView):
    """Trainers and admins see everyone; a reader only their own row of an assignment covering them
    (403 for anyone else's row; 404 for an assignment that does not cover them, as for a missing one)."""

    @extend_schema(
        summary="Progress of one assignment",
        parameters=[OpenApiParameter("user", str, description="narrow to one person (username)")],
        responses={200: s.ProgressSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        wanted = request.query_params.get("user")
        if user.is_trainer:
            assignment = get_object_or_404(selectors.visible_assignments(user), pk=pk)
            only = None
            if wanted:
                only = User.objects.filter(username=wanted).first()
                if only is None:
                    raise exceptions.ValidationError({"user": [f"Unknown user: {wanted[:150]}."]})
            grid = selectors.assignment_progress(viewer=user, assignment=assignment, only_user=only)
            return Response(progress_payload(assignment, grid))
        # An assignment that does not cover the caller is as missing as one that does not exist.
        assignment = get_object_or_404(_readable_assignments(user), pk=pk)
        if wanted and wanted != user.username:
            raise exceptions.PermissionDenied("You may only see your own progress.")
        # A reader sees the assignment through their own eyes: only articles they may read.
        grid = selectors.assignment_progress(viewer=user, assignment=assignment, only_user=user)
        return Response(progress_payload(assignment, grid))


def reading_item_payload(item: selectors.ReadingItem) -> dict[str, Any]:
    return {
        "article": item.article.pk,
        "title": item.article.title,
        "url": item.article.get_absolute_url(),
        "due": item.due,
        "state": item.state,
        "acknowledged_version": item.acknowledged_version,
        "published_version": item.published_version,
        "diff_url": item.diff_url,
        "assignments": item.assignment_ids,
    }


class MyReading(APIView):
    @extend_schema(summary="My reading: what I must (re-)read", responses={200: s.MyReadingSerializer})
    def get(self, request: Request) -> Response:
        items = selectors.my_reading(_me(request))
        return Response({"count": len(items), "results": [reading_item_payload(i) for i in items]})


class Acknowledge(APIView):
    @extend_schema(
        summary="I have read and understood the published version",
        request=s.AcknowledgeInputSerializer,
        responses={
            201: s.AcknowledgmentSerializer,
            200: s.AcknowledgmentSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        raw = request.data.get("version") if isinstance(request.data, dict) else None
        ack, created = services.acknowledge_article(user=_me(request), article_id=pk, version=raw)
        return Response(
            {
                "article": ack.article_id,
                "version": ack.version,
                "user": request.user.username,
                "created_at": ack.created_at,
            },
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ArticleQuiz(APIView):
    """Readers get the questions without answers; trainers also get the right answers and may set them."""

    def _article(self, request: Request, pk: int) -> Any:
        return get_object_or_404(readable_published_articles(request.user), pk=pk)

    @extend_schema(summary="The quiz of an article", responses={200: s.QuizInputSerializer, 404: NOT_FOUND})
    def get(self, request: Request, pk: int) -> Response:
        article = self._article(request, pk)
        quiz = get_object_or_404(Quiz, article=article)
        show = _me(request).is_trainer
        return Response(
            {
                "pass_mark": quiz.pass_mark,
                "questions": [
                    {"text": q.text, "choices": q.choices, **({"correct": q.correct} if show else {})}
                    for q in quiz.questions.all()
                ],
            }
        )

    @extend_schema(
        summary="Set the quiz of an article (trainers, admins)",
        request=s.QuizInputSerializer,
        responses={200: s.QuizInputSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def put(self, request: Request, pk: int) -> Response:
        article = self._article(request, pk)
        _require_trainer(request)
        data = _validated(s.QuizInputSerializer, request)
        services.set_quiz(
            actor=_me(request),
            article_id=article.pk,
            questions=[dict(q) for q in data["questions"]],
            pass_mark=data["pass_mark"],
        )
        return self.get(request, pk)


class QuizAttempts(APIView):
    @extend_schema(
        summary="Answer the quiz of an article",
        request=s.QuizAttemptInputSerializer,
        responses={201: s.QuizAttemptSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _validated(s.QuizAttemptInputSerializer, request)
        attempt = services.attempt_quiz(user=_me(request), article_id=pk, answers=data["answers"])
        return Response(
            {"score": attempt.score, "passed": attempt.passed, "pass_mark": attempt.quiz.pass_mark},
            status=status.HTTP_201_CREATED,
        )
