"""Search pages: results as you type, header suggestions, opened-result redirect, reports for leads."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kb.articles import access
from kb.articles.access import readable_published_articles
from kb.articles.models import Category, Kind
from kb.lib.errors import DomainError
from kb.lib.htmx import render_page_or_fragment
from kb.search import services
from kb.search.models import Synonym
from kb.search.selectors import failed_searches, search_articles

PAGE_SIZE = 20


def _int(value: Any, default: int) -> int:
    try:
        return max(1, min(int(value), 500))
    except (TypeError, ValueError):
        return default


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """The search page; htmx requests (typing in the page's box) get only the results fragment."""
    q = request.GET.get("q", "")
    category = request.GET.get("category", "")
    kind = request.GET.get("kind", "")
    page = _int(request.GET.get("page"), 1)
    ctx: dict[str, Any] = {"q": q, "category": category, "kind": kind, "page": page, "kinds": Kind.choices}
    status = 200
    if q.strip():
        try:
            result = search_articles(
                request.user,
                q,
                category=category or None,
                kind=kind or None,
                limit=PAGE_SIZE,
                offset=(page - 1) * PAGE_SIZE,
                source="page",
                as_you_type=True,
            )
            ctx["result"] = result
            ctx["rows"] = [
                {
                    "article": a,
                    "record": a.published_record,
                    "score": s,
                    "snippet": sn,
                    "rank": (page - 1) * PAGE_SIZE + i,
                }
                for i, (a, s, sn) in enumerate(result.hits, start=1)
            ]
            ctx["has_next"] = page * PAGE_SIZE < result.count
            ctx["kind_labels"] = dict(Kind.choices)
            ctx["category_names"] = dict(
                Category.objects.filter(code__in=list(result.facets.get("category", {}))).values_list(
                    "code", "name"
                )
            )
        except DomainError as exc:
            ctx["error"] = exc.message
            status = 400
    return render_page_or_fragment(
        request, "search/page.html", "search/partials/results.html", ctx, status=status
    )


@login_required
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """Top matches for the header box while typing (not logged: half-typed words are not searches)."""
    q = request.GET.get("q", "")
    rows: list[dict[str, Any]] = []
    if q.strip():
        try:
            result = search_articles(request.user, q, limit=6, log=False, as_you_type=True, source="page")
            rows = [{"article": a, "record": a.published_record, "snippet": sn} for a, _s, sn in result.hits]
        except DomainError:
            rows = []
    return render(request, "search/partials/suggestions.html", {"rows": rows, "q": q})


@login_required
@require_GET
def open_result(request: HttpRequest, search_id: uuid.UUID, article_id: int) -> HttpResponse:
    """Record which result was opened, then go to it (a plain link works without JavaScript)."""
    article = readable_published_articles(request.user).filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article.")
    rank = _int(request.GET.get("rank"), 1)
    with contextlib.suppress(DomainError):  # an old or foreign search id: still open the article
        services.record_opened(user=request.user, search_id=search_id, article_id=article_id, rank=rank)
    return HttpResponseRedirect(article.get_absolute_url())


@login_required
@require_POST
def not_found(request: HttpRequest, search_id: uuid.UUID) -> HttpResponse:
    """ "I could not find it": one click from the results page; leads see it on the failed-searches page."""
    try:
        services.record_not_found(
            user=request.user, search_id=search_id, comment=request.POST.get("comment", "")
        )
        messages.success(
            request, "Thanks — the team leads will see that this search did not find what you needed."
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("search:page")
    return redirect(back)


@login_required
@require_GET
def failed(request: HttpRequest) -> HttpResponse:
    """Failed searches by frequency: where SOPs are missing (leads, trainers, admins)."""
    if not getattr(request.user, "sees_metrics", False):
        raise Http404("No such page.")
    rows = failed_searches(user=request.user, limit=200)
    return render(request, "search/failed.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def synonyms(request: HttpRequest) -> HttpResponse:
    """List synonym groups; leads and admins add and delete them."""
    if request.method == "POST":
        if not access.is_editor(request.user):
            raise Http404("No such page.")
        raw = request.POST.get("terms", "")
        try:
            services.check_terms_text_size(raw)
            terms = [t.strip() for t in raw.split(",")]
            services.create_synonym(actor=request.user, terms=[t for t in terms if t])
            messages.success(request, "Synonyms saved; searches use them right away.")
            return redirect("search:synonyms")
        except DomainError as exc:
            return render(
                request,
                "search/synonyms.html",
                {
                    "groups": Synonym.objects.all(),
                    "error": exc.message,
                    "terms": request.POST.get("terms", ""),
                },
                status=400,
            )
    return render(request, "search/synonyms.html", {"groups": Synonym.objects.all()})


@login_required
@require_POST
def synonym_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.is_editor(request.user):
        raise Http404("No such page.")
    services.delete_synonym(actor=request.user, synonym=get_object_or_404(Synonym, pk=pk))
    messages.success(request, "Synonym group deleted.")
    return redirect("search:synonyms")
