"""Security headers, the login `next=` rule, body size limit and proxy-aware client addresses."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from kb.lib.net import client_ip


@pytest.mark.django_db
def test_pages_send_strict_csp_and_deny_framing(client):
    response = client.get("/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/%0d%0aSet-Cookie:x=1",
        "  //evil.example",
        "/\t/evil.example",
    ],
)
def test_login_next_never_leaves_the_site(client, specialist, target):
    response = client.post("/login/", {"username": "sam", "password": "correct-horse-42", "next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location
    assert "evil.example" not in location.split("?")[0] or location.startswith("/%")


@pytest.mark.django_db
def test_login_next_follows_a_local_path(client, specialist):
    response = client.post(
        "/login/", {"username": "sam", "password": "correct-horse-42", "next": "/categories/"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/categories/"


@pytest.mark.django_db
def test_oversized_api_body_is_413(api, lead):
    response = api(lead).generic(
        "POST", "/api/v1/categories/", "x" * (1024 * 1024 + 10), content_type="application/json"
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("count", "forwarded", "remote", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.1", "10.0.0.1"),
        (1, "6.6.6.6, 1.1.1.1", "10.0.0.1", "1.1.1.1"),
        (2, "6.6.6.6, 1.1.1.1, 10.0.0.9", "10.0.0.1", "1.1.1.1"),
        (1, "", "10.0.0.1", "10.0.0.1"),
    ],
)
def test_client_ip_takes_the_entry_written_by_our_own_proxy(count, forwarded, remote, expected):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    with override_settings(PROXY_COUNT=count):
        assert client_ip(request) == expected
