"""Template context every page needs: navigation and banners contributed by the apps (kb.lib.ui)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kb.lib import ui


def kb(request: HttpRequest) -> dict[str, Any]:
    if request.path.startswith(("/api/", "/static/", "/healthz")):
        return {}
    return {
        "KB_DEBUG": settings.DEBUG,
        "nav_items": ui.nav_items(request),
        "banners": ui.banners(request) if hasattr(request, "user") else [],
    }
