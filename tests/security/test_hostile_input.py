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
