"""Shapes of the training API (CONTRACT §11). Input serializers check shape only; services decide."""

from __future__ import annotations

from rest_framework import serializers

from kb.lib.text_checks import validate_name


class ReadingListSerializer(serializers.Serializer):
    """A reading list as the caller sees it: ``articles`` holds only ids the caller may read."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=200, validators=[validate_name])
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    # List and text sizes are checked here, before any item is looked at (the services repeat them).
    articles = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=200
    )
    created_by = serializers.CharField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ReadingListPatchSerializer(ReadingListSerializer):
    title = serializers.CharField(max_length=200, required=False, validators=[validate_name])


class AssignmentInputSerializer(serializers.Serializer):
    reading_list = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    article = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    user = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=150)
    team = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=100)
    due = serializers.CharField(max_length=10, help_text="YYYY-MM-DD, today or later")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    requires_quiz = serializers.BooleanField(required=False, default=False)


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reading_list = serializers.IntegerField(allow_null=True)
    article = serializers.IntegerField(allow_null=True)
    user = serializers.CharField(allow_null=True)
    team = serializers.CharField(allow_null=True)
    due = serializers.DateField()
    note = serializers.CharField()
    requires_quiz = serializers.BooleanField()
    created_by = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    progress_url = serializers.CharField()


class ProgressItemSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.CharField(help_text="todo | done | overdue | reack")
    due = serializers.DateField()
    acknowledged_version = serializers.IntegerField(allow_null=True)
    published_version = serializers.IntegerField()
    needs_reack = serializers.BooleanField()


class ProgressPersonSerializer(serializers.Serializer):
    user = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    overdue = serializers.IntegerField()
    items = ProgressItemSerializer(many=True)


class ProgressSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    total = serializers.IntegerField(help_text="(person, article) items: covered people × readable articles")
    done = serializers.IntegerField(help_text="items in state done")
    overdue = serializers.IntegerField(help_text="items never acknowledged whose due date has passed")
    people = ProgressPersonSerializer(many=True)


class MyReadingItemSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    state = serializers.CharField(help_text="todo | done | overdue | reack")
    acknowledged_version = serializers.IntegerField(allow_null=True)
    published_version = serializers.IntegerField()
    diff_url = serializers.CharField(allow_null=True)
    assignments = serializers.ListField(child=serializers.IntegerField())


class MyReadingSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = MyReadingItemSerializer(many=True)


class AcknowledgeInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class AcknowledgmentSerializer(serializers.Serializer):
    article = serializers.IntegerField()
    version = serializers.IntegerField()
    user = serializers.CharField()
    created_at = serializers.DateTimeField()


class QuizQuestionSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1_000)
    choices = serializers.ListField(child=serializers.CharField(max_length=1_000), max_length=6)
    correct = serializers.IntegerField(min_value=0)


class QuizInputSerializer(serializers.Serializer):
    pass_mark = serializers.IntegerField(min_value=1, max_value=100, required=False, default=80)
    questions = QuizQuestionSerializer(many=True, max_length=20)  # type: ignore[call-arg]  # DRF 3.15+, not in the stubs


class QuizAttemptInputSerializer(serializers.Serializer):
    answers = serializers.ListField(
        child=serializers.IntegerField(allow_null=True, min_value=0), max_length=20
    )


class QuizAttemptSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    passed = serializers.BooleanField()
    pass_mark = serializers.IntegerField()
