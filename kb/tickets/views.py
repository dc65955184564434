"""Ticket pages: the ticket with its pinned versions, the article panel actions, flags, the framed panel."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from kb.articles import access
from kb.articles.access import readable_published_articles
from kb.articles.models import Article
from kb.lib.errors import DomainError, NotFound
from kb.lib.htmx import is_htmx
from kb.tickets import selectors, services
from kb.tickets.models import FlagReason, FlagState, Outcome

OUTCOME_BUTTONS = [
    (Outcome.RESOLVED, "Resolved it"),
    (Outcome.HELPFUL, "Helped"),
    (Outcome.NOT_HELPFUL, "Did not help"),
    (Outcome.ESCALATED, "Escalated"),
]
OUTCOME_PHRASES: dict[str, str] = {
    Outcome.RESOLVED: "resolved the ticket",
    Outcome.HELPFUL: "helped",
    Outcome.NOT_HELPFUL: "did not help",
    Outcome.ESCALATED: "was used before escalating",
}


# ---------------------------------------------------------------------------------------------
# the article panel (registered in apps.py through kb.lib.ui)


def _panel_context(request: HttpRequest, article: Article, version: int, **extra: Any) -> dict[str, Any]:
    return {
        "article": article,
        "version": version,
        "resolved_30d": selectors.resolved_count(request.user, article, days=30),
        "outcomes": OUTCOME_BUTTONS,
        "flag_reasons": FlagReason.choices,
        "ticket_value": "",
        **extra,
    }


def article_panel(request: HttpRequest, article: Any, record: Any) -> str:
    """'Used on a ticket', the 30-day resolved count, feedback buttons and the flag form."""
    if not request.user.is_authenticated or article.published_version is None:
        return ""
    version = getattr(record, "version", None) or article.published_version
    if version != article.published_version and not article.publications.filter(version=version).exists():
        version = article.published_version  # a draft is on screen: tickets pin what readers read
    return render_to_string(
        "tickets/partials/article_panel.html", _panel_context(request, article, version), request=request
    )


def _readable_or_404(request: HttpRequest, article_id: int) -> Article:
    article = readable_published_articles(request.user).filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article.")
    return article


def _panel_response(request: HttpRequest, article: Article, version: int, **extra: Any) -> HttpResponse:
    if is_htmx(request):
        return render(
            request, "tickets/partials/article_panel.html", _panel_context(request, article, version, **extra)
        )
    for text in extra.get("errors", []):
        messages.error(request, text)
    if extra.get("notice"):
        messages.success(request, extra["notice"])
    return redirect(article.get_absolute_url())


def _post_version(request: HttpRequest, article: Article) -> int:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else int(article.published_version or 1)


@login_required
@require_POST
def panel_use(request: HttpRequest, article_id: int) -> HttpResponse:
    """Record a resolution from the article page: ticket id + one outcome button."""
    article = _readable_or_404(request, article_id)
    version = _post_version(request, article)
    ticket_id = request.POST.get("ticket", "").strip()
    try:
        record, created = services.record_resolution(
            actor=cast(User, request.user),
            ticket=ticket_id,
            article=article.pk,
            outcome=request.POST.get("outcome"),
            version=version,
        )
    except DomainError as exc:
        return _panel_response(request, article, version, errors=[exc.message], ticket_value=ticket_id[:64])
    verb = "Recorded" if created else "Updated"
    what = OUTCOME_PHRASES.get(record.outcome, record.outcome)
    notice = f"{verb} on ticket {ticket_id}: version {record.version} {what}."
    return _panel_response(request, article, version, notice=notice)


@login_required
@require_POST
def panel_feedback(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _readable_or_404(request, article_id)
    version = _post_version(request, article)
    try:
        services.give_feedback(
            actor=cast(User, request.user),
            article=article.pk,
            version=version,
            helpful=request.POST.get("helpful") == "true",
            comment=request.POST.get("comment", ""),
        )
    except DomainError as exc:
        return _panel_response(request, article, version, errors=[exc.message])
    return _panel_response(request, article, version, notice="Thanks: your feedback was saved.")


@login_required
@require_POST
def panel_flag(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _readable_or_404(request, article_id)
    version = _post_version(request, article)
    try:
        services.raise_flag(
            actor=cast(User, request.user),
            article=article.pk,
            version=version,
            reason=request.POST.get("reason"),
            comment=request.POST.get("comment", ""),
        )
    except DomainError as exc:
        return _panel_response(request, article, version, errors=[exc.message])
    return _panel_response(
        request, article, version, notice="Flag raised: the owner will see it in their queue."
    )


# ---------------------------------------------------------------------------------------------
# tickets and flags pages


@login_required
@require_GET
def ticket_detail(request: HttpRequest, external_id: str) -> HttpResponse:
    """The ticket, and for each linked article the exact version read, with a diff to today's."""
    try:
        ticket = services.get_ticket(external_id)
    except DomainError:
        raise Http404("No such ticket.") from None
    rows = selectors.ticket_resolutions(request.user, ticket)
    return render(request, "tickets/ticket_detail.html", {"ticket": ticket, "rows": rows})


