"""The security audit log: who did what, never passwords, tokens or article bodies."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("kb.audit")


def record_event(event: str, *, actor: Any = None, target: str = "", detail: str = "", ip: str = "") -> None:
    """Store one security event and log it; callers pass names and ids only.

    ``actor`` is the user who acted, or the name of what acted for nobody in particular (a command
    such as ``"adduser"``, or ``"system"``).
    """
    from accounts.models import AuditEvent

    username = actor if isinstance(actor, str) else getattr(actor, "username", "") or ""
    AuditEvent.objects.create(
        event=event, actor=username[:150], target=target[:200], detail=detail[:500], ip=ip
    )
    logger.info("audit %s", event, extra={"event": event, "actor": username, "target": target})
