"""A crash answers in the caller's language: JSON under /api/, a friendly HTML page elsewhere."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.services import issue_token
from kb.articles import selectors
from kb.lib import api as lib_api


def _boom(*args, **kwargs):
    raise RuntimeError("simulated bug with a secret detail")


@pytest.mark.django_db
def test_an_api_request_that_crashes_answers_json_500(lead, monkeypatch):
    monkeypatch.setattr(lib_api.Pagination, "paginate_queryset", _boom)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=lead)}")
    response = client.get("/api/v1/articles/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Server error."}


@pytest.mark.django_db
def test_a_page_that_crashes_answers_the_friendly_html_500(lead, monkeypatch):
    monkeypatch.setattr(selectors, "list_articles", _boom)
    client = Client(raise_request_exception=False)
    client.force_login(lead)
    response = client.get("/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "secret detail" not in html and "Traceback" not in html


@pytest.mark.django_db
def test_an_unknown_api_url_answers_json_404(lead):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=lead)}")
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_an_unknown_page_keeps_the_html_404(lead):
    client = Client()
    client.force_login(lead)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
