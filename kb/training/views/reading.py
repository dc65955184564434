"""A reader's pages: My reading, the acknowledge panel and its form, the quiz, the banner."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kb.articles.access import is_readable_published, readable_published_articles
from kb.articles.diff import diff_records
from kb.articles.models import Article, Publication
from kb.lib.errors import DomainError
from kb.lib.htmx import is_htmx
from kb.training import selectors, services
from kb.training.models import Quiz, QuizAttempt
from kb.training.views.common import _me

EQUAL_CONTEXT = 160  # characters of unchanged text kept around each change in the inline diff


def _compact_ops(ops: list[list[str]]) -> list[list[str]]:
    """Shorten long unchanged runs so the re-read diff shows the changes, not the whole article."""
    out = []
    for i, (op, text) in enumerate(ops):
        if op == "equal" and len(text) > 2 * EQUAL_CONTEXT:
            head = text[:EQUAL_CONTEXT] if i > 0 else ""
            tail = text[-EQUAL_CONTEXT:] if i < len(ops) - 1 else ""
            text = f"{head} … {tail}".strip() if (head or tail) else "…"
        out.append([op, text])
    return out


def reack_changes(item: selectors.ReadingItem) -> list[dict[str, Any]]:
    """The word diff from the version this person acknowledged to the published one (changed fields)."""
    if item.acknowledged_version is None:
        return []
    article = item.article
    records = {
        r.version: r
        for r in article.history.filter(
            version__in=[item.acknowledged_version, item.published_version]
        ).order_by("history_id")
    }
    old, new = records.get(item.acknowledged_version), records.get(item.published_version)
    if old is None or new is None:
        return []
    return [{**c, "ops": _compact_ops(c["ops"])} for c in diff_records(old, new) if c["changed"]]


@login_required
def my_reading(request: HttpRequest) -> HttpResponse:
    """Everything the signed-in person must read or read again, attention first, with progress."""
    items = selectors.my_reading(_me(request))
    assigned = [i for i in items if i.assignment_ids]
    done = sum(1 for i in assigned if i.state == selectors.DONE)
    for item in items:
        if item.state == selectors.REACK:
            item.changes = reack_changes(item)
    groups = [
        ("reack", "Read again: changed since you acknowledged it", [i for i in items if i.state == "reack"]),
        ("overdue", "Overdue", [i for i in items if i.state == "overdue"]),
        ("todo", "To read", [i for i in items if i.state == "todo"]),
        ("done", "Done", [i for i in items if i.state == "done"]),
    ]
    return render(
        request,
        "training/my_reading.html",
        {
            "items": items,
            "groups": [g for g in groups if g[2]],
            "assigned_total": len(assigned),
            "assigned_done": done,
            "percent": round(100 * done / len(assigned)) if assigned else 100,
        },
    )


# ---------------------------------------------------------------------------------------------
# the acknowledge panel on the article page


def _panel_context(request: HttpRequest, article: Article, error: str = "") -> dict[str, Any]:
    facts = selectors.panel_facts(_me(request), article)
    ack = facts.ack
    published = int(article.published_version or 0)
    state = None
    diff_url = None
    if ack is not None:
        materials = Publication.objects.filter(article=article, material=True).values_list(
            "version", flat=True
        )
        if selectors.needs_reack(ack.version, published, materials):
            state = "reack"
            diff_url = reverse("articles:diff", args=[article.slug]) + f"?from={ack.version}&to={published}"
        else:
            state = "done"
    return {
        "article": article,
        "ack": ack,
        "state": state,
        "published": published,
        "diff_url": diff_url,
        "due": facts.due if state != "done" else None,
        "error": error,
        "has_quiz": facts.has_quiz,
    }


def acknowledge_panel(request: HttpRequest, article: Article, record: Any) -> str:
    """The "I have read and understood" block; only beside the published version."""
    if not request.user.is_authenticated or not article.published_version:
        return ""
    if record is not None and getattr(record, "version", None) != article.published_version:
        return ""
    if not is_readable_published(request.user, article):
        return ""
    return render_to_string(
        "training/partials/ack_panel.html", _panel_context(request, article), request=request
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, article_id: int) -> HttpResponse:
    """Record the acknowledgment; htmx gets the panel back, a plain form post goes back to ``next``."""
    error = ""
    try:
        services.acknowledge_article(
            user=_me(request), article_id=article_id, version=request.POST.get("version")
        )  # type: ignore[arg-type]
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404("No such article.") from None
        error = exc.message
    article = get_object_or_404(readable_published_articles(request.user), pk=article_id)
    if is_htmx(request):
        return render(
            request,
            "training/partials/ack_panel.html",
            _panel_context(request, article, error),
            status=409 if error and "not the published" in error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Acknowledged: {article.title} (version {article.published_version}).")
    target = request.POST.get("next") or article.get_absolute_url()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = article.get_absolute_url()
    return redirect(target)


@login_required
def quiz(request: HttpRequest, article_id: int) -> HttpResponse:
    """Take the quiz of an article: one fieldset of radio buttons per question; every attempt is kept."""
    article = get_object_or_404(readable_published_articles(request.user), pk=article_id)
    quiz_obj = get_object_or_404(Quiz, article=article)
    questions = list(quiz_obj.questions.all())
    attempt = None
    error = ""
    if request.method == "POST":
        answers = [request.POST.get(f"q{n}") for n in range(1, len(questions) + 1)]
        if any(a in (None, "") for a in answers):
            error = "Answer every question."
        else:
            try:
                attempt = services.attempt_quiz(user=_me(request), article_id=article.pk, answers=answers)
            except DomainError as exc:
                error = exc.message
    passed_before = QuizAttempt.objects.filter(quiz=quiz_obj, user=_me(request), passed=True).exists()
    return render(
        request,
        "training/quiz.html",
        {
            "article": article,
            "quiz": quiz_obj,
            "questions": questions,
            "attempt": attempt,
            "error": error,
            "passed_before": passed_before,
        },
        status=400 if error else 200,
    )


# ---------------------------------------------------------------------------------------------
# banner


def reading_banner(request: HttpRequest) -> str:
    """A notice on every page when something needs (re-)acknowledgment: one query, escaped output."""
    if not request.user.is_authenticated:
        return ""
    counts = selectors.attention_counts(_me(request))
    if not counts["pending"] and not counts["reack"]:
        return ""
    # Rendered without ``request=``: the context processors call the banners, which would recurse.
    return render_to_string("training/partials/banner.html", {"counts": counts})
