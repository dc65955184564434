"""What the article pages share: the signed-in user, pagination, the editor checks, diff folding."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import User
from kb.articles import access, selectors
from kb.articles.models import Article, Category

PAGE_SIZE = 25


def category_nodes(user: Any) -> list[dict[str, Any]]:
    """The category tree as nested {cat, count, children}, counts among articles ``user`` may see."""
    tree = selectors.category_tree()
    counts = selectors.category_total_counts(user)

    def build(parent_id: int | None, depth: int) -> list[dict[str, Any]]:
        if depth > 12:  # the tree is validated acyclic; this only bounds a corrupted one
            return []
        return [
            {"cat": c, "count": counts.get(c.id, 0), "children": build(c.id, depth + 1)}
            for c in tree.get(parent_id, [])
        ]

    return build(None, 0)


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind login_required)."""
    return cast(User, request.user)


def _paginate(request: HttpRequest, qs: QuerySet[Any] | list[Any]) -> tuple[Page, str]:
    """A page of ``qs`` (bad page numbers fall back to the nearest page) and the query string
    without ``page`` so pagination links keep the filters."""
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rest = [(k, v) for k, v in request.GET.items() if k != "page"]
    return page_obj, (urlencode(rest) + "&") if rest else ""


def _require_editor(request: HttpRequest) -> None:
    if not access.is_editor(_user(request)):
        raise PermissionDenied("Only leads and admins change articles.")


def _editable_or_403(request: HttpRequest, slug: str) -> Article:
    """The article if the user may see it (else 404) and change it (else 403)."""
    article = access.get_visible_article_or_404(_user(request), slug=slug)
    if not access.can_edit(_user(request), article):
        raise PermissionDenied("Only leads and admins change articles.")
    return article


def _categories_of(record: Any) -> list[Category]:
    codes = list(record.category_codes or [])
    found = {c.code: c for c in Category.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


FOLD_CONTEXT_LINES = 3


def fold_unchanged(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Collapse long unchanged runs to a few lines of context, so the edits are what the eye meets.

    An ``equal`` op longer than 2×context+2 lines keeps ``context`` lines next to each neighbouring
    change and becomes ``["skip", "<n> unchanged lines"]`` in between (rendered as a marker).
    """
    n = FOLD_CONTEXT_LINES
    for change in changes:
        ops = change["ops"]
        folded: list[list[str]] = []
        for i, (op, text) in enumerate(ops):
            lines = text.splitlines(keepends=True)
            if op != "equal" or len(lines) <= 2 * n + 2:
                folded.append([op, text])
                continue
            head = lines[:n] if i > 0 else []
            tail = lines[-n:] if i < len(ops) - 1 else []
            hidden = len(lines) - len(head) - len(tail)
            if head:
                folded.append(["equal", "".join(head)])
            folded.append(["skip", f"{hidden} unchanged line{'s' if hidden != 1 else ''}"])
            if tail:
                folded.append(["equal", "".join(tail)])
        change["ops"] = folded
    return changes


def _visible_max_version(user: Any, article: Article) -> int:
    if access.can_see_drafts(user):
        return article.version
    return article.published_version or 0
