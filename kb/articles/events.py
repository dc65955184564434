"""In-transaction notifications from article services to the apps that depend on articles.

Articles must not import search or training (dependencies run one way), yet a publish has to write
the search outbox row in the *same* transaction. Apps register handlers here in ``ready()``; services
call ``article_changed`` explicitly, so bulk writes cannot skip it the way they skip model signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

_handlers: list[Callable[[list[int], str], None]] = []
_state = threading.local()


@contextmanager
def bulk() -> Iterator[None]:
    """Mark a bulk change (an import, the demo): dependents still record every change durably in the
    same transaction, but skip their per-change immediate work (such as applying each search update
    right after its commit); the caller drains once at the end (``search_worker --once``)."""
    depth = getattr(_state, "bulk", 0)
    _state.bulk = depth + 1
    try:
        yield
    finally:
        _state.bulk = depth


def in_bulk() -> bool:
    return getattr(_state, "bulk", 0) > 0


def register(handler: Callable[[list[int], str], None]) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def article_changed(article_ids: Iterable[int], reason: str) -> None:
    """Tell every registered app that these articles changed; runs inside the caller's transaction."""
    ids = sorted(set(article_ids))
    if not ids:
        return
    for handler in list(_handlers):
        handler(ids, reason)
