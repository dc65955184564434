"""Quizzes: set by trainers, taken by readers, and required by an assignment when it says so."""

from __future__ import annotations

import pytest

from kb.lib.errors import InvalidInput, NotAllowed, NotFound
from kb.training import selectors, services
from kb.training.models import QuizAttempt

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"text": "What do you check first?", "choices": ["Identity", "Payout", "Nothing"], "correct": 0},
    {"text": "Who approves a reset?", "choices": ["Anyone", "A lead"], "correct": 1},
]


def test_assignment_requiring_the_quiz_is_done_only_after_passing(trainer, specialist, make_article, today):
    article = make_article()
    services.set_quiz(actor=trainer, article_id=article.pk, questions=QUESTIONS, pass_mark=100)
    services.create_assignment(actor=trainer, article=article.pk, user="sam", due=today, requires_quiz=True)
    services.acknowledge_article(user=specialist, article_id=article.pk, version=1)
    [item] = selectors.my_reading(specialist)
    assert item.state == "todo" and item.quiz_pending

    failed = services.attempt_quiz(user=specialist, article_id=article.pk, answers=[0, 0])
    assert (failed.score, failed.passed) == (50, False)
    assert selectors.my_reading(specialist)[0].state == "todo"

    passed = services.attempt_quiz(user=specialist, article_id=article.pk, answers=[0, 1])
    assert (passed.score, passed.passed) == (100, True)
    [item] = selectors.my_reading(specialist)
    assert item.state == "done" and not item.quiz_pending
    assert QuizAttempt.objects.filter(user=specialist).count() == 2


def test_quiz_rules(trainer, specialist, outsider, make_article, today):
    article = make_article()
    restricted = make_article("SG only", teams=["SG Creator Support"])
    with pytest.raises(NotAllowed):
        services.set_quiz(actor=specialist, article_id=article.pk, questions=QUESTIONS)
    for bad in (
        [],
        [{"text": "Q", "choices": ["only one"], "correct": 0}],
        [{"text": "Q", "choices": ["a", "b"], "correct": 2}],
    ):
        with pytest.raises(InvalidInput):
            services.set_quiz(actor=trainer, article_id=article.pk, questions=bad)
    with pytest.raises(InvalidInput):  # no quiz yet
        services.create_assignment(
            actor=trainer, article=article.pk, user="sam", due=today, requires_quiz=True
        )
    services.set_quiz(actor=trainer, article_id=restricted.pk, questions=QUESTIONS)
    with pytest.raises(NotFound):
        services.attempt_quiz(user=outsider, article_id=restricted.pk, answers=[0, 1])
    with pytest.raises(InvalidInput):
        services.attempt_quiz(user=specialist, article_id=restricted.pk, answers=[0])


def test_quiz_api_hides_answers_from_readers(api, trainer, specialist, make_article):
    article = make_article()
    put = api(trainer).put(
        f"/api/v1/articles/{article.pk}/quiz/", {"pass_mark": 50, "questions": QUESTIONS}, format="json"
    )
    assert put.status_code == 200 and put.json()["questions"][1]["correct"] == 1
    got = api(specialist).get(f"/api/v1/articles/{article.pk}/quiz/").json()
    assert "correct" not in got["questions"][0] and got["pass_mark"] == 50
    assert (
        api(specialist)
        .put(f"/api/v1/articles/{article.pk}/quiz/", {"questions": QUESTIONS}, format="json")
        .status_code
        == 403
    )
    attempt = api(specialist).post(
        f"/api/v1/articles/{article.pk}/quiz/attempts/", {"answers": [0, 0]}, format="json"
    )
    assert attempt.status_code == 201 and attempt.json() == {"score": 50, "passed": True, "pass_mark": 50}


def test_quiz_page(web, trainer, specialist, make_article):
    article = make_article()
    services.set_quiz(actor=trainer, article_id=article.pk, questions=QUESTIONS, pass_mark=100)
    client = web(specialist)
    assert "Take the quiz" in client.get(article.get_absolute_url()).content.decode()
    html = client.get(f"/training/quiz/{article.pk}/").content.decode()
    assert "Who approves a reset?" in html and 'name="q2"' in html
    assert client.post(f"/training/quiz/{article.pk}/", {"q1": "0"}).status_code == 400
    html = client.post(f"/training/quiz/{article.pk}/", {"q1": "0", "q2": "0"}).content.decode()
    assert "Not passed yet" in html and "50%" in html
    html = client.post(f"/training/quiz/{article.pk}/", {"q1": "0", "q2": "1"}).content.decode()
    assert "Passed" in html and "100%" in html
