"""Shapes of the search API (CONTRACT §8)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from kb.lib.errors import InvalidInput
from kb.search.models import Synonym
from kb.search.services import MAX_SYNONYM_TERMS, MAX_TERM_CHARS, check_terms_size


class SearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField()
    version = serializers.IntegerField()
    score = serializers.FloatField()
    snippet = serializers.CharField(help_text="Safe HTML: escaped text, matches in <mark>.")
    categories = serializers.ListField(child=serializers.CharField())
    source_path = serializers.CharField(allow_null=True)


class FacetsSerializer(serializers.Serializer):
    kind = serializers.DictField(child=serializers.IntegerField())
    category = serializers.DictField(child=serializers.IntegerField())


class SearchResponseSerializer(serializers.Serializer):
    search_id = serializers.UUIDField()
    query = serializers.CharField()
    count = serializers.IntegerField()
    suggestion = serializers.CharField(allow_null=True)
    notice = serializers.CharField(allow_null=True)
    took_ms = serializers.IntegerField()
    facets = FacetsSerializer()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchResultSerializer(many=True)


class OpenedSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    rank = serializers.IntegerField(min_value=1, max_value=10_000)


class NotFoundSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class SearchLogEntrySerializer(serializers.Serializer):
    search_id = serializers.UUIDField(source="id")
    query = serializers.CharField()
    opened_article = serializers.IntegerField(source="opened_article_id", allow_null=True)
    opened_rank = serializers.IntegerField(allow_null=True)
    not_found = serializers.BooleanField()


class TermsField(serializers.ListField):
    """A list of terms whose size is checked before DRF validates each item (20,000 items would
    otherwise each be validated before the limit of 20 is looked at)."""

    def to_internal_value(self, data: Any) -> Any:
        try:
            check_terms_size(data if isinstance(data, list) else None)
        except InvalidInput as exc:
            raise serializers.ValidationError(exc.message) from None
        return super().to_internal_value(data)


class SynonymSerializer(serializers.ModelSerializer):
    terms = TermsField(
        child=serializers.CharField(max_length=MAX_TERM_CHARS), min_length=2, max_length=MAX_SYNONYM_TERMS
    )

    class Meta:
        model = Synonym
        fields = ["id", "terms"]
        read_only_fields = ["id"]
