"""API token authentication: DRF's rules and answers, with the key checked before the database sees it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from accounts.models import User


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` exactly as DRF checks it (unknown key, inactive user: 401).

    One plain ORM query (token joined to its user) per request, the real user every time: a
    deactivated user or a revoked token is refused on the very next request. ``request.auth`` is
    the key, the only thing kb reads of it.
    """

    def authenticate_credentials(self, key: str) -> tuple[User, str]:  # type: ignore[override]
        if "\x00" in key:  # PostgreSQL refuses NUL in text with an error, and no key has one
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = Token.objects.select_related("user").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user: User = token.user  # type: ignore[assignment]
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, key
