"""Reading lists and their articles as one reader may see them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, QuerySet

from kb.articles import access
from kb.articles.models import Article
from kb.training.models import ReadingList, ReadingListItem


def reading_lists() -> QuerySet[ReadingList]:
    """Every reading list (lists are readable by all; their articles are filtered per reader)."""
    return (
        ReadingList.objects.select_related("created_by")
        .annotate(item_count=Count("items"))
        .order_by("title", "id")
    )


def list_articles(user: Any, reading_list: ReadingList) -> list[Article]:
    """The list's articles this user may read, in list order; hidden ones are simply absent."""
    ids = list(reading_list.items.order_by("position", "id").values_list("article_id", flat=True))
    found = {a.pk: a for a in access.readable_published_articles(user).filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def lists_articles(user: Any, lists: Sequence[ReadingList]) -> dict[int, list[Article]]:
    """``list_articles`` for many lists in two queries."""
    pairs = list(
        ReadingListItem.objects.filter(reading_list__in=lists)
        .order_by("reading_list_id", "position", "id")
        .values_list("reading_list_id", "article_id")
    )
    found = {a.pk: a for a in access.readable_published_articles(user).filter(pk__in={a for _, a in pairs})}
    out: dict[int, list[Article]] = {rl.pk: [] for rl in lists}
    for list_id, article_id in pairs:
        if article_id in found:
            out[list_id].append(found[article_id])
    return out
