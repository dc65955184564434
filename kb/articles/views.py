"""Article pages (being built)."""

from typing import Any

from django.http import Http404

from kb.articles import selectors


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


def article_list(request, *args, **kwargs):
    raise Http404


def article_create(request, *args, **kwargs):
    raise Http404


def article_preview(request, *args, **kwargs):
    raise Http404


def article_detail(request, *args, **kwargs):
    raise Http404


def article_version(request, *args, **kwargs):
    raise Http404


def article_history(request, *args, **kwargs):
    raise Http404


def article_diff(request, *args, **kwargs):
    raise Http404


def article_edit(request, *args, **kwargs):
    raise Http404


def article_action(request, *args, **kwargs):
    raise Http404


def category_list(request, *args, **kwargs):
    raise Http404


def category_detail(request, *args, **kwargs):
    raise Http404


def review_queue(request, *args, **kwargs):
    raise Http404


def stale_list(request, *args, **kwargs):
    raise Http404
