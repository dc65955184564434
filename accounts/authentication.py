"""API token authentication: DRF's rules, with the lookup compiled once (most API calls carry a token)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from accounts.models import User
from kb.lib.statements import Statement

# The user's columns in the model's field order, as Model.from_db takes them.
_USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields)


def _token_user(*, key: str) -> QuerySet[Any, Any]:
    return Token.objects.filter(key=key).values_list(*(f"user__{name}" for name in _USER_FIELDS))


_TOKEN_USER = Statement(_token_user, key=str)


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` exactly as DRF checks it (unknown key, inactive user: 401).

    DRF's own lookup builds and compiles its queryset on every request; this one binds the key to a
    statement compiled once. ``request.auth`` is the key, the only thing kb reads of it.
    """

    def authenticate_credentials(self, key: str) -> tuple[User, str]:  # type: ignore[override]
        if "\x00" in key:  # PostgreSQL refuses NUL in text with an error, and no key has one
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        rows = _TOKEN_USER.values(key=key)
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = User.from_db("default", _USER_FIELDS, rows[0])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, key
