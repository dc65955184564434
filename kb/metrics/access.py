"""Who may see which metrics (CONTRACT §3): leads, trainers and admins; participation: leads and admins."""

from __future__ import annotations

from typing import Any


def can_see_metrics(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.sees_metrics)


def can_see_participation(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.sees_participation)
