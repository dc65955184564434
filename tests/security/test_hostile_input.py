"""Hostile input over HTTP (issue 12 §3): refused with a clear 4xx naming the field, never a 500.

Outcomes only, never time: a hostile body is either rendered or refused with a message.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

HOSTILE_BODIES = {
    "headings": "# a\n" * 5_000,
    "setext": "a\n=\n" * 10_000,
    "brackets": "[" * 50_000,
    "deep-quotes": ">" * 5_000 + " x",
    "definition-recursion": "a\n: b\n" * 3_000,
}


def _article_payload(body: str) -> dict:
    return {
        "title": "Hostile body",
        "kind": "sop",
        "body": body,
        "categories": ["ACCOUNT"],
        "change_note": "try it",
    }


@pytest.mark.parametrize("shape", HOSTILE_BODIES)
def test_api_refuses_a_hostile_body_with_400_naming_the_body(api, lead, category_tree, shape):
    response = api(lead).post("/api/v1/articles/", _article_payload(HOSTILE_BODIES[shape]), format="json")
    assert response.status_code == 400, response.content[:300]
    assert list(response.json()) == ["body"]
    assert response.json()["body"][0].startswith("The body")


@pytest.mark.parametrize("shape", HOSTILE_BODIES)
def test_editor_preview_shows_the_refusal_for_a_hostile_body(web, lead, shape):
    response = web(lead).post("/articles/preview/", {"body": HOSTILE_BODIES[shape]})
    assert response.status_code == 200
    assert "The body" in response.content.decode()


def test_web_editor_keeps_the_form_and_names_the_body(web, lead, category_tree):
    response = web(lead).post(
        "/articles/new/",
        {
            "title": "Hostile body",
            "kind": "sop",
            "body": HOSTILE_BODIES["headings"],
            "categories": ["ACCOUNT"],
            "change_note": "try it",
            "review_interval_days": 90,
        },
    )
    assert response.status_code == 400
    assert "5,000 headings" in response.content.decode()
    assert 'name="title"' in response.content.decode()


# --- JSON that no field check would see: nesting, lone surrogates, NUL and control characters -------

WRITE_ENDPOINTS = [
    pytest.param("post", "/api/v1/articles/", "title", id="article-create"),
    pytest.param("post", "/api/v1/categories/", "name", id="category-create"),
    pytest.param("put", "/api/v1/tickets/T-1/", "subject", id="ticket-upsert"),
    pytest.param("post", "/api/v1/synonyms/", "terms", id="synonym-create"),
    pytest.param("post", "/api/v1/reading-lists/", "title", id="reading-list-create"),
    pytest.param("post", "/api/v1/resolutions/", "ticket", id="resolution-create"),
    pytest.param("post", "/api/v1/assignments/", "note", id="assignment-create"),
]


def _send(client, method: str, url: str, raw: str):
    return getattr(client, method)(url, data=raw.encode("utf-8"), content_type="application/json")


@pytest.mark.parametrize(("method", "url", "field"), WRITE_ENDPOINTS)
def test_deeply_nested_json_is_400_naming_the_field(api, admin_user, category_tree, method, url, field):
    raw = f'{{"{field}": {"[" * 100_000}1{"]" * 100_000}}}'
    response = _send(api(admin_user), method, url, raw)
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()
    assert "nested" in response.json()[field][0].lower()


@pytest.mark.parametrize(("method", "url", "field"), WRITE_ENDPOINTS)
@pytest.mark.parametrize(
    ("escape", "says"),
    [
        pytest.param("\\ud800", "surrogate", id="lone-surrogate"),
        pytest.param("\\u0000", "NUL", id="nul"),
        pytest.param("\\u0007", "control character", id="bell"),
        pytest.param("\\u001b", "control character", id="escape"),
    ],
)
def test_a_bad_character_in_any_field_is_400_naming_it(
    api, admin_user, category_tree, method, url, field, escape, says
):
    raw = f'{{"{field}": "a{escape}b"}}'
    response = _send(api(admin_user), method, url, raw)
    assert response.status_code == 400, response.content[:300]
    assert says in response.json()[field][0]


def test_a_bad_character_inside_a_list_names_the_top_field(api, lead, category_tree):
    raw = '{"title": "T", "kind": "sop", "body": "x", "change_note": "n", "tags": ["ok", "bad\\ud800"]}'
    response = _send(api(lead), "post", "/api/v1/articles/", raw)
    assert response.status_code == 400
    assert "surrogate" in response.json()["tags"][0]


def test_a_bad_character_in_a_key_is_400(api, lead):
    response = _send(api(lead), "post", "/api/v1/articles/", '{"ti\\u0000tle": "T"}')
    assert response.status_code == 400
    assert "NUL" in str(response.json())


def test_a_nested_top_level_array_is_400_non_field(api, lead):
    response = _send(api(lead), "post", "/api/v1/articles/", "[" * 50_000 + "]" * 50_000)
    assert response.status_code == 400
    assert "nested" in response.json()["non_field_errors"][0].lower()


def test_tabs_and_newlines_stay_allowed_in_a_body(api, lead, category_tree):
    raw = (
        '{"title": "Tabs", "kind": "sop", "body": "Step\\tone\\r\\n\\tindented\\n", '
        '"categories": ["ACCOUNT"], "change_note": "n"}'
    )
    response = _send(api(lead), "post", "/api/v1/articles/", raw)
    assert response.status_code == 201, response.content[:300]
    assert "\tindented" in response.json()["body"]
