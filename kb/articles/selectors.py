"""Reads for articles and categories, already narrowed by ``access``."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kb.articles import access
from kb.articles.access import can_read_version, visible_articles
from kb.articles.models import Article, Category, HistoricalArticle, Publication, Status


def category_tree() -> dict[int | None, list[Category]]:
    """All categories grouped by parent id, the parent read from the code (one query; the tree is small)."""
    cats = list(Category.objects.order_by("code"))
    id_of = {c.code: c.id for c in cats}
    children: dict[int | None, list[Category]] = defaultdict(list)
    for cat in cats:
        parent = parent_code(cat.code)
        children[id_of.get(parent) if parent else None].append(cat)
    return children


# The tree walk, once. A category's parent is its code prefix (the services refuse anything else),
# so ancestors and descendants are read from the codes themselves: no second walk over parent ids
# can disagree with them, and a path costs no query.


def ancestor_codes(code: str) -> list[str]:
    """Codes from the root down to ``code`` itself: ``A.B.C`` → ``[A, A.B, A.B.C]``."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def parent_code(code: str) -> str | None:
    """The parent's code (``A.B`` → ``A``), or None for a top-level code."""
    return code.rpartition(".")[0] or None


def descendants(category: Category) -> QuerySet[Category]:
    """The category and every category below it (codes under its prefix)."""
    return Category.objects.filter(Q(pk=category.pk) | Q(code__startswith=f"{category.code}."))


def descendant_ids(category: Category) -> list[int]:
    """Ids of the category and every category below it."""
    return list(descendants(category).values_list("id", flat=True))


def category_path(category: Category) -> list[str]:
    """Codes from the root down to ``category``."""
    return ancestor_codes(category.code)


def category_article_counts(user: Any) -> dict[int, int]:
    """Articles per category (direct links only) among what ``user`` may see."""
    rows = (
        visible_articles(user)
        .values("categories")
        .annotate(n=Count("id", distinct=True))
        .values_list("categories", "n")
    )
    return {cid: n for cid, n in rows if cid is not None}


def category_total_counts(user: Any) -> dict[int, int]:
    """Articles per category including its descendants, each article counted once per category."""
    id_of = dict(Category.objects.values_list("code", "id"))
    code_of = {cid: code for code, cid in id_of.items()}
    links = visible_articles(user).values_list("id", "categories")
    per_cat: dict[int, set[int]] = defaultdict(set)
    for article_id, first in links:
        if first is None or first not in code_of:
            continue
        for code in ancestor_codes(code_of[first]):
            if code in id_of:
                per_cat[id_of[code]].add(article_id)
    return {cid: len(ids) for cid, ids in per_cat.items()}


def articles_in_category(user: Any, category: Category) -> QuerySet[Article]:
    """Visible articles linked to the category or any of its children."""
    return (
        visible_articles(user)
        .filter(categories__in=descendant_ids(category))
        .distinct()
        .select_related("owner", "published_record")
        .order_by("title")
    )


def list_articles(user: Any) -> QuerySet[Article]:
    return (
        visible_articles(user)
        .select_related("owner", "published_record", "last_reviewed_by")
        .prefetch_related("teams", Prefetch("categories", queryset=Category.objects.only("id", "code")))
    )


def get_version_record(article: Article, version: int) -> HistoricalArticle:
    """The immutable historical row of ``version``."""
    record = article.history.filter(version=version).order_by("-history_id").first()
    if record is None:
        raise Http404(f"Version {version} does not exist.")
    return record


def get_readable_version_or_404(user: Any, article: Article, version: int) -> HistoricalArticle:
    if version < 1 or version > article.version or not can_read_version(user, article, version):
        raise Http404("No such version.")
    return get_version_record(article, version)


def shown_record(user: Any, article: Article) -> HistoricalArticle:
    """What this user sees by default: the published version, or the latest if never published."""
    if article.published_record_id is not None:
        return article.published_record  # type: ignore[return-value]
    return get_version_record(article, article.version)


def version_rows(user: Any, article: Article) -> list[dict[str, Any]]:
    """Version list for the history page and API; readers get only versions that were published."""
    pubs: dict[int, bool] = {}
    for version, material in Publication.objects.filter(article=article).values_list("version", "material"):
        # A version published twice is material if either publication was.
        pubs[version] = pubs.get(version, False) or material
    records = (
        article.history.select_related("history_user")
        .only("history_id", "version", "history_date", "history_change_reason", "history_user__username")
        .order_by("-version", "-history_id")
    )
    readable = None if access.can_see_drafts(user) else set(pubs)
    rows, seen = [], set()
    for rec in records:
        if rec.version in seen or (readable is not None and rec.version not in readable):
            continue
        seen.add(rec.version)
        rows.append(
            {
                "version": rec.version,
                "author": rec.history_user.username if rec.history_user else None,
                "created_at": rec.history_date,
                "change_note": rec.history_change_reason or "",
                "published": rec.version in pubs,
                "material": pubs.get(rec.version),
                "is_current_published": rec.version == article.published_version,
            }
        )
    return rows


def stale_articles(user: Any, owner: Any | None = None) -> list[Article]:
    """Published, not archived articles whose review is due, oldest due first."""
    qs = visible_articles(user).filter(published_version__isnull=False).exclude(status=Status.ARCHIVED)
    if owner is not None:
        qs = qs.filter(owner=owner)
    now = timezone.now()
    items = [
        a
        for a in qs.select_related("owner", "last_reviewed_by", "published_record")
        if a.review_due_at <= now
    ]
    return sorted(items, key=lambda a: a.review_due_at)


def review_queue(user: Any) -> QuerySet[Article]:
    """Articles waiting for review, oldest submission first."""
    return (
        visible_articles(user).filter(status=Status.IN_REVIEW).select_related("owner").order_by("updated_at")
    )


def history_numbers(user: Any, article: Article) -> tuple[list[int], dict[int, bool]]:
    """The version numbers ``user`` may open, newest first, and each published version's material
    flag (two queries; numbers only, so a thousand versions cost no model instances)."""
    pubs: dict[int, bool] = {}
    for version, material in Publication.objects.filter(article=article).values_list("version", "material"):
        pubs[version] = pubs.get(version, False) or material  # published twice: material if either was
    numbers = list(article.history.order_by("-version").values_list("version", flat=True).distinct())
    if not access.can_see_drafts(user):
        numbers = [n for n in numbers if n in pubs]
    return numbers, pubs


def history_rows(article: Article, versions: list[int], pubs: dict[int, bool]) -> list[dict[str, Any]]:
    """``version_rows`` for the given versions only (one query): the history page reads one page."""
    rows: dict[int, dict[str, Any]] = {}
    records = (
        article.history.filter(version__in=versions)
        .order_by("-version", "-history_id")
        .values_list("version", "history_date", "history_change_reason", "history_user__username")
    )
    for version, created_at, note, author in records:
        if version in rows:
            continue  # an older row of the same version (e.g. a save that did not change content)
        rows[version] = {
            "version": version,
            "author": author,
            "created_at": created_at,
            "change_note": note or "",
            "published": version in pubs,
            "material": pubs.get(version),
            "is_current_published": version == article.published_version,
        }
    return [rows[v] for v in versions if v in rows]
