"""Server-side SVG charts: geometry computed here, markup (escaped) in templates/metrics/partials/.

Every bar carries its label and value as text, so no figure depends on colour, and each chart has
a <title> and an aria-label; a table with the same numbers sits next to every chart on the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass
class Bar:
    label: str
    value: float
    text: str
    href: str = ""
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0


def hbar_chart(
    title: str,
    rows: list[tuple[str, float, str] | tuple[str, float, str, str]],
    *,
    label_width: int = 260,
    bar_area: int = 360,
    row_height: int = 26,
) -> SafeString:
    """A horizontal bar chart: one row per (label, value, value text[, link])."""
    bars = [Bar(r[0], float(r[1] or 0), r[2], r[3] if len(r) > 3 else "") for r in rows]  # type: ignore[misc]
    top = max((b.value for b in bars), default=0) or 1.0
    for i, b in enumerate(bars):
        b.y = i * row_height
        b.width = max(1.0 if b.value > 0 else 0.0, b.value / top * bar_area)
        b.height = row_height - 8
        b.x = label_width + b.width + 6  # where the value text starts
        b.label = b.label if len(b.label) <= 40 else b.label[:39] + "…"
    ctx: dict[str, Any] = {
        "title": title,
        "bars": bars,
        "label_width": label_width,
        "bar_area": bar_area,
        "width": label_width + bar_area + 90,
        "height": max(row_height, len(bars) * row_height),
        "text_dy": (row_height - 8) / 2 + 4,
    }
    return mark_safe(render_to_string("metrics/partials/hbar.html", ctx))


def day_chart(title: str, series: list[tuple[date, float, str]], *, height: int = 160) -> SafeString:
    """Vertical bars per day with the value written above each bar and dates along the axis."""
    n = max(len(series), 1)
    slot = max(8.0, min(28.0, 720 / n))
    top = max((v for _, v, _ in series), default=0) or 1.0
    bars = []
    for i, (day, value, text) in enumerate(series):
        h = (float(value) / top) * (height - 30) if value else 0.0
        bars.append(
            Bar(
                label=day.strftime("%d %b"),
                value=float(value or 0),
                text=text,
                x=i * slot,
                y=height - 20 - h,
                width=slot - 2,
                height=h,
            )
        )
    every = max(1, round(n / 10))
    ctx = {
        "title": title,
        "bars": bars,
        "width": n * slot + 10,
        "height": height,
        "axis_y": height - 20,
        "label_every": every,
        "show_values": slot >= 16,
    }
    return mark_safe(render_to_string("metrics/partials/day_chart.html", ctx))
