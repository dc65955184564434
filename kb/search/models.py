"""Search state kept in the database: the outbox, the search log, synonyms, and PostgreSQL documents."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone


class SearchOutbox(models.Model):
    """An article whose index entry must be brought in line with the database.

    Written by the article services' transaction (via ``kb.articles.events``), so a rollback leaves
    nothing and a commit always leaves a row. ``search_worker`` claims rows, rebuilds each document
    from the database as it is *now* (replaying is harmless) and deletes the rows it applied.
    """

    article_id = models.BigIntegerField(db_index=True)  # no FK: a deleted article must still leave the index
    reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    available_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claim_token = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"outbox #{self.pk} article {self.article_id} ({self.reason})"


class SearchLog(models.Model):
    """One search as asked: who, what, which filters, how many results, and what happened next."""

    class Source(models.TextChoices):
        PAGE = "page", "Search page"
        API = "api", "API"
        PANEL = "panel", "Suggestion panel"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    query = models.CharField(max_length=256)
    normalized_query = models.CharField(max_length=256, db_index=True)
    filters = models.JSONField(default=dict, blank=True)
    # The searcher's visibility keys when they searched ("public", "team:<id>"): reports show the
    # search only to viewers who hold every one of them (docs/metrics.md § Failed searches).
    visibility = models.JSONField(default=list, blank=True)
    result_count = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    opened_article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_rank = models.PositiveIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    not_found = models.BooleanField(default=False)
    not_found_comment = models.TextField(blank=True)
    not_found_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.query!r} → {self.result_count}"


class Synonym(models.Model):
    """A group of terms that mean the same to the team (e.g. 2fa = two-step = mfa); expanded at query time."""

    terms = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return " = ".join(self.terms)


class SearchDocument(models.Model):
    """The PostgreSQL backend's copy of an article's published version (``KB_SEARCH_BACKEND=postgres``)."""

    article_id = models.BigIntegerField(primary_key=True)
    version = models.PositiveIntegerField()
    title = models.TextField()
    summary = models.TextField(blank=True)
    headings = models.TextField(blank=True)
    body = models.TextField(blank=True)
    meta = models.TextField(blank=True)
    words = models.TextField(blank=True)  # pre-tokenised text (CJK bigrams, NFKC) fed to to_tsvector
    kind = models.CharField(max_length=20)
    category_paths = models.JSONField(default=list)
    visibility = models.JSONField(default=list)
    vector = SearchVectorField(null=True)  # 'english' (stemmed) over title A, meta B, body D
    exact = SearchVectorField(null=True)  # 'simple' over every word: the vocabulary for typo correction
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.article_id} v{self.version}"
