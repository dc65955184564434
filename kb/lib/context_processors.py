"""Template context every page needs: navigation and banners contributed by the apps (kb.lib.ui)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kb.articles import access
from kb.lib import ui


def kb(request: HttpRequest) -> dict[str, Any]:
    """Computed once per request: article panels and htmx fragments rendered with ``request`` run the
    context processors again, and the banners cost queries."""
    if request.path.startswith(("/api/", "/static/", "/healthz")):
        return {}
    cached = getattr(request, "_kb_context", None)
    if cached is None:
        cached = {
            "KB_DEBUG": settings.DEBUG,
            # role answers for templates, from the one place that decides them (docs/access.md)
            "user_is_editor": access.is_editor(getattr(request, "user", None)),
            "user_sees_drafts": access.can_see_drafts(getattr(request, "user", None)),
            "nav_items": ui.nav_items(request),
            "banners": ui.banners(request) if hasattr(request, "user") else [],
        }
        request._kb_context = cached  # type: ignore[attr-defined]
    return cached
