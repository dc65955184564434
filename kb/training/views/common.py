"""What the training pages share: the signed-in user and the trainer check."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.models import User


def _me(request: Any) -> User:
    """The signed-in user (views here require login; DRF's default permission requires it too)."""
    return cast(User, request.user)


def _require_trainer(request: HttpRequest) -> None:
    if not _me(request).is_trainer:
        raise PermissionDenied("Trainers and admins only.")
