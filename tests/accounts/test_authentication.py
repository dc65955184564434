"""API tokens: the compiled lookup accepts exactly the keys DRF would, and nothing else."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.services import issue_token

pytestmark = pytest.mark.django_db

ME = "/api/v1/articles/"


def _get(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(ME).status_code


def test_a_valid_token_signs_in_as_its_user(specialist):
    key = issue_token(user=specialist)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get(ME)
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == specialist.pk
    assert response.wsgi_request.user.role == specialist.role


@pytest.mark.parametrize("key", ["nope", "x" * 40, "bad\x00key", "ünïcode", "'; drop table x; --"])
def test_unknown_or_malformed_keys_are_401(specialist, key):
    issue_token(user=specialist)
    assert _get(key) == 401


def test_an_inactive_user_and_a_deleted_token_are_refused_at_once(specialist):
    key = issue_token(user=specialist)
    assert _get(key) == 200
    specialist.is_active = False
    specialist.save(update_fields=["is_active"])
    assert _get(key) == 401
    specialist.is_active = True
    specialist.save(update_fields=["is_active"])
    assert _get(key) == 200
    Token.objects.filter(key=key).delete()
    assert _get(key) == 401
