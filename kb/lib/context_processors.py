"""Template context every page needs (role flags for the navigation)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def kb(request: HttpRequest) -> dict[str, Any]:
    return {"KB_DEBUG": settings.DEBUG}
