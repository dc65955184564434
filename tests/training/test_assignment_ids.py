"""An assignment id the caller may not read answers exactly like one that does not exist (404)."""

from __future__ import annotations

import pytest

from kb.training import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignments(trainer, outsider, make_article, today):
    article = make_article()
    hidden = make_article("Team only", teams=["SG Creator Support"])
    return {
        "team": services.create_assignment(
            actor=trainer, article=article.pk, team="SG Creator Support", due=today
        ),
        "someone_else": services.create_assignment(actor=trainer, article=article.pk, user="tia", due=today),
        "hidden_article": services.create_assignment(
            actor=trainer, article=hidden.pk, team="Jakarta Live Safety", due=today
        ),
    }


def test_an_assignment_that_does_not_cover_you_is_404_like_a_missing_one(
    api, specialist, outsider, assignments
):
    missing = max(a.pk for a in assignments.values()) + 1000
    for user, pk in (
        (specialist, assignments["someone_else"].pk),
        (outsider, assignments["team"].pk),
        (outsider, assignments["hidden_article"].pk),  # covers the outsider's team, but its article is hidden
        (specialist, missing),
    ):
        client = api(user)
        assert client.get(f"/api/v1/assignments/{pk}/progress/").status_code == 404, (user.username, pk)
        assert client.get(f"/api/v1/assignments/{pk}/").status_code == 404, (user.username, pk)
        assert client.delete(f"/api/v1/assignments/{pk}/").status_code == 404, (user.username, pk)


def test_a_readable_assignment_you_may_not_change_is_403(api, specialist, assignments):
    client = api(specialist)
    pk = assignments["team"].pk
    assert client.get(f"/api/v1/assignments/{pk}/progress/").status_code == 200
    assert client.get(f"/api/v1/assignments/{pk}/progress/?user=tia").status_code == 403
    assert client.delete(f"/api/v1/assignments/{pk}/").status_code == 403
