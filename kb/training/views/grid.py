"""People × articles: the progress grid page, its pages of people and its CSV export."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Team
from kb.training import selectors
from kb.training.forms import GridFilterForm
from kb.training.models import ReadingList
from kb.training.views.common import _me, _require_trainer

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
