"""Training pages: My reading, the acknowledge panel, the trainer dashboard, grids and CSV.

Views are thin: look up through access/selectors, call one service, render. Domain errors become
form errors on the same page; 404 for anything the caller may not read.
"""

from __future__ import annotations

import csv
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.models import Team, User
from kb.articles.access import is_readable_published, readable_published_articles
from kb.articles.diff import diff_records
from kb.articles.models import Article, Publication
from kb.lib.errors import DomainError
from kb.lib.htmx import is_htmx
from kb.training import selectors, services
from kb.training.forms import AddArticleForm, AssignForm, GridFilterForm, ReadingListForm
from kb.training.models import Quiz, QuizAttempt, ReadingList

EQUAL_CONTEXT = 160  # characters of unchanged text kept around each change in the inline diff


def _me(request: Any) -> User:
    """The signed-in user (views here require login; DRF's default permission requires it too)."""
    return cast(User, request.user)


def _require_trainer(request: HttpRequest) -> None:
    if not _me(request).is_trainer:
        raise PermissionDenied("Trainers and admins only.")


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


# ---------------------------------------------------------------------------------------------
# trainer dashboard


def _assign_form(request: HttpRequest, data: Any = None) -> AssignForm:
    articles = readable_published_articles(request.user).order_by("title").only("id", "title")
    initial = {k: request.GET[k] for k in ("reading_list", "article", "team", "user") if k in request.GET}
    return AssignForm(data, initial=initial, lists=ReadingList.objects.order_by("title"), articles=articles)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Reading lists, assignments with their progress, and the forms to add both."""
    _require_trainer(request)
    lists = list(selectors.reading_lists().order_by("title"))
    articles_of = selectors.lists_articles(_me(request), lists)
    for rl in lists:
        # Count only what this trainer can see: hidden articles are absent from every count.
        rl.visible_count = len(articles_of[rl.pk])  # type: ignore[attr-defined]
    assignments = list(selectors.visible_assignments(_me(request)))
    progress = {}
    for a in assignments:
        grid = selectors.assignment_progress(viewer=_me(request), assignment=a)
        progress[a.pk] = grid
    return render(
        request,
        "training/dashboard.html",
        {
            "lists": lists,
            "assignments": [(a, progress[a.pk]) for a in assignments],
            "list_form": ReadingListForm(),
            "assign_form": _assign_form(request),
            "teams": Team.objects.order_by("name"),
        },
    )


@login_required
@require_POST
def list_create(request: HttpRequest) -> HttpResponse:
    _require_trainer(request)
    form = ReadingListForm(request.POST)
    if form.is_valid():
        try:
            rl = services.create_reading_list(actor=_me(request), **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Reading list “{rl.title}” created: now add its articles.")
            return redirect("training:list_detail", rl.pk)
    return render(request, "training/list_form.html", {"form": form}, status=400)


@login_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One list: its articles in order with move/remove buttons, and a form to add one."""
    _require_trainer(request)
    rl = get_object_or_404(ReadingList, pk=pk)
    articles = selectors.list_articles(request.user, rl)
    form = ReadingListForm(initial={"title": rl.title, "description": rl.description})
    status = 200
    if request.method == "POST":
        form = ReadingListForm(request.POST)
        if form.is_valid():
            try:
                services.update_reading_list(actor=_me(request), reading_list=rl, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Saved.")
                return redirect("training:list_detail", rl.pk)
        status = 400
    present = {a.pk for a in articles}
    candidates = [
        a
        for a in readable_published_articles(request.user).order_by("title").only("id", "title")
        if a.pk not in present
    ]
    return render(
        request,
        "training/list_detail.html",
        {
            "reading_list": rl,
            "articles": articles,
            "form": form,
            "add_form": AddArticleForm(articles=candidates),
            "assignments": rl.assignments.select_related("user", "team").order_by("due"),
        },
        status=status,
    )


@login_required
@require_POST
def list_items(request: HttpRequest, pk: int) -> HttpResponse:
    """Add, remove or move one article of a list (each a full reorder through the service)."""
    _require_trainer(request)
    rl = get_object_or_404(ReadingList, pk=pk)
    ids = [a.pk for a in selectors.list_articles(request.user, rl)]
    op = request.POST.get("op")
    try:
        target = int(request.POST.get("article", ""))
    except ValueError:
        messages.error(request, "Choose an article.")
        return redirect("training:list_detail", rl.pk)
    if op == "add" and target not in ids:
        ids.append(target)
    elif op == "remove" and target in ids:
        ids.remove(target)
    elif op in ("up", "down") and target in ids:
        i = ids.index(target)
        j = i - 1 if op == "up" else i + 1
        if 0 <= j < len(ids):
            ids[i], ids[j] = ids[j], ids[i]
    try:
        services.update_reading_list(actor=_me(request), reading_list=rl, articles=ids)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("training:list_detail", args=[rl.pk]) + f"#item-{target}")


