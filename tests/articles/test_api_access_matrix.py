"""The API access matrix (STYLE §8): surface × persona × article state → expected status.

One table-driven test. The expectations come from three small tables that restate CONTRACT §3/§7:
who can read an article in each state at all, which versions a reader may open, and what each
workflow action answers to an editor in each state. A cell that cannot be read is 404 whatever the
action; a readable cell is 403 for anyone who is not a lead or admin; anonymous is always 401.
Every write is run inside a rolled-back savepoint so each cell starts from the same state.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from kb.articles import services
from kb.articles.models import Article

pytestmark = pytest.mark.django_db

PERSONAS = ["specialist", "lead", "trainer", "admin_user", "outsider", "anonymous"]
STATES = ["draft", "published", "newer_draft", "archived", "restricted", "old_version"]

# Which version the "version n" surface opens, and the diff range, per state.
TARGET_VERSION = {
    "draft": 1,
    "published": 1,
    "newer_draft": 2,  # the unpublished draft
    "archived": 1,
    "restricted": 1,
    "old_version": 1,  # published once, superseded by the published v2
}

# Can a reader (specialist; outsider except where team-restricted) see the article at all?
READER_SEES = {
    "draft": False,
    "published": True,
    "newer_draft": True,
    "archived": False,
    "restricted": True,
    "old_version": True,
}
# Can a reader open TARGET_VERSION and diff 1 → latest? (only versions that were published)
READER_SEES_TARGET = {**READER_SEES, "newer_draft": False}
READER_SEES_DIFF = {**READER_SEES, "newer_draft": False}

# What a lead/admin gets from each write, per state (409: the state does not allow it).
EDITOR_ACTION = {
    #             draft published newer_draft archived restricted old_version
    "patch": dict(zip(STATES, [200, 200, 200, 409, 200, 200], strict=True)),
    "submit": dict(zip(STATES, [200, 409, 200, 409, 409, 409], strict=True)),
    "approve": dict(zip(STATES, [409, 409, 409, 409, 409, 409], strict=True)),
    "publish": dict(zip(STATES, [200, 409, 200, 409, 409, 409], strict=True)),
    "revert": dict(zip(STATES, [409, 409, 200, 409, 409, 200], strict=True)),
    "archive": dict(zip(STATES, [200, 200, 200, 409, 200, 200], strict=True)),
    "restore": dict(zip(STATES, [409, 409, 409, 200, 409, 409], strict=True)),
    "reviewed": dict(zip(STATES, [200, 200, 200, 200, 200, 200], strict=True)),
}
READ_SURFACES = ["detail", "versions", "version_n", "diff", "list_membership"]


def build_state(state: str, lead, make_article) -> Article:
    if state == "draft":
        return make_article(title="Draft only", published=False)
    if state == "restricted":
        return make_article(title="Team only", teams=["SG Creator Support"])
    article = make_article(title="Version one")
    if state == "archived":
        return services.archive_article(actor=lead, article=article)
    if state in ("newer_draft", "old_version"):
        article = services.update_article(
            actor=lead, article=article, base_version=1, change_note="v2", title="Version two"
        )
    if state == "old_version":
        article = services.publish_article(actor=lead, article=article, material=False)
    return article


def can_read(persona: str, state: str, table: dict[str, bool]) -> bool:
    if persona in ("lead", "trainer", "admin_user"):  # see drafts; all are SG Creator Support members
        return True
    if persona == "outsider" and state == "restricted":
        return False
    return table[state]


def expected(surface: str, persona: str, state: str) -> int | bool:
    if surface == "list_membership":
        return persona != "anonymous" and can_read(persona, state, READER_SEES)
    if persona == "anonymous":
        return 401
    if surface in READ_SURFACES:
        table = {"version_n": READER_SEES_TARGET, "diff": READER_SEES_DIFF}.get(surface, READER_SEES)
        return 200 if can_read(persona, state, table) else 404
    if not can_read(persona, state, READER_SEES):
        return 404
    if persona not in ("lead", "admin_user"):
        return 403
    return EDITOR_ACTION[surface][state]


def call(client, surface: str, article: Article) -> int | bool:
    base = f"/api/v1/articles/{article.pk}/"
    if surface == "list_membership":
        res = client.get("/api/v1/articles/?page_size=100")
        return res.status_code == 200 and article.pk in {r["id"] for r in res.json()["results"]}
    if surface == "detail":
        return client.get(base).status_code
    if surface == "versions":
        return client.get(base + "versions/").status_code
    if surface == "version_n":
        return client.get(base + f"versions/{TARGET_VERSION_OF[article.pk]}/").status_code
    if surface == "diff":
        return client.get(base + f"diff/?from=1&to={article.version}").status_code
    if surface == "patch":
        payload = {"base_version": article.version, "change_note": "matrix", "title": "Changed by matrix"}
        return client.patch(base, payload, format="json").status_code
    payloads = {"publish": {"material": False}, "revert": {"version": 1}}
    return client.post(base + f"{surface}/", payloads.get(surface, {}), format="json").status_code


TARGET_VERSION_OF: dict[int, int] = {}


@pytest.mark.parametrize("state", STATES)
def test_api_access_matrix(state, request, api, lead, outsider, make_article):
    article = build_state(state, lead, make_article)
    TARGET_VERSION_OF[article.pk] = TARGET_VERSION[state]
    before = (article.version, article.status, article.history.count())
    surfaces = [*READ_SURFACES, *EDITOR_ACTION]
    mismatches = []
    cells = 0
    for persona in PERSONAS:
        user = None if persona == "anonymous" else request.getfixturevalue(persona)
        client = api(user)
        for surface in surfaces:
            with transaction.atomic():
                got = call(client, surface, Article.objects.get(pk=article.pk))
                transaction.set_rollback(True)
            want = expected(surface, persona, state)
            cells += 1
            if got != want:
                mismatches.append(f"{surface} × {persona} × {state}: expected {want}, got {got}")
    assert cells == len(PERSONAS) * len(surfaces)
    assert mismatches == []
    # the rolled-back writes really left the article as it was
    fresh = Article.objects.get(pk=article.pk)
    assert (fresh.version, fresh.status, fresh.history.count()) == before
