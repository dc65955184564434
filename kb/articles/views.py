"""Article and category pages. Each view looks up through ``access``, calls a selector or service, renders.

Visibility: anything the user may not read is a 404 (``get_visible_article_or_404`` and
``get_readable_version_or_404``); a page the user can read but may not change is a 403. Services raise
``DomainError``s; here they become form errors, a message and a redirect, or the conflict page.
Templates only ever show stored, sanitised ``body_html``/``toc_html``; the one exception is the
editor's live preview, which renders through the bounded ``render_markdown``.
"""

from __future__ import annotations

import itertools
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from accounts.views import safe_next
from kb.articles import access, selectors, services
from kb.articles.diff import diff_records
from kb.articles.forms import (
    ArticleFilterForm,
    ArticleForm,
    DiffForm,
    NoteForm,
    PublishForm,
    RevertForm,
)
from kb.articles.models import Article, Category, HistoricalArticle, Tag
from kb.lib import ui
from kb.lib.errors import DomainError, InvalidInput, VersionConflict
from kb.lib.htmx import render_page_or_fragment
from kb.lib.markdown import render_markdown

PAGE_SIZE = 25


# ---------------------------------------------------------------------------------------------
# helpers


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
    if not _user(request).is_editor:
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


# ---------------------------------------------------------------------------------------------
# lists


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
    form = ArticleFilterForm(request.GET or None, tags=tags, show_status=user.sees_drafts)
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


# ---------------------------------------------------------------------------------------------
# reading


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
    article = access.get_visible_article_or_404(_user(request), slug=slug)
    rows = selectors.version_rows(_user(request), article)
    for newer, older in itertools.pairwise(rows):
        newer["previous"] = older["version"]
    numbers = [r["version"] for r in rows]
    default_to = numbers[0] if numbers else 1
    default_from = numbers[1] if len(numbers) > 1 else default_to
    # An SOP edited for years can have a thousand versions: the table shows them a page at a time.
    page_obj, query_without_page = _paginate(request, rows)
    return render(
        request,
        "articles/history.html",
        {
            "article": article,
            "rows": rows,
            "page_obj": page_obj,
            "query_without_page": query_without_page,
            "numbers": numbers,
            "default_from": default_from,
            "default_to": default_to,
            "can_edit": access.can_edit(_user(request), article),
        },
    )


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


# ---------------------------------------------------------------------------------------------
# editing


