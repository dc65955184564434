"""Article and category pages, one module per kind of page (lists, reading, editing).

Each view looks up through ``access``, calls a selector or service, renders.

Visibility: anything the user may not read is a 404 (``get_visible_article_or_404`` and
``get_readable_version_or_404``); a page the user can read but may not change is a 403. Services raise
``DomainError``s; here they become form errors, a message and a redirect, or the conflict page.
Templates only ever show stored, sanitised ``body_html``/``toc_html``; the one exception is the
editor's live preview, which renders through the bounded ``render_markdown``.
"""

from kb.articles import selectors
from kb.articles.views.common import PAGE_SIZE, category_nodes, fold_unchanged
from kb.articles.views.editing import (
    ACTIONS,
    article_action,
    article_create,
    article_edit,
    article_preview,
)
from kb.articles.views.lists import (
    article_list,
    category_detail,
    category_list,
    review_queue,
    stale_list,
)
from kb.articles.views.reading import article_detail, article_diff, article_history, article_version

__all__ = [
    "ACTIONS",
    "PAGE_SIZE",
    "article_action",
    "article_create",
    "article_detail",
    "article_diff",
    "article_edit",
    "article_history",
    "article_list",
    "article_preview",
    "article_version",
    "category_detail",
    "category_list",
    "category_nodes",
    "fold_unchanged",
    "review_queue",
    "selectors",
    "stale_list",
]
