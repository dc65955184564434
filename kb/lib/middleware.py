"""Cross-cutting HTTP guards: body size limit and the security headers Django does not set."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger("kb.db")


class RequestSizeLimitMiddleware:
    """Refuse bodies over the limit with 413 before any parser reads them (CONTRACT §6)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.KB_MAX_REQUEST_BYTES:
            message = f"Request body too large: the limit is {settings.KB_MAX_REQUEST_BYTES} bytes."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy for every response.

    Everything kb serves is same-origin (htmx and scripts are vendored), so the policy can be strict:
    no inline script, no framing except the suggestion panel for KB_FRAME_ANCESTORS.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        ancestors = "'none'"
        if getattr(response, "kb_frameable", False):
            ancestors = " ".join(["'self'", *settings.FRAME_ANCESTORS])
        csp = (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            f"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            f"frame-ancestors {ancestors}"
        )
        if request.path.startswith("/api/docs/") or request.path.startswith("/admin/"):
            # The Swagger UI and the Django admin ship inline scripts of their own.
            csp = csp.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class DatabaseUnavailableMiddleware:
    """A database that is down or restarting answers 503 with Retry-After, not a 500 and a stack trace.

    Connection health checks (CONN_HEALTH_CHECKS) reconnect on the next request, so kb recovers by
    itself once the database is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import InterfaceError, OperationalError

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s", type(exception).__name__)
        message = "The database is unavailable right now. Please try again in a few seconds."
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": message}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        response.headers["Retry-After"] = "5"
        return response
