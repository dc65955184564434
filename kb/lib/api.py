"""REST conventions shared by every endpoint (CONTRACT §6): pagination and one error handler."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kb.lib.errors import DomainError

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise exceptions.ValidationError({"page_size": ["A whole number from 1 to 100."]}) from None
        if size < 1:
            raise exceptions.ValidationError({"page_size": ["A whole number from 1 to 100."]})
        return min(size, self.max_page_size)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors become their status; everything else keeps DRF's shape."""
    if isinstance(exc, DomainError):
        return Response(exc.as_payload(), status=exc.status_code)
    if isinstance(exc, DataError):
        # The database refused a value that passed validation (a NUL character, an out-of-range
        # number or offset on PostgreSQL): the request is at fault, never a 500 (CONTRACT §6).
        logger.warning("database refused a request value: %s", exc)
        return Response(
            {"detail": "A value in the request is not valid."}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and response.status_code == status.HTTP_403_FORBIDDEN
        and isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed)
    ):
        # No or bad credentials: 401 (CONTRACT §6), even for views whose authenticators send no
        # WWW-Authenticate header. A CSRF failure of a signed-in session stays DRF's 403.
        response.status_code = status.HTTP_401_UNAUTHORIZED
    return response
