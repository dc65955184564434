"""The last-resort error answers (``handler400``/``403``/``404``/``500`` in kb/urls.py).

An API client parses JSON: an error that no API view answered itself (an unknown URL under /api/, a
request Django refused before any view, a crash) answers ``{"detail": …}`` as JSON with its status,
never Django's HTML page (CONTRACT §6). People get the friendly templates. Nothing about an
exception is ever shown; Django's request logger records it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views import defaults

JSON_PREFIXES = ("/api/", "/scim/")


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(JSON_PREFIXES)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    try:
        # No request context: whatever broke the view may break a context processor too.
        body = loader.get_template("500.html").render()
    except Exception:  # the error page itself must never fail
        body = "<!doctype html><title>Server error</title><h1>Something went wrong on our side</h1>"
    return HttpResponseServerError(body)
