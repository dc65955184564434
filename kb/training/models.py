"""Onboarding reading: reading lists, assignments, acknowledgments and quizzes.

State (todo / done / overdue / reack) is never stored: it is computed at query time from
acknowledgments, the article's publications and the assignment's due date, so a material publish,
a team change or a new acknowledgment is reflected at once without any fan-out write.
See docs/training.md for the rules.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team
from kb.articles.models import Article


class ReadingList(models.Model):
    """An ordered set of articles with a title and a description ("Week 1: Account security")."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    articles = models.ManyToManyField(Article, through="ReadingListItem", related_name="reading_lists")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:list_detail", args=[self.pk])


class ReadingListItem(models.Model):
    """One article at one position of a reading list; an article appears at most once per list."""

    reading_list = models.ForeignKey(ReadingList, on_delete=models.CASCADE, related_name="items")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reading_list_items")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["reading_list_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reading_list", "article"], name="training_item_unique_article"),
        ]

    def __str__(self) -> str:
        return f"{self.reading_list_id}#{self.position}: {self.article_id}"


class Assignment(models.Model):
    """A reading list XOR one article, assigned to one person XOR a whole team, due on a day.

    A team assignment is resolved against the team's members when it is read, so people who join
    later are covered and people who leave drop out.
    """

    reading_list = models.ForeignKey(
        ReadingList, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="training_assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_assignments",
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="training_assignments"
    )
    due = models.DateField()
    note = models.TextField(blank=True)
    requires_quiz = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(reading_list__isnull=False, article__isnull=True)
                    | Q(reading_list__isnull=True, article__isnull=False)
                ),
                name="training_assignment_list_xor_article",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, team__isnull=True) | Q(user__isnull=True, team__isnull=False),
                name="training_assignment_user_xor_team",
            ),
        ]
        indexes = [models.Index(fields=["due"])]

    def __str__(self) -> str:
        return f"{self.target_label} → {self.assignee_label} by {self.due}"

    def get_absolute_url(self) -> str:
        return reverse("training:assignment", args=[self.pk])

    @property
    def target_label(self) -> str:
        if self.reading_list_id:
            return self.reading_list.title if self.reading_list else ""
        return self.article.title if self.article else ""

    @property
    def assignee_label(self) -> str:
        if self.team_id:
            return f"team {self.team.name}" if self.team else ""
        return self.user.username if self.user else ""


class Acknowledgment(models.Model):
    """A reader confirmed "I have read and understood" one published version of an article."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgments"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="acknowledgments")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article", "version"], name="training_ack_unique_version"
            ),
        ]
        indexes = [models.Index(fields=["article", "user", "version"])]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.article_id} v{self.version}"


class Quiz(models.Model):
    """A few multiple-choice questions about one article; passing needs ``pass_mark`` percent."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="quiz")
    pass_mark = models.PositiveIntegerField(
        default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return f"Quiz on {self.article_id}"


class QuizQuestion(models.Model):
    """One question; ``choices`` is a list of strings, ``correct`` the index of the right one."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    choices = models.JSONField(default=list)
    correct = models.PositiveIntegerField()

    class Meta:
        ordering = ["quiz_id", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class QuizAttempt(models.Model):
    """One attempt at a quiz by a reader: the score (percent) and whether it reached the pass mark."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    answers = models.JSONField(default=list)
    score = models.PositiveIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["quiz", "user", "passed"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.score}% on quiz {self.quiz_id}"
