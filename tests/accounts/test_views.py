"""Login and logout pages: labelled form, errors that keep the username, POST-only sign-out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_login_page_has_labelled_fields_and_sign_in_button(client):
    html = client.get("/login/").content.decode()
    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert ">Sign in</button>" in html
    assert 'autocomplete="current-password"' in html


def test_wrong_password_shows_error_and_keeps_username(client, specialist):
    response = client.post("/login/", {"username": "sam", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and 'value="sam"' in html
    assert "_auth_user_id" not in client.session


def test_login_then_home_shows_role_badge_and_logout_form(client, lead):
    response = client.post("/login/", {"username": "lee", "password": "correct-horse-42"})
    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    assert '<span class="badge badge--role">Lead</span>' in html
    assert 'action="/logout/"' in html and 'method="post"' in html


def test_signed_in_user_visiting_login_goes_home(client, specialist):
    client.force_login(specialist)
    assert client.get("/login/")["Location"] == "/"


def test_logout_needs_post_get_shows_confirmation(client, specialist):
    client.force_login(specialist)
    page = client.get("/logout/")
    assert page.status_code == 200 and "_auth_user_id" in client.session
    assert "Sign out" in page.content.decode()
    response = client.post("/logout/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert client.delete("/logout/").status_code == 405


def test_login_page_escapes_next(client):
    html = client.get('/login/?next=/articles/"><script>x</script>').content.decode()
    assert "<script>x</script>" not in html
