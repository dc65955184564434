"""Shapes of the categories and articles API (CONTRACT §7).

Input serializers only check the *shape* of a payload (types, lengths, required keys) and hand clean
data to ``kb.articles.services``; domain rules (unknown category codes, version conflicts, workflow
states) stay in the services so the web editor and the API refuse the same things the same way.
Output serializers read from small view objects (``CategoryView``, ``ArticleView``) prepared by the
views, so the OpenAPI schema documents exactly what the endpoints send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rest_framework import serializers

from kb.articles.models import Kind, Status
from kb.articles.services import NOTE_MAX, REVIEW_DAYS_MAX, SUMMARY_MAX, TAG_MAX, TAGS_MAX, TITLE_MAX
from kb.lib.text_checks import validate_name, validate_text

# A code is at most 120 characters; lists are bounded so a huge payload cannot make work.
CODES_MAX = 50
TEAMS_MAX = 50


def reject_unknown_fields(serializer: serializers.Serializer, data: Any) -> None:
    """Refuse keys the serializer does not declare: a typo or a read-only field is never silently dropped.

    This is what stops mass assignment of ``status``, ``version``, ``published_version`` and the like:
    they are not writable fields, so a payload naming them is a 400 naming them.
    """
    if not isinstance(data, dict):
        return
    unknown = sorted(str(k) for k in data if k not in serializer.fields)
    if unknown:
        raise serializers.ValidationError({k[:100]: ["Unknown or read-only field."] for k in unknown[:20]})


class StrictSerializer(serializers.Serializer):
    """A serializer that answers 400 for keys it does not know."""

    def to_internal_value(self, data: Any) -> Any:
        reject_unknown_fields(self, data)
        return super().to_internal_value(data)


class StrictCharField(serializers.CharField):
    """Text only: DRF's CharField would turn ``123`` or ``true`` into strings."""

    default_error_messages = {"not_text": "Must be text."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON whole number (or its decimal string); never a boolean or a float with a fraction."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool | float):
            self.fail("invalid")
        if isinstance(data, str) and len(data) > 20:
            self.fail("max_string_length")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON ``true`` or ``false``: "material" must be a deliberate answer, not a truthy string."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


def _text(
    max_length: int, *, required: bool = False, allow_blank: bool = True, name: bool = False
) -> StrictCharField:
    """Free text (or, with ``name``, a title or name: no bidi controls, not invisible-only)."""
    return StrictCharField(
        max_length=max_length,
        required=required,
        allow_blank=allow_blank,
        trim_whitespace=False,
        validators=[validate_name if name else validate_text],
    )


# ---------------------------------------------------------------------------------------------
# categories


@dataclass
class CategoryView:
    code: str
    name: str
    description: str
    parent: str | None
    path: list[str]
    article_count: int


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    parent = serializers.CharField(read_only=True, allow_null=True, help_text="Code of the parent, or null.")  # type: ignore[assignment]
    path = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Codes from the root down to this category."
    )
    article_count = serializers.IntegerField(
        read_only=True, help_text="Articles filed directly under this category that the caller can see."
    )


class CategoryCreateSerializer(StrictSerializer):
    code = StrictCharField(max_length=120, help_text="e.g. ACCOUNT.LOGIN.2FA")
    name = _text(200, required=True, allow_blank=False, name=True)
    description = _text(5_000)
    parent = StrictCharField(max_length=120, required=False, allow_null=True, allow_blank=True)  # type: ignore[assignment]


class CategoryUpdateSerializer(StrictSerializer):
    code = StrictCharField(max_length=120, required=False, help_text="Cannot change; accepted if unchanged.")
    name = _text(200, allow_blank=False, name=True)
    description = _text(5_000)
    parent = StrictCharField(max_length=120, required=False, allow_null=True, allow_blank=True)  # type: ignore[assignment]


# ---------------------------------------------------------------------------------------------
# articles


@dataclass
class ArticleView:
    """One article as one caller sees it: workflow fields from the row, content from ``record``."""

    id: int
    slug: str
    url: str
    title: str
    kind: str
    summary: str
    body: str
    body_html: str
    categories: list[str]
    tags: list[str]
    owner: str
    teams: list[str]
    status: str
    version: int
    latest_version: int
    published_version: int | None
    review_interval_days: int
    last_reviewed_at: datetime | None
    last_reviewed_by: str | None
    review_due_at: datetime
    is_stale: bool
    source_path: str | None
    created_at: datetime
    updated_at: datetime


