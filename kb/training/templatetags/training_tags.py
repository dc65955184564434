"""Template helpers for training pages.

``grid_cell`` renders one cell of the progress grid in Python, ``grid_cells`` a whole row of them: a
grid page has up to 2,000 cells and Django template nodes per cell cost more than the whole grid
computation (a template loop over 2,000 ``grid_cell`` tags took longer than building the grid; one tag
per row builds the same HTML from the row's raw tuples). Values are integers and dates, or escaped;
every cell carries text and an icon, never colour alone.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_NOT_ASSIGNED = mark_safe(
    '<span class="muted" title="Not assigned">—<span class="visually-hidden">not assigned</span></span>'
)


def _due(item: Any) -> SafeString:
    return format_html('<br><span class="small muted">due {}</span>', f"{item.due.day} {item.due:%b}")


@register.simple_tag
def grid_cell(item: Any) -> SafeString:
    """One grid cell: state badge (icon + words) and, when not done, the due day."""
    if item is None:
        return _NOT_ASSIGNED
    if item.state == "done":
        html = format_html(
            '<span class="badge badge--status-published"><span aria-hidden="true">✓</span> Done · v{}</span>',
            item.acknowledged_version,
        )
    elif item.state == "overdue":
        html = format_html(
            '<span class="badge badge--danger"><span aria-hidden="true">⚠</span> Overdue</span>{}', _due(item)
        )
    elif item.state == "reack":
        html = format_html(
            '<span class="badge badge--warn"><span aria-hidden="true">↻</span> Read again · had v{}</span>',
            item.acknowledged_version,
        )
    else:
        html = format_html(
            '<span class="badge badge--status-draft"><span aria-hidden="true">○</span> To do</span>{}',
            _due(item),
        )
    if item.quiz_pending:
        html = format_html('{} <span class="badge badge--warn">Quiz to pass</span>', html)
    return html


_DONE = '<span class="badge badge--status-published"><span aria-hidden="true">✓</span> Done · v{}</span>'
_OVERDUE = '<span class="badge badge--danger"><span aria-hidden="true">⚠</span> Overdue</span>'
_REACK = '<span class="badge badge--warn"><span aria-hidden="true">↻</span> Read again · had v{}</span>'
_TODO = '<span class="badge badge--status-draft"><span aria-hidden="true">○</span> To do</span>'
_DUE = '<br><span class="small muted">due {} {:%b}</span>'
_QUIZ = ' <span class="badge badge--warn">Quiz to pass</span>'


def _raw_cell(cell: Any) -> str:
    """``grid_cell`` of one raw grid tuple (state, acknowledged, due, assignment ids, quiz pending)."""
    if cell is None:
        return _NOT_ASSIGNED
    state, acked, due, _ids, quiz_pending = cell
    if state == "done":
        html = _DONE.format(int(acked))
    elif state == "overdue":
        html = _OVERDUE + _DUE.format(due.day, due)
    elif state == "reack":
        html = _REACK.format(int(acked))
    else:
        html = _TODO + _DUE.format(due.day, due)
    return html + _QUIZ if quiz_pending else html


@register.simple_tag
def grid_cells(row: Any) -> SafeString:
    """Every ``<td>`` of one grid row, as ``grid_cell`` renders them (only integers and dates go in)."""
    return mark_safe("\n      ".join(f"<td>{_raw_cell(cell)}</td>" for cell in row.raw))
