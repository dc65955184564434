"""A database outage answers 503 with Retry-After (pages and API), never a 500."""

from __future__ import annotations

import pytest
from django.db import OperationalError


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/articles/", "/api/v1/articles/"])
def test_database_error_is_503_with_retry_after(web, api, specialist, monkeypatch, path):
    from kb.articles import selectors

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "list_articles", down)
    monkeypatch.setattr("kb.articles.views.selectors.list_articles", down, raising=False)
    monkeypatch.setattr("kb.articles.api.views.visible_articles", down, raising=False)
    client = api(specialist) if path.startswith("/api/") else web(specialist)
    response = client.get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert b"Traceback" not in response.content
