"""Search health for /healthz: is the index usable, and how many outbox rows are waiting.

A missing index (a fresh install, a deleted folder) is built here from the database when that is
quick (at most ``KB_SEARCH_WEB_BUILD_MAX`` articles; the worker builds larger ones), so a fresh
install answers ``ok`` without a manual step. A damaged index is left to the worker and to
``rebuild_search_index``: until then search answers from the database and health says why.
"""

from __future__ import annotations

from django.conf import settings


def search_health(*, database_ok: bool) -> tuple[str, int | None]:
    """("ok" | "unavailable: <reason>", pending outbox rows or None when the database is down)."""
    from kb.search.backends import get_backend
    from kb.search.models import SearchOutbox
    from kb.search.outbox import ensure_index

    try:
        status = get_backend().health()
        missing = status.startswith("unavailable: index") and "corrupt" not in status
        if (
            missing
            and database_ok
            and ensure_index(blocking=False, max_articles=settings.KB_SEARCH_WEB_BUILD_MAX)
        ):
            status = get_backend().health()
    except Exception as exc:  # never a stack trace: the class name is enough for an operator
        status = f"unavailable: {type(exc).__name__}"
    pending: int | None = None
    if database_ok:
        try:
            pending = SearchOutbox.objects.count()
        except Exception:
            pending = None
    return status, pending
