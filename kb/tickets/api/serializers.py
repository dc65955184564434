"""Shapes of the tickets API (CONTRACT §10). Input shapes only check types; services check meaning."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from kb.articles.models import article_url
from kb.tickets.models import Feedback, Flag, FlagReason, Outcome, Resolution, Ticket, TicketStatus


class TicketInSerializer(serializers.Serializer):
    category = serializers.CharField(max_length=10_000, trim_whitespace=False)
    subject = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    status = serializers.ChoiceField(choices=TicketStatus.choices, required=False)
    opened_at = serializers.DateTimeField(required=False, allow_null=True)
    closed_at = serializers.DateTimeField(required=False, allow_null=True)


class ResolutionInSerializer(serializers.Serializer):
    ticket = serializers.CharField(max_length=10_000, trim_whitespace=False)
    article = serializers.IntegerField()
    version = serializers.IntegerField(required=False, allow_null=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices)


class FeedbackInSerializer(serializers.Serializer):
    helpful = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    version = serializers.IntegerField(required=False, allow_null=True)


class FlagInSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    version = serializers.IntegerField(required=False, allow_null=True)


class FlagCloseInSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=10_000)


class ResolutionSerializer(serializers.ModelSerializer):
    ticket = serializers.CharField(source="ticket.external_id", read_only=True)
    article = serializers.IntegerField(source="article_id", read_only=True)
    article_title = serializers.CharField(source="article.title", read_only=True)
    user = serializers.SerializerMethodField()
    version_url = serializers.SerializerMethodField()
    diff_url = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        fields = [
            "id",
            "ticket",
            "article",
            "article_title",
            "version",
            "outcome",
            "user",
            "created_at",
            "updated_at",
            "version_url",
            "diff_url",
        ]

    def get_user(self, obj: Resolution) -> str | None:
        return obj.user.username if obj.user else None

    def get_version_url(self, obj: Resolution) -> str:
        return article_url(obj.article.slug, "articles:version", obj.version)

    def get_diff_url(self, obj: Resolution) -> str:
        return (
            article_url(obj.article.slug, "articles:diff")
            + f"?from={obj.version}&to={obj.article.published_version}"
        )


class TicketSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code", read_only=True)
    url = serializers.SerializerMethodField()
    resolutions = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "external_id",
            "url",
            "category",
            "subject",
            "status",
            "opened_at",
            "closed_at",
            "created_at",
            "updated_at",
            "resolutions",
        ]

    def get_url(self, obj: Ticket) -> str:
        return obj.get_absolute_url()

    def get_resolutions(self, obj: Ticket) -> list[dict[str, Any]]:
        rows = self.context.get("resolutions", [])
        return ResolutionSerializer(rows, many=True).data  # type: ignore[return-value]


class FeedbackSerializer(serializers.ModelSerializer):
    article = serializers.IntegerField(source="article_id", read_only=True)
    user = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Feedback
        fields = ["id", "article", "version", "user", "helpful", "comment", "created_at", "updated_at"]


class FlagSerializer(serializers.ModelSerializer):
    article = serializers.IntegerField(source="article_id", read_only=True)
    article_title = serializers.CharField(source="article.title", read_only=True)
    owner = serializers.CharField(source="article.owner.username", read_only=True)
    raised_by = serializers.SerializerMethodField()
    closed_by = serializers.SerializerMethodField()

    class Meta:
        model = Flag
        fields = [
            "id",
            "article",
            "article_title",
            "owner",
            "version",
            "reason",
            "comment",
            "state",
            "raised_by",
            "created_at",
            "closed_by",
            "closed_at",
            "resolution",
        ]

    def get_raised_by(self, obj: Flag) -> str | None:
        return obj.raised_by.username if obj.raised_by else None

    def get_closed_by(self, obj: Flag) -> str | None:
        return obj.closed_by.username if obj.closed_by else None


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    kind = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class SuggestResponseSerializer(serializers.Serializer):
    results = SuggestionSerializer(many=True)
