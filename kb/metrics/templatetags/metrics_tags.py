"""Formatting for metrics pages: rates as percentages, '—' when undefined (never 0 % for 'no data')."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value) * 100:.0f} %"
    except (TypeError, ValueError):
        return "—"