@login_required
@require_POST
def list_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_trainer(request)
    rl = get_object_or_404(ReadingList, pk=pk)
    try:
        services.delete_reading_list(actor=_me(request), reading_list=rl)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("training:list_detail", rl.pk)
    messages.success(request, f"Reading list “{rl.title}” deleted.")
    return redirect("training:dashboard")


@login_required
def assign(request: HttpRequest) -> HttpResponse:
    """The assign form: a list or an article, to a person or a team, by a due date."""
    _require_trainer(request)
    if request.method != "POST":
        return render(request, "training/assign.html", {"form": _assign_form(request, None)})
    form = _assign_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.create_assignment(
                actor=_me(request),
                reading_list=data["reading_list"] or None,
                article=data["article"] or None,
                user=data["user"] or None,
                team=data["team"] or None,
                due=data["due"],
                note=data["note"],
                requires_quiz=data["requires_quiz"],
            )
        except services.InvalidFields as exc:
            for field, msgs in exc.errors.items():
                for msg in msgs:
                    form.add_error(field if field in form.fields else None, msg)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                f"Assigned {assignment.target_label} to {assignment.assignee_label}, due {assignment.due}.",
            )
            return redirect("training:assignment", assignment.pk)
    return render(request, "training/assign.html", {"form": form}, status=400)


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_trainer(request)
    assignment = get_object_or_404(selectors.visible_assignments(_me(request)), pk=pk)
    grid = selectors.assignment_progress(viewer=_me(request), assignment=assignment)
    if request.GET.get("format") == "csv":
        return _grid_csv(grid, f"assignment-{assignment.pk}")
    return render(
        request,
        "training/assignment.html",
        {"assignment": assignment, "grid": grid, "page_obj": _rows_page(request, grid), "query_base": ""},
    )


@login_required
@require_POST
def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_trainer(request)
    assignment = get_object_or_404(selectors.visible_assignments(_me(request)), pk=pk)
    services.delete_assignment(actor=_me(request), assignment=assignment)
    messages.success(request, "Assignment withdrawn; acknowledgments are kept.")
    return redirect("training:dashboard")


# ---------------------------------------------------------------------------------------------
# grid


CSV_STATE = {"done": "done", "todo": "to do", "overdue": "OVERDUE", "reack": "read again"}


def _csv_safe(value: Any) -> str:
    """Spreadsheet formula injection guard: cells starting with = + - @ are prefixed with '."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _grid_csv(grid: selectors.Grid, name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(["person", "done", "total", "overdue", *(_csv_safe(a.title) for a in grid.articles)])
    for row in grid.rows:
        cells = []
        for cell in row.raw:  # raw tuples: no objects needed for 20,000 cells
            if cell is None:
                cells.append("")
                continue
            state, acked, due = cell[0], cell[1], cell[2]
            text = CSV_STATE[state]
            if acked is not None:
                text += f" (v{acked})"
            if state in ("todo", "overdue") and due:
                text += f" due {due.isoformat()}"
            cells.append(text)
        writer.writerow([_csv_safe(row.person.username), row.done, row.total, row.overdue, *cells])
    return response


@login_required
def grid(request: HttpRequest) -> HttpResponse:
    """People × articles for a team (``?team=NAME``) and/or a reading list (``?reading_list=ID``)."""
    _require_trainer(request)
    lists = ReadingList.objects.order_by("title")
    form = GridFilterForm(request.GET or None, lists=lists)
    team = reading_list = None
    result = None
    if form.is_valid():
        team_name = form.cleaned_data.get("team")
        list_id = form.cleaned_data.get("reading_list")
        team = Team.objects.filter(name=team_name).first() if team_name else None
        reading_list = ReadingList.objects.filter(pk=list_id).first() if list_id else None
        if reading_list is not None:
            result = selectors.reading_list_grid(viewer=_me(request), reading_list=reading_list, team=team)
        elif team is not None:
            result = selectors.team_grid(viewer=_me(request), team=team)
    if result is not None and request.GET.get("format") == "csv":
        name = "-".join(
            x for x in (team.name if team else "", f"list{reading_list.pk}" if reading_list else "") if x
        )
        return _grid_csv(result, "".join(c if c.isalnum() or c in "-_" else "_" for c in name))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "training/grid.html",
        {
            "form": form,
            "grid": result,
            "team": team,
            "reading_list": reading_list,
            "page_obj": _rows_page(request, result),
            "query_base": f"{query.urlencode()}&" if query else "",
        },
    )


GRID_PAGE_SIZE = 50


def _rows_page(request: HttpRequest, grid: selectors.Grid | None) -> Any:
    """One page of people (totals above the grid always count everyone; the CSV has every row)."""
    if grid is None:
        return None
    return Paginator(grid.rows, GRID_PAGE_SIZE).get_page(request.GET.get("page"))
