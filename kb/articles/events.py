"""In-transaction notifications from article services to the apps that depend on articles.

Articles must not import search or training (dependencies run one way), yet a publish has to write
the search outbox row in the *same* transaction. Apps register handlers here in ``ready()``; services
call ``article_changed`` explicitly, so bulk writes cannot skip it the way they skip model signals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_handlers: list[Callable[[list[int], str], None]] = []


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
