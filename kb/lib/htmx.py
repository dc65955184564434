"""htmx helpers: one URL serves the page and, for htmx requests, just its fragment."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def render_page_or_fragment(
    request: HttpRequest, page: str, fragment: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """Render the whole page, or only ``fragment`` when htmx asks (partials never extend base.html)."""
    return render(request, fragment if is_htmx(request) else page, context, status=status)
