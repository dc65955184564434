"""Process-wide caches (e.g. the chosen search backend) register a reset here for tests and reloads."""

from __future__ import annotations

from collections.abc import Callable

_resets: list[Callable[[], None]] = []


def register_reset(fn: Callable[[], None]) -> Callable[[], None]:
    if fn not in _resets:
        _resets.append(fn)
    return fn


def reset_all() -> None:
    for fn in list(_resets):
        fn()
