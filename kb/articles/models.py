"""Categories, articles and their versions.

An ``Article`` row holds the content **readers see** (the published version, or the latest while the
article was never published) plus the workflow state, so every surface that shows ``article.title``
is right by default. Versions live in django-simple-history's ``HistoricalArticle``: services write
exactly one row per version (``version``, author, time, change note, rendered HTML); ``version`` on the
row is the number of the latest one, which may be a draft newer than what the row shows. Editors
continue from ``services.latest_record(article)``. See docs/versions.md.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from simple_history.models import HistoricalRecords

from kb.lib import rawsql

CATEGORY_CODE_RE = r"^[A-Z0-9_]+(\.[A-Z0-9_]+)*$"


class Kind(models.TextChoices):
    SOP = "sop", "SOP"
    TROUBLESHOOTING = "troubleshooting", "Troubleshooting"
    POLICY = "policy", "Policy"
    MACRO = "macro", "Macro"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Category(models.Model):
    """A node of the ticketing system's category tree, keyed by its code."""

    code = models.CharField(
        max_length=120,
        unique=True,
        validators=[
            RegexValidator(CATEGORY_CODE_RE, "Use upper-case letters, digits and _ separated by dots.")
        ],
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("articles:category", args=[self.code])


class Tag(models.Model):
    """A free-form label; stored lower-case so 'Payout' and 'payout' are one tag."""

    name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VersionRecords(HistoricalRecords):
    """simple-history's version table, with one row per (article, version) held by the database.

    HistoricalRecords has no option for the historical model's Meta, so the constraint is added here.
    """

    def get_meta_options(self, model: Any) -> dict[str, Any]:
        meta: dict[str, Any] = super().get_meta_options(model)
        meta["constraints"] = [
            models.UniqueConstraint(fields=["id", "version"], name="articles_one_row_per_version")
        ]
        return meta


# Within one web request (request_started → request_finished) the built rule is remembered per user:
# the next request builds it again, so a membership or role change is seen at once, and outside a
# request (workers, shell, tests) nothing is remembered. See docs/access.md.
_request_memo: ContextVar[dict[Any, Any] | None] = ContextVar("kb_request_memo", default=None)


def _start_request(**kwargs: Any) -> None:
    _request_memo.set({})


def _end_request(**kwargs: Any) -> None:
    _request_memo.set(None)


request_started.connect(_start_request, dispatch_uid="kb.articles.visible_to.start")
request_finished.connect(_end_request, dispatch_uid="kb.articles.visible_to.end")


def _is_plain(qs: Any) -> bool:
    """``Article.objects.all()`` as it comes: a built rule on it can be reused, cloned, in a request."""
    q = qs.query
    return (
        qs.model is Article
        and qs._db is None
        and not qs._prefetch_related_lookups
        and not q.where.children
        and not q.annotations
        and not q.select_related
        and not q.order_by
        and not q.distinct
        and not q.extra
        and q.low_mark == 0
        and q.high_mark is None
        and q.default_cols
    )


class TeamRule(models.Expression):
    """The team half of the rule as one SQL condition: the article has no team, or ``user_id`` is a
    member of one of its teams (two ``EXISTS`` on the article–team and user–team tables).

    Written as one expression rather than ``~Exists(...) | Exists(...)`` querysets because Django
    builds and compiles those two subqueries on every lookup, and that was the largest share of a
    search's Python time under load (docs/reliability.md §7). The SQL is the same; the article's key
    is an ordinary resolved column, so the condition follows the queryset into subqueries and
    relabelled aliases, and the user id is a bound parameter: nothing is compiled ahead or cached.
    """

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, article_pk: Any, user_id: int):
        super().__init__()
        self.article_pk = article_pk
        self.user_id = int(user_id)

    def get_source_expressions(self) -> list[Any]:
        return [self.article_pk]

    def set_source_expressions(self, exprs: Any) -> None:
        (self.article_pk,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        pk_sql, pk_params = compiler.compile(self.article_pk)
        held = Article.teams.through
        team: Any = Article.teams.field.related_model
        joined = team.members.through  # the user–team table
        held_table, member_table = rawsql.table(held), rawsql.table(joined)
        held_article, held_team = rawsql.columns(held, "article", "team")
        member_user, member_team = rawsql.columns(joined, "user", "team")
        # Only quoted table/column names and the compiled column go into the text; values are bound.
        sql = (
            f"(NOT EXISTS (SELECT 1 FROM {held_table} kb_held"  # noqa: S608
            f" WHERE kb_held.{held_article} = {pk_sql})"
            f" OR EXISTS (SELECT 1 FROM {held_table} kb_held INNER JOIN {member_table} kb_member"
            f" ON kb_member.{member_team} = kb_held.{held_team}"
            f" WHERE kb_held.{held_article} = {pk_sql} AND kb_member.{member_user} = %s))"
        )
        return sql, [*pk_params, *pk_params, self.user_id]


class ArticleQuerySet(models.QuerySet["Article"]):
    """``Article.objects.visible_to(user)``: the one visibility rule (NetBox's ``restrict()``).

    ``kb.articles.access`` is the public face of it; every surface reads articles through there.
    """

    def published(self) -> ArticleQuerySet:
        """Published content: a version was published and the article is not archived (no team rule:
        for the index, which stores team keys, and the operator's own reports)."""
        return self.filter(published_version__isnull=False).exclude(status=Status.ARCHIVED)

    def visible_to(self, user: Any, *, published_only: bool = False) -> ArticleQuerySet:
        """The articles of this queryset that ``user`` may read at all (docs/access.md).

        A restricted article (one with teams) is visible only to members of one of its teams, admins
        included. Readers (and everyone when ``published_only``) see an article only once a version
        was published and while it is not archived; leads, trainers and admins also see drafts and
        archived articles. Anonymous users see nothing. One SQL query built for the real user each
        time; within one web request the built rule is remembered (``_request_memo``).
        """
        if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
            return self.none()
        published = published_only or not getattr(user, "sees_drafts", False)
        # Within a request the built rule on the plain queryset is kept and handed out as clones:
        # building its EXISTS clauses is most of a lookup's Python time (docs/access.md).
        memo = _request_memo.get() if _is_plain(self) else None
        key = ("visible", user.pk, published)
        if memo is not None and key in memo:
            return memo[key].all()
        qs = self.filter(TeamRule(models.F("pk"), user.pk))
        if published:
            qs = qs.published()  # type: ignore[assignment]
        if memo is not None:
            memo[key] = qs
            return qs.all()
        return qs


class Article(models.Model):
    """An SOP, troubleshooting guide, policy or macro; one row, many versions in ``history``."""

    slug = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SOP)
    # --- content readers see (the published version; the latest one while never published) ---
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    toc_html = models.TextField(blank=True)
    category_codes = models.JSONField(default=list, blank=True)
    tag_names = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)  # number of the latest version
    # --- what readers see: categories/tags of the visible version, for filtering ---
    categories = models.ManyToManyField(Category, related_name="articles", blank=True)
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True)
    # --- ownership and visibility ---
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_articles"
    )
    teams = models.ManyToManyField("accounts.Team", related_name="articles", blank=True)
    # --- workflow ---
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_version = models.PositiveIntegerField(null=True, blank=True)
    published_record = models.ForeignKey(
        "articles.HistoricalArticle", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    submitted_version = models.PositiveIntegerField(null=True, blank=True)
    approved_version = models.PositiveIntegerField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # --- freshness ---
    review_interval_days = models.PositiveIntegerField(default=90, validators=[MinValueValidator(1)])
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # --- import ---
    source_path = models.CharField(max_length=500, null=True, blank=True, unique=True)
    source_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ArticleQuerySet.as_manager()

    # Versions are written explicitly by kb.articles.services (one row per version, with author and
    # change note); a plain save of the row (workflow, what readers see) must never add one.
    skip_history_when_saving = True

    history = VersionRecords(
        excluded_fields=[
            "slug",
            "owner",
            "status",
            "published_version",
            "published_record",
            "published_at",
            "submitted_version",
            "approved_version",
            "approved_by",
            "review_interval_days",
            "last_reviewed_at",
            "last_reviewed_by",
            "source_path",
            "source_hash",
            "created_at",
            "updated_at",
        ],
        history_change_reason_field=models.TextField(blank=True),
        cascade_delete_history=True,
    )

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["updated_at"]), models.Index(fields=["last_reviewed_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return article_url(self.slug)

    @property
    def latest_version(self) -> int:
        return self.version

    @property
    def is_restricted(self) -> bool:
        return bool(self.teams.all())

    @property
    def review_anchor(self):
        """The moment the review clock started: the last review, else the first publication."""
        return self.last_reviewed_at or self.published_at or self.created_at

    @property
    def review_due_at(self):
        return self.review_anchor + timedelta(days=self.review_interval_days)

    @property
    def is_stale(self) -> bool:
        return self.review_due_at <= timezone.now()

    @property
    def has_unpublished_changes(self) -> bool:
        return self.published_version != self.version


# The version table made by django-simple-history: one row per version (see the module docstring).
HistoricalArticle: Any = Article.history.model  # type: ignore[attr-defined]


class Publication(models.Model):
    """One act of publishing: which version, whether the change was material, by whom."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="publications")
    version = models.PositiveIntegerField()
    material = models.BooleanField()
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article_id", "created_at"]
        indexes = [models.Index(fields=["article", "version"])]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.version} ({'material' if self.material else 'minor'})"


class ReviewEvent(models.Model):
    """A workflow step on a version (submitted, approved, reviewed) with its note."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved"
        REVIEWED = "reviewed", "Marked reviewed"
        ARCHIVED = "archived", "Archived"
        RESTORED = "restored", "Restored"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="review_events")
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=20, choices=Action.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.version} {self.action}"


@functools.lru_cache(maxsize=512)
def _url_parts(name: str, script_prefix: str, args: tuple[Any, ...]) -> tuple[str, str]:
    head, _, tail = reverse(name, args=["~slug~", *args]).partition("~slug~")
    return head, tail


def article_url(slug: str, name: str = "articles:detail", *args: Any) -> str:
    """``reverse(name, args=[slug, *args])`` without the resolver for an article's pages (detail,
    version, diff): a search page or a ticket builds dozens of these, and reverse() cost more than
    the rest of a result row."""
    if not slug or "/" in slug:
        return reverse(name, args=[slug, *args])  # let reverse() refuse it as usual
    head, tail = _url_parts(name, get_script_prefix(), args)
    return head + quote(slug, safe=RFC3986_SUBDELIMS + "/~:@") + tail