def _apply_domain_error(form: ArticleForm, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = ArticleForm(request.POST or None, user=_user(request), initial={"change_note": "First draft"})
    if request.method == "POST" and form.is_valid():
        try:
            article = services.create_article(
                actor=_user(request), change_note=form.cleaned_data["change_note"], **form.service_kwargs()
            )
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            messages.success(request, f"Created “{article.title}” as a draft (version 1).")
            return redirect(article)
    status = 400 if form.is_bound else 200
    return render(request, "articles/edit.html", {"form": form, "article": None}, status=status)


def _edit_initial(article: Article, latest: Any) -> dict[str, Any]:
    """Edits continue from the latest version, which may be a draft newer than what readers see."""
    return {
        "title": latest.title,
        "kind": latest.kind,
        "summary": latest.summary,
        "body": latest.body,
        "categories": list(latest.category_codes or []),
        "tags": ", ".join(latest.tag_names or []),
        "teams": list(article.teams.values_list("name", flat=True)),
        "review_interval_days": article.review_interval_days,
        "base_version": article.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit on top of ``base_version``; a newer version in between shows the conflict page, losing nothing."""
    article = _editable_or_403(request, slug)
    if request.method == "GET":
        latest = services.latest_record(article)
        form = ArticleForm(user=_user(request), initial=_edit_initial(article, latest))
        return render(request, "articles/edit.html", {"form": form, "article": article, "latest": latest})
    form = ArticleForm(request.POST, user=_user(request))
    if form.is_valid():
        base = form.cleaned_data.get("base_version")
        try:
            saved = services.update_article(
                actor=_user(request),
                article=article,
                base_version=base,
                change_note=form.cleaned_data["change_note"],
                **form.service_kwargs(),
            )
        except VersionConflict as exc:
            return _conflict_page(request, article, form, exc)
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            if saved.version == base:
                messages.info(request, "Nothing in the content changed, so no new version was made.")
            else:
                messages.success(
                    request,
                    f"Saved version {saved.version}. Readers see the published version until you publish.",
                )
            return redirect(saved)
    return render(request, "articles/edit.html", {"form": form, "article": article}, status=400)


def _conflict_page(
    request: HttpRequest, article: Article, form: ArticleForm, exc: VersionConflict
) -> HttpResponse:
    """The diff between the version the user started from and the latest, plus their unsaved text."""
    latest = selectors.get_version_record(article, exc.current_version)
    base = selectors.get_version_record(article, exc.base_version)
    mine = HistoricalArticle(
        title=form.cleaned_data["title"],
        summary=form.cleaned_data["summary"],
        body=form.cleaned_data["body"],
        category_codes=list(form.cleaned_data["categories"]),
        tag_names=services.clean_tags(form.cleaned_data["tags"]) if form.cleaned_data["tags"] else [],
    )
    reapply = ArticleForm(
        user=_user(request),
        initial={**form.cleaned_data, "base_version": exc.current_version},
    )
    return render(
        request,
        "articles/conflict.html",
        {
            "article": article,
            "error": exc,
            "base": base,
            "latest": latest,
            "their_changes": fold_unchanged(diff_records(base, latest)),
            "my_changes": fold_unchanged(diff_records(latest, mine)),
            "form": reapply,
        },
        status=409,
    )


@login_required
@require_POST
def article_preview(request: HttpRequest) -> HttpResponse:
    """The editor's live preview fragment: bounded render + sanitise, errors shown in place."""
    _require_editor(request)
    body = request.POST.get("body", "")
    try:
        html, error = render_markdown(body).html, ""
    except InvalidInput as exc:
        html, error = "", exc.message
    return render(request, "articles/partials/preview.html", {"html": html, "error": error})


# ---------------------------------------------------------------------------------------------
# workflow actions (POST only)

ACTIONS = {"submit", "approve", "publish", "archive", "restore", "reviewed", "revert"}


@login_required
@require_POST
def article_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """Submit, approve, publish, archive, restore, mark reviewed, revert; then back where the user was."""
    if action not in ACTIONS:
        raise Http404("No such action.")
    article = _editable_or_403(request, slug)
    user = _user(request)
    back = safe_next(request, article.get_absolute_url())
    try:
        if action == "publish":
            form = PublishForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    for e in errors:
                        messages.error(request, str(e))
                return redirect(back)
            version = form.cleaned_data["version"] or article.version
            services.publish_article(
                actor=user,
                article=article,
                version=version,
                material=form.cleaned_data["change"] == "material",
                note=form.cleaned_data["note"],
            )
            messages.success(request, f"Published version {version}. Readers now see it.")
        elif action == "revert":
            rform = RevertForm(request.POST)
            if not rform.is_valid():
                messages.error(request, "Choose a version to revert to.")
                return redirect(back)
            saved = services.revert_article(
                actor=user,
                article=article,
                version=rform.cleaned_data["version"],
                change_note=rform.cleaned_data["change_note"],
            )
            messages.success(
                request,
                f"Version {saved.version} restores the content of version {rform.cleaned_data['version']}. "
                "Publish it to show it to readers.",
            )
        else:
            nform = NoteForm(request.POST)
            note = nform.cleaned_data["note"] if nform.is_valid() else ""
            do, done = {
                "submit": (services.submit_article, "Sent to the review queue."),
                "approve": (services.approve_article, "Approved."),
                "archive": (services.archive_article, "Archived: readers no longer see this article."),
                "restore": (services.restore_article, "Restored."),
                "reviewed": (services.mark_reviewed, "Marked as reviewed: the review clock restarts today."),
            }[action]
            do(actor=user, article=article, note=note)
            messages.success(request, done)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(back)
