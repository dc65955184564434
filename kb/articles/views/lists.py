"""Lists of articles: all articles with filters, categories, the review queue and stale articles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from kb.articles import access, selectors
from kb.articles.forms import ArticleFilterForm
from kb.articles.models import Category, Tag
from kb.articles.views.common import _paginate, _require_editor, _user, category_nodes
from kb.lib.htmx import render_page_or_fragment


@login_required
@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    """All articles the user may see, filtered by kind, status (editors), category and tag."""
    user = _user(request)
    qs = selectors.list_articles(user)
    tags = list(
        Tag.objects.filter(articles__in=access.visible_articles(user))
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )
    form = ArticleFilterForm(request.GET or None, tags=tags, show_status=access.can_see_drafts(user))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            qs = qs.filter(title__icontains=data["q"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("category"):
            category = Category.objects.get(code=data["category"])
            qs = qs.filter(categories__in=selectors.descendant_ids(category)).distinct()
        if data.get("tag"):
            qs = qs.filter(tags__name=data["tag"])
    page_obj, query = _paginate(request, qs.order_by("title", "id"))
    context = {"form": form, "page_obj": page_obj, "query_without_page": query}
    if request.headers.get("HX-History-Restore-Request") == "true":
        # htmx restoring a pushed URL after a cache miss needs the whole page, not the fragment.
        response = render(request, "articles/list.html", context)
    else:
        response = render_page_or_fragment(
            request, "articles/list.html", "articles/partials/list_results.html", context
        )
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_safe
def category_list(request: HttpRequest) -> HttpResponse:
    return render(request, "articles/category_list.html", {"nodes": category_nodes(_user(request))})


@login_required
@require_safe
def category_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A category, its children with counts, and the articles filed under it or below it."""
    category = get_object_or_404(Category, code=code)
    path_codes = selectors.category_path(category)
    by_code = {c.code: c for c in Category.objects.filter(code__in=path_codes)}
    crumbs = [by_code[c] for c in path_codes if c in by_code]
    counts = selectors.category_total_counts(_user(request))
    children = [{"cat": c, "count": counts.get(c.id, 0)} for c in category.children.order_by("code")]
    articles = selectors.articles_in_category(_user(request), category).prefetch_related("teams")
    page_obj, query = _paginate(request, articles)
    return render(
        request,
        "articles/category_detail.html",
        {
            "category": category,
            "crumbs": crumbs,
            "children": children,
            "total": counts.get(category.id, 0),
            "page_obj": page_obj,
            "query_without_page": query,
        },
    )


@login_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    items = list(selectors.review_queue(_user(request)).select_related("owner"))
    return render(request, "articles/review_queue.html", {"items": items})


@login_required
@require_safe
def stale_list(request: HttpRequest) -> HttpResponse:
    """The lead's own articles due for review; ``?all=1`` shows everyone's."""
    _require_editor(request)
    show_all = request.GET.get("all") == "1"
    items = selectors.stale_articles(_user(request), owner=None if show_all else _user(request))
    return render(request, "articles/stale.html", {"items": items, "show_all": show_all})
