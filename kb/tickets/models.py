"""Tickets from the helpdesk and what kb learns from them: resolutions, feedback and flags.

A ``Resolution`` links one article to one ticket and pins the exact article *version* the specialist
read, so "which version of the SOP was followed on T-123?" always has an answer even after later edits.
``Feedback`` and ``Flag`` are readers' signals on a version. See docs/tickets.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

EXTERNAL_ID_RE = r"^[A-Za-z0-9._:-]{1,64}$"
EXTERNAL_ID_MAX = 64


class TicketStatus(models.TextChoices):
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


CLOSED_STATUSES = (TicketStatus.SOLVED, TicketStatus.CLOSED)


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved the ticket"
    HELPFUL = "helpful", "Helped"
    NOT_HELPFUL = "not_helpful", "Did not help"
    ESCALATED = "escalated", "Escalated anyway"


class FlagReason(models.TextChoices):
    OUTDATED = "outdated", "Outdated"
    INCORRECT = "incorrect", "Incorrect"
    UNCLEAR = "unclear", "Unclear"
    MISSING_STEP = "missing_step", "Missing step"


class FlagState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Ticket(models.Model):
    """A helpdesk ticket, keyed by the ticketing system's id; upserted, never created by kb users."""

    external_id = models.CharField(
        max_length=EXTERNAL_ID_MAX,
        unique=True,
        validators=[RegexValidator(EXTERNAL_ID_RE, "1–64 characters of A–Z, a–z, 0–9, '.', '_', ':', '-'.")],
    )
    category = models.ForeignKey("articles.Category", on_delete=models.PROTECT, related_name="tickets")
    subject = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=TicketStatus.choices, default=TicketStatus.OPEN)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            # summary/categories: "closed in the period", optionally per category
            models.Index(fields=["closed_at"], name="ticket_closed_idx"),
            models.Index(fields=["category", "closed_at"], name="ticket_cat_closed_idx"),
            models.Index(fields=["opened_at"], name="ticket_opened_idx"),
        ]

    def __str__(self) -> str:
        return self.external_id

    def get_absolute_url(self) -> str:
        return reverse("tickets:detail", args=[self.external_id])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Resolution(models.Model):
    """One article used on one ticket, with the version read and the outcome; unique per pair."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="resolutions")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="resolutions")
    version = models.PositiveIntegerField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="resolutions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "article"], name="resolution_one_per_ticket_article")
        ]
        indexes = [
            # per-article figures in a period (covering: outcome read from the index)
            models.Index(fields=["article", "created_at", "outcome"], name="resolution_art_created_idx"),
            # summary/participation/daily series: links made in a period, answered from the index alone
            models.Index(fields=["created_at", "article", "outcome", "user"], name="resolution_period_idx"),
            models.Index(fields=["user", "created_at"], name="resolution_user_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} ← article {self.article_id} v{self.version} ({self.outcome})"


class Feedback(models.Model):
    """A reader's helpful / not helpful vote on one version; a later vote replaces the earlier one."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="feedback")
    version = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "article", "version"], name="feedback_one_per_version")
        ]
        indexes = [models.Index(fields=["article", "updated_at"], name="feedback_art_updated_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.article_id} v{self.version}: {'+' if self.helpful else '-'}"


class Flag(models.Model):
    """A reader's report that a version is wrong or lacking; a task in the owner's queue until closed."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="flags")
    version = models.PositiveIntegerField()
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    comment = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=FlagState.choices, default=FlagState.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="flags_raised"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["article", "state"], name="flag_art_state_idx"),
            models.Index(fields=["state", "created_at"], name="flag_state_created_idx"),
            models.Index(fields=["created_at"], name="flag_created_idx"),
        ]

    def __str__(self) -> str:
        return f"flag {self.pk} on {self.article_id} v{self.version} ({self.reason}, {self.state})"
