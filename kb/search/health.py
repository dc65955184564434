"""Search health for /healthz: is the index usable, and how many outbox rows are waiting."""

from __future__ import annotations


def search_health(*, database_ok: bool) -> tuple[str, int | None]:
    """("ok" | "unavailable: <reason>", pending outbox rows or None when the database is down)."""
    from kb.search.backends import get_backend
    from kb.search.models import SearchOutbox

    try:
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
