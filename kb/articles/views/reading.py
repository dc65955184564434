"""Reading an article: the published version, one version, the history and the diff of two."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from kb.articles import access, selectors
from kb.articles.diff import diff_records
from kb.articles.forms import DiffForm, PublishForm
from kb.articles.models import Article
from kb.articles.views.common import (
    _categories_of,
    _paginate,
    _user,
    _visible_max_version,
    fold_unchanged,
)
from kb.lib import ui


def _article_context(request: HttpRequest, article: Article, record: Any) -> dict[str, Any]:
    user = _user(request)
    return {
        "article": article,
        "record": record,
        "record_categories": _categories_of(record),
        "has_toc": "<li" in (record.toc_html or ""),
        "can_edit": access.can_edit(user, article),
        "sees_drafts": access.can_see_drafts(user),
        "max_version": _visible_max_version(user, article),
        "article_panels": ui.article_panels(request, article, record),
        "publish_form": PublishForm(),
    }


@login_required
@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The published version; the latest draft only while nothing is published (drafts-seers only)."""
    article = access.get_visible_article_or_404(_user(request), slug=slug)
    record = selectors.shown_record(_user(request), article)
    context = _article_context(request, article, record)
    context["is_version_page"] = False
    return render(request, "articles/detail.html", context)


@login_required
@require_safe
def article_version(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """One version on its own; readers may open only versions that were published."""
    article = access.get_visible_article_or_404(_user(request), slug=slug)
    record = selectors.get_readable_version_or_404(_user(request), article, version)
    context = _article_context(request, article, record)
    context["is_version_page"] = True
    return render(request, "articles/detail.html", context)


@login_required
@require_safe
def article_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every version the user may open, newest first, a page at a time, with a compare form."""
    article = access.get_visible_article_or_404(_user(request), slug=slug)
    numbers, pubs = selectors.history_numbers(_user(request), article)
    default_to = numbers[0] if numbers else 1
    default_from = numbers[1] if len(numbers) > 1 else default_to
    # An SOP edited for years can have a thousand versions: the table reads and shows one page of
    # them; the total and the compare form cover all of them.
    page_obj, query_without_page = _paginate(request, numbers)
    rows = selectors.history_rows(article, list(page_obj.object_list), pubs)
    older = dict(itertools.pairwise(numbers))
    for row in rows:
        row["previous"] = older.get(row["version"])
    return render(
        request,
        "articles/history.html",
        {
            "article": article,
            "total": len(numbers),
            "rows": rows,
            "page_obj": page_obj,
            "query_without_page": query_without_page,
            "numbers": numbers,
            "from_options": _version_options(numbers, default_from),
            "to_options": _version_options(numbers, default_to),
            "can_edit": access.can_edit(_user(request), article),
        },
    )


def _version_options(numbers: list[int], selected: int) -> str:
    """The ``<option>``s of a compare select. Built here, not in the template: a thousand versions
    are two thousand options, which the template language renders ~50× slower (measured)."""
    options = (
        f'<option value="{n}"{" selected" if n == selected else ""}>v{n}</option>' for n in map(int, numbers)
    )
    return mark_safe("".join(options))  # only integers go in


@login_required
@require_safe
def article_diff(request: HttpRequest, slug: str) -> HttpResponse:
    """Side by side, word level. Missing or malformed from/to → 400; a version not readable → 404."""
    article = access.get_visible_article_or_404(_user(request), slug=slug)
    form = DiffForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "articles/diff_bad_request.html",
            {"article": article, "form": form, "max_version": _visible_max_version(_user(request), article)},
            status=400,
        )
    old = selectors.get_readable_version_or_404(_user(request), article, form.cleaned_data["from_"])
    new = selectors.get_readable_version_or_404(_user(request), article, form.cleaned_data["to"])
    return render(
        request,
        "articles/diff.html",
        {
            "article": article,
            "old": old,
            "new": new,
            "changes": fold_unchanged(diff_records(old, new)),
            "left_label": f"Version {old.version}",
            "right_label": f"Version {new.version}",
        },
    )
