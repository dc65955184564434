"""A team membership change is seen on the very next request: no per-user copy of team ids goes
stale (issue 12). The change is made the way an admin makes it, through the admin's user form."""

from __future__ import annotations

import pytest

from accounts.models import Role, Team
from kb.search.outbox import drain

pytestmark = pytest.mark.django_db

TEAM = "SG Creator Support"


@pytest.fixture
def restricted(make_article):
    article = make_article("Nightingale escalation roster", body="Call the nightingale desk.", teams=[TEAM])
    drain()
    return article


def _remove_from_every_team(web, admin_user, user) -> None:
    response = web(admin_user).post(
        f"/admin/accounts/user/{user.pk}/change/",
        {"username": user.username, "is_active": "on", "role": Role.SPECIALIST},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _found(client, path: str, **params) -> bool:
    response = client.get(path, params)
    assert response.status_code == 200
    return "Nightingale escalation roster" in response.content.decode()


def test_a_removed_member_gets_404_and_no_search_hit_on_the_next_request(
    web, api, admin_user, specialist, restricted
):
    reader = web(specialist)
    assert reader.get(f"/articles/{restricted.slug}/").status_code == 200
    assert _found(reader, "/search/", q="nightingale")
    token_client = api(specialist)
    assert token_client.get(f"/api/v1/articles/{restricted.pk}/").status_code == 200
    hits = token_client.get("/api/v1/search/", {"q": "nightingale"}).json()
    assert [r["id"] for r in hits["results"]] == [restricted.pk]

    _remove_from_every_team(web, admin_user, specialist)

    reader = web(specialist)
    assert reader.get(f"/articles/{restricted.slug}/").status_code == 404
    assert not _found(reader, "/search/", q="nightingale")
    assert token_client.get(f"/api/v1/articles/{restricted.pk}/").status_code == 404
    hits = token_client.get("/api/v1/search/", {"q": "nightingale"}).json()
    assert (hits["count"], hits["results"]) == (0, [])


def test_a_new_member_sees_the_article_on_the_next_request(web, api, admin_user, outsider, restricted):
    token_client = api(outsider)
    assert token_client.get(f"/api/v1/articles/{restricted.pk}/").status_code == 404
    team_ids = [t.pk for t in outsider.teams.all()]
    team_ids.append(Team.objects.get(name=TEAM).pk)
    response = web(admin_user).post(
        f"/admin/accounts/user/{outsider.pk}/change/",
        {"username": outsider.username, "is_active": "on", "role": Role.SPECIALIST, "teams": team_ids},
    )
    assert response.status_code == 302
    assert token_client.get(f"/api/v1/articles/{restricted.pk}/").status_code == 200
    hits = token_client.get("/api/v1/search/", {"q": "nightingale"}).json()
    assert [r["id"] for r in hits["results"]] == [restricted.pk]