@login_required
@require_GET
def ticket_lookup(request: HttpRequest) -> HttpResponse:
    """Find a ticket by id (the form on the flags and metrics pages)."""
    raw = request.GET.get("id", "").strip()
    if raw:
        try:
            ticket = services.get_ticket(raw)
            return redirect(ticket.get_absolute_url())
        except DomainError as exc:
            return render(request, "tickets/ticket_lookup.html", {"error": exc.message, "value": raw[:64]})
    return render(request, "tickets/ticket_lookup.html", {"value": ""})


@login_required
@require_GET
def flag_queue(request: HttpRequest) -> HttpResponse:
    """Open flags on my articles (owners) or on every article I can see (leads, admins)."""
    user = cast(User, request.user)
    state = request.GET.get("state", FlagState.OPEN)
    if state not in FlagState.values:
        state = FlagState.OPEN
    editor = access.is_editor(user)
    mine = request.GET.get("mine") == "1" or not editor
    owner = user.username if mine else None
    flags = selectors.visible_flags(user, state=state, owner=owner)
    if not editor:
        flags = flags.filter(article__owner=user)
    return render(
        request,
        "tickets/flag_queue.html",
        {"flags": flags[:200], "state": state, "mine": mine, "can_close": True},
    )


@login_required
@require_POST
def flag_close(request: HttpRequest, flag_id: int) -> HttpResponse:
    try:
        services.close_flag(
            actor=cast(User, request.user), flag=flag_id, resolution=request.POST.get("resolution", "")
        )
        messages.success(request, "Flag closed.")
    except NotFound:
        raise Http404("No such flag.") from None
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("tickets:flags") + ("?mine=1" if request.POST.get("mine") == "1" else ""))


# ---------------------------------------------------------------------------------------------
# the suggestion panel a helpdesk frames


@require_http_methods(["GET", "HEAD"])
def suggest_panel(request: HttpRequest) -> HttpResponse:
    """Compact suggestions for a ticket, frameable by KB_FRAME_ANCESTORS only.

    The login page is not frameable, so an anonymous visitor gets a sign-in link that opens in a new
    tab and comes back here (``next``); the panel itself then reloads signed in.
    """
    category = request.GET.get("category", "")
    text = request.GET.get("text", "")
    ctx: dict[str, Any] = {"category": category, "text": text, "results": [], "error": ""}
    status = 200
    if not request.user.is_authenticated:
        ctx["login_url"] = reverse(settings.LOGIN_URL) + "?" + urlencode({"next": request.get_full_path()})
    elif category or text:
        try:
            ctx["results"] = selectors.suggest_articles(
                request.user, category=category or None, text=text, limit=request.GET.get("limit", 5)
            )
        except DomainError as exc:
            ctx["error"] = exc.message
            status = 400
    response = render(request, "tickets/suggest_panel.html", ctx, status=status)
    response.kb_frameable = True  # type: ignore[attr-defined]
    if settings.FRAME_ANCESTORS:
        response.xframe_options_exempt = True  # type: ignore[attr-defined]
    return response
