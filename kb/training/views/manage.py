"""The trainer's pages: the dashboard, reading lists, assigning, one assignment's progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Team
from kb.articles.access import readable_published_articles
from kb.lib.errors import DomainError
from kb.training import selectors, services
from kb.training.forms import AddArticleForm, AssignForm, ReadingListForm
from kb.training.models import ReadingList
from kb.training.views.common import _me, _require_trainer
from kb.training.views.grid import _grid_csv, _rows_page


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