class ArticleSerializer(serializers.Serializer):
    """``GET /api/v1/articles/{id}/``: exactly the fields of CONTRACT §7."""

    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="The article's web page.")
    title = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    summary = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True, help_text="Markdown.")
    body_html = serializers.CharField(read_only=True, help_text="Rendered and sanitised HTML.")
    categories = serializers.ListField(child=serializers.CharField(), read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    owner = serializers.CharField(read_only=True, help_text="Username.")
    teams = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Empty: everyone signed in."
    )
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    version = serializers.IntegerField(read_only=True, help_text="The version shown.")
    latest_version = serializers.IntegerField(read_only=True)
    published_version = serializers.IntegerField(read_only=True, allow_null=True)
    review_interval_days = serializers.IntegerField(read_only=True)
    last_reviewed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_reviewed_by = serializers.CharField(read_only=True, allow_null=True)
    review_due_at = serializers.DateTimeField(read_only=True)
    is_stale = serializers.BooleanField(read_only=True)
    source_path = serializers.CharField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ArticleListItemSerializer(ArticleSerializer):
    """A list row: the detail fields without ``body`` and ``body_html`` (fetch one article for those)."""

    body = None  # type: ignore[assignment]
    body_html = None  # type: ignore[assignment]


class _ArticleContentFields(StrictSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    summary = _text(SUMMARY_MAX)
    body = _text(1_000_000, required=False)
    categories = serializers.ListField(
        child=StrictCharField(max_length=120), required=False, max_length=CODES_MAX, help_text="Codes."
    )
    tags = serializers.ListField(
        child=StrictCharField(max_length=TAG_MAX, validators=[validate_name]),
        required=False,
        max_length=TAGS_MAX,
    )
    teams = serializers.ListField(
        child=StrictCharField(max_length=100, validators=[validate_name]),
        required=False,
        max_length=TEAMS_MAX,
        help_text="Team names; empty: everyone signed in.",
    )
    review_interval_days = StrictIntegerField(min_value=1, max_value=REVIEW_DAYS_MAX, required=False)
    owner = StrictCharField(
        max_length=150, required=False, help_text="Username of a lead or admin. Admins only."
    )
    change_note = _text(NOTE_MAX, required=True, allow_blank=False)


class ArticleCreateSerializer(_ArticleContentFields):
    title = _text(TITLE_MAX, required=True, allow_blank=False, name=True)


class ArticleUpdateSerializer(_ArticleContentFields):
    title = _text(TITLE_MAX, allow_blank=False, name=True)
    base_version = StrictIntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The version the edit started from."
    )


class NoteSerializer(StrictSerializer):
    note = _text(NOTE_MAX)


class PublishSerializer(StrictSerializer):
    version = StrictIntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True, help_text="Default: the latest."
    )
    material = StrictBooleanField(help_text="Does this change ask readers to re-read?")
    note = _text(NOTE_MAX)


class RevertSerializer(StrictSerializer):
    version = StrictIntegerField(min_value=1, max_value=2**31 - 1)
    change_note = _text(NOTE_MAX)


class VersionRowSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    author = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    change_note = serializers.CharField()
    published = serializers.BooleanField()
    material = serializers.BooleanField(allow_null=True, help_text="Null when never published.")


@dataclass
class VersionView:
    version: int
    author: str | None
    created_at: datetime
    change_note: str
    title: str
    summary: str
    body: str
    body_html: str
    categories: list[str]
    tags: list[str]


class VersionDetailSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    author = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    change_note = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    body = serializers.CharField()
    body_html = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    tags = serializers.ListField(child=serializers.CharField())


class DiffChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    ops = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        help_text='[["equal"|"insert"|"delete", text], …]',
    )


class DiffSerializer(serializers.Serializer):
    # "from" is a Python keyword: declared through the fields dict below.
    to = serializers.IntegerField()
    changes = DiffChangeSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        return {"from": serializers.IntegerField(), **fields}


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    base_version = serializers.IntegerField()
    current_version = serializers.IntegerField()
    diff_url = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
