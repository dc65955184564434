"""The client's address behind KB_PROXY_COUNT reverse proxies."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """With N proxies, the client is the N-th address from the right of X-Forwarded-For.

    Entries further left were written by the client itself and cannot be trusted.
    """
    count = settings.PROXY_COUNT
    if count:
        parts = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(parts) >= count:
            return parts[-count][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]
