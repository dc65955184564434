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


# --- names: no bidi controls, not invisible-only ----------------------------------------------------

RLO = "\u202e"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"title": f"Refund{RLO}gpj.exe"}, "title", id="title"),
        pytest.param({"title": "\u200b\u200b"}, "title", id="invisible-title"),
        pytest.param({"title": "T", "tags": ["ok", f"a{RLO}b"]}, "tags", id="tag"),
        pytest.param({"title": "T", "tags": ["\u200b"]}, "tags", id="invisible-tag"),
    ],
)
def test_api_article_names_refuse_bidi_and_invisible_text(api, lead, category_tree, payload, field):
    data = {"kind": "sop", "body": "x", "categories": ["ACCOUNT"], "change_note": "n", **payload}
    response = api(lead).post("/api/v1/articles/", data, format="json")
    assert response.status_code == 400, response.content[:300]
    assert list(response.json()) == [field]


@pytest.mark.parametrize("name", [f"Pay{RLO}outs", "\u2066\u2069", "\u200b"])
def test_api_category_name_refuses_bidi_and_invisible_text(api, lead, name):
    response = api(lead).post("/api/v1/categories/", {"code": "NEWCAT", "name": name}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["name"]


def test_api_reading_list_title_refuses_bidi_controls(api, trainer):
    response = api(trainer).post("/api/v1/reading-lists/", {"title": f"Week 1{RLO}"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["title"]


def test_web_editor_title_with_a_bidi_control_is_a_form_error(web, lead, category_tree):
    response = web(lead).post(
        "/articles/new/",
        {
            "title": f"Refund{RLO}policy",
            "kind": "sop",
            "body": "x",
            "categories": ["ACCOUNT"],
            "change_note": "n",
            "review_interval_days": 90,
        },
    )
    assert response.status_code == 400
    assert "bidirectional control character (U+202E)" in response.content.decode()


def test_web_form_text_with_a_control_character_is_a_form_error(web, lead, category_tree):
    response = web(lead).post(
        "/articles/new/",
        {
            "title": "Fine",
            "kind": "sop",
            "body": "x",
            "summary": "ring\x07",
            "categories": ["ACCOUNT"],
            "change_note": "n",
            "review_interval_days": 90,
        },
    )
    assert response.status_code == 400
    assert "control character (U+0007)" in response.content.decode()


# --- sizes: every input is bounded before it is processed ------------------------------------------


def test_an_api_body_over_one_mebibyte_is_413_json(api, lead):
    raw = '{"title": "%s"}' % ("x" * (1024 * 1024 + 1))
    response = _send(api(lead), "post", "/api/v1/articles/", raw)
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]


def test_a_page_form_over_one_mebibyte_is_413(web, lead):
    response = web(lead).post("/articles/preview/", {"body": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413


def test_the_editor_refuses_a_body_over_the_limit_as_a_form_error(web, lead, category_tree, settings):
    response = web(lead).post(
        "/articles/new/",
        {
            "title": "Long",
            "kind": "sop",
            "body": "x" * (settings.KB_MARKDOWN_MAX_CHARS + 1),
            "categories": ["ACCOUNT"],
            "change_note": "n",
            "review_interval_days": 90,
        },
    )
    assert response.status_code == 400
    assert "at most 200000 characters (it has 200001)" in response.content.decode()


def test_a_quiz_with_thousands_of_questions_is_refused_before_any_question_is_checked(
    api, trainer, make_article
):
    article = make_article()
    question = {"text": "Q", "choices": ["a", "b"], "correct": 0}
    response = api(trainer).put(
        f"/api/v1/articles/{article.id}/quiz/", {"questions": [question] * 5_000}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["questions"]
    assert "no more than 20 elements" in str(response.json()["questions"])


def test_a_quiz_question_with_a_huge_choice_list_is_refused_by_its_size(api, trainer, make_article):
    article = make_article()
    question = {"text": "Q", "choices": ["a"] * 10_000, "correct": 0}
    response = api(trainer).put(
        f"/api/v1/articles/{article.id}/quiz/", {"questions": [question]}, format="json"
    )
    assert response.status_code == 400
    assert "no more than 6 elements" in str(response.json()["questions"])
