"""Domain errors raised by services; the HTML views and the one DRF handler translate them.

Services never know about HTTP. Each error carries the status it maps to so that the API answers
400/403/404/409 consistently and the web pages show the same message as a form error.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A use case refused: the message is safe to show to the user."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}

    def as_payload(self) -> dict[str, Any]:
        if self.field:
            return {self.field: [self.message], **self.extra}
        return {"detail": self.message, **self.extra}


class InvalidInput(DomainError):
    """Input that passed the form's shape checks but breaks a domain rule."""


class NotAllowed(DomainError):
    """The user can see the object but may not do this to it."""

    status_code = 403


class NotFound(DomainError):
    """Missing, or hidden from this user: the two are never told apart."""

    status_code = 404


class Conflict(DomainError):
    """The action clashes with the object's current state (stale version, workflow rule)."""

    status_code = 409


class VersionConflict(Conflict):
    """An edit started from a version that is no longer the latest; nothing was saved."""

    def __init__(self, *, base_version: int, current_version: int, diff_url: str):
        super().__init__(
            f"This article changed since you started editing: you edited version {base_version}, "
            f"the latest is version {current_version}. Nothing was saved.",
            extra={"base_version": base_version, "current_version": current_version, "diff_url": diff_url},
        )
        self.base_version = base_version
        self.current_version = current_version
        self.diff_url = diff_url
