"""Every role × every surface × every article state: nothing hidden ever shows (issue 6, CONTRACT §3).

Each article carries a marker word in its title. For each persona we know which markers it may see:
published content for readers; drafts and archived articles for leads, trainers and admins; and a
team-restricted article only for members of its team, admins included. Every surface (pages, htmx
fragments, the API, search, suggestions, metrics, training, tickets, flags, the admin and exports) is
then asked, and any marker that should be hidden but shows is an unexpected success.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from accounts.models import Role
from kb.articles import services
from kb.search.outbox import drain
from kb.tickets import services as ticket_services
from kb.training import services as training_services
from tests.conftest import api_client_for, make_user

TEAM = "SG Creator Support"
COMMON = "zebracorn"
MARKERS = ("qpublished", "qdraftonly", "qpendingtwo", "qarchived", "qrestricted", "qoldone")


@dataclass
class World:
    articles: dict[str, object]
    personas: dict[str, object]
    reading_list_id: int
    assignment_id: int


def _article(lead, marker: str, *, teams=None, publish=True):
    article = services.create_article(
        actor=lead,
        title=f"Handle {marker} cases",
        summary=f"{COMMON} summary {marker}",
        body=f"# Steps\n\n{COMMON} {marker} procedure.\n",
        categories=["ACCOUNT.LOGIN.2FA"],
        tags=[marker],
        teams=teams,
        change_note="first",
    )
    if publish:
        article = services.publish_article(actor=lead, article=article, material=False)
    return article


@pytest.fixture
def world(db, lead, category_tree) -> World:
    personas = {
        "specialist": make_user("spec", Role.SPECIALIST, (TEAM,)),
        "outsider": make_user("outs", Role.SPECIALIST, ("Jakarta Live Safety",)),
        "lead": lead,
        "outside_lead": make_user("olead", Role.LEAD, ("Jakarta Live Safety",)),
        "trainer": make_user("trai", Role.TRAINER, (TEAM,)),
        "outside_trainer": make_user("otrai", Role.TRAINER, ("Jakarta Live Safety",)),
        "admin": make_user("adm", Role.ADMIN, (TEAM,)),
        "outside_admin": make_user("oadm", Role.ADMIN, ("Jakarta Live Safety",)),
    }
    arts = {
        "qpublished": _article(lead, "qpublished"),
        "qdraftonly": _article(lead, "qdraftonly", publish=False),
        "qrestricted": _article(lead, "qrestricted", teams=[TEAM]),
    }
    old = _article(lead, "qoldone")
    arts["qoldone"] = services.update_article(
        actor=lead,
        article=old,
        base_version=1,
        change_note="draft",
        title="Handle qpendingtwo cases",
        body=f"{COMMON} qpendingtwo procedure",
    )
    archived = _article(lead, "qarchived")
    arts["qarchived"] = services.archive_article(actor=lead, article=archived)

    # Activity that metrics, tickets and flags can show.
    spec = personas["specialist"]
    ticket_services.upsert_ticket(
        external_id="T-1", category="ACCOUNT.LOGIN.2FA", subject="2fa", status="closed"
    )
    for key in ("qpublished", "qrestricted", "qoldone"):
        ticket_services.record_resolution(actor=spec, ticket="T-1", article=arts[key].pk, outcome="resolved")
        ticket_services.raise_flag(actor=spec, article=arts[key].pk, reason="unclear", comment=f"flag {key}")
    reading = training_services.create_reading_list(
        actor=personas["trainer"],
        title="Week 1",
        description="",
        articles=[arts["qpublished"].pk, arts["qrestricted"].pk],
    )
    assignment = training_services.create_assignment(
        actor=personas["trainer"],
        reading_list=reading.pk,
        team=TEAM,
        due="2099-01-01",
        note="",
    )
    drain()
    return World(arts, personas, reading.pk, assignment.pk)


def readable_markers(persona: str) -> set[str]:
    """Markers a persona may see as *published content* (search, suggestions, metrics, training)."""
    out = {"qpublished", "qoldone"}
    if not persona.startswith("outside") and persona != "outsider":
        out.add("qrestricted")
    return out


def visible_markers(persona: str) -> set[str]:
    """Markers a persona may see anywhere (drafts and archived for leads, trainers and admins)."""
    out = readable_markers(persona)
    if persona not in ("specialist", "outsider"):
        out |= {"qdraftonly", "qarchived", "qpendingtwo"}
    return out


def _leaks(text: str, allowed: set[str]) -> set[str]:
    low = text.lower()
    return {m for m in MARKERS if m in low and m not in allowed}


PERSONAS = [
    "specialist",
    "outsider",
    "lead",
    "outside_lead",
    "trainer",
    "outside_trainer",
    "admin",
    "outside_admin",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_surface_shows_what_the_persona_may_not_see(world, persona, client):
    user = world.personas[persona]
    client.force_login(user)
    api = api_client_for(user)
    readable = readable_markers(persona)
    visible = visible_markers(persona)
    problems: list[str] = []

    def check(label: str, text: str, allowed: set[str]) -> None:
        leaked = _leaks(text, allowed)
        if leaked:
            problems.append(f"{label}: shows {sorted(leaked)}")

    # Article pages, per state: a hidden article is a 404, never a 403 or a 200.
    for marker, article in world.articles.items():
        may_open = marker in visible or (marker == "qoldone")
        if marker == "qrestricted" and marker not in readable:
            may_open = False
        for path in (
            f"/articles/{article.slug}/",
            f"/articles/{article.slug}/history/",
            f"/articles/{article.slug}/v/1/",
            f"/api/v1/articles/{article.pk}/",
            f"/api/v1/articles/{article.pk}/versions/",
        ):
            response = api.get(path) if path.startswith("/api/") else client.get(path)
            expected = 200 if may_open else 404
            if response.status_code != expected:
                problems.append(f"{path}: {response.status_code}, expected {expected}")
            elif response.status_code == 200:
                check(path, response.content.decode(), visible)
    # The unpublished second version of qoldone: only those who see drafts.
    old = world.articles["qoldone"]
    for path in (
        f"/articles/{old.slug}/v/2/",
        f"/articles/{old.slug}/diff/?from=1&to=2",
        f"/api/v1/articles/{old.pk}/versions/2/",
        f"/api/v1/articles/{old.pk}/diff/?from=1&to=2",
        f"/api/v1/articles/{old.pk}/?version=2",
    ):
        response = api.get(path) if path.startswith("/api/") else client.get(path)
        sees_drafts = "qpendingtwo" in visible
        if path.endswith("?version=2") and not sees_drafts:
            ok = response.status_code == 404 or (
                response.status_code == 200 and "qpendingtwo" not in response.content.decode().lower()
            )
        else:
            ok = response.status_code == (200 if sees_drafts else 404)
        if not ok:
            problems.append(f"{path}: {response.status_code} for {persona}")

    # Lists, categories, search (page, as-you-type fragment, API), suggestions.
    for path in ("/articles/", "/categories/ACCOUNT.LOGIN.2FA/", "/", "/categories/"):
        check(path, client.get(path).content.decode(), visible)
    check("/api/v1/articles/", api.get("/api/v1/articles/?page_size=100").content.decode(), visible)
    count = api.get("/api/v1/categories/ACCOUNT.LOGIN.2FA/").json()["article_count"]
    expected_count = len(visible & {"qpublished", "qdraftonly", "qrestricted", "qoldone", "qarchived"})
    if count != expected_count:
        problems.append(f"category article_count {count}, expected {expected_count}")
    check("search page", client.get(f"/search/?q={COMMON}").content.decode(), readable)
    check(
        "search fragment",
        client.get(f"/search/?q={COMMON}", HTTP_HX_REQUEST="true").content.decode(),
        readable,
    )
    check(
        "header suggestions",
        client.get(f"/search/suggest/?q={COMMON}", HTTP_HX_REQUEST="true").content.decode(),
        readable,
    )
    for q in (COMMON, "qrestricted", "qdraftonly", "qarchived", "qpendingtwo", "qpublishd"):
        payload = api.get(f"/api/v1/search/?q={q}").json()
        payload.pop("query", None)  # the caller's own words are echoed back
        check(f"search api q={q}", json.dumps(payload, ensure_ascii=False), readable)
    check(
        "suggest api",
        api.get(f"/api/v1/suggest/?category=ACCOUNT.LOGIN.2FA&text={COMMON}").content.decode(),
        readable,
    )
    check(
        "suggest panel",
        client.get(f"/panel/suggest/?category=ACCOUNT.LOGIN.2FA&text={COMMON}").content.decode(),
        readable,
    )

    # Tickets and flags.
    check("ticket page", client.get("/tickets/T-1/").content.decode(), readable)
    check("ticket api", api.get("/api/v1/tickets/T-1/").content.decode(), readable)
    check("flags api", api.get("/api/v1/flags/?state=open").content.decode(), visible)
    check("flags page", client.get("/flags/").content.decode(), visible)

    # Metrics (pages and API) and the daily report page.
    for path in (
        "/api/v1/metrics/articles/",
        "/api/v1/metrics/categories/",
        "/api/v1/metrics/review-queue/",
        "/api/v1/metrics/summary/",
        "/api/v1/metrics/participation/",
    ):
        response = api.get(path)
        if response.status_code == 200:
            check(path, response.content.decode(), readable | (visible if "review" in path else set()))
        elif persona in ("lead", "outside_lead", "admin", "outside_admin") or (
            persona.endswith("trainer") and "participation" not in path
        ):
            problems.append(f"{path}: {response.status_code} for {persona}")
    for path in (
        "/metrics/",
        "/metrics/articles/",
        "/metrics/categories/",
        "/metrics/review-queue/",
        "/metrics/report/",
    ):
        response = client.get(path)
        if response.status_code == 200:
            check(path, response.content.decode(), readable | (visible if "review" in path else set()))

    # Training: reading list, progress, my reading, the grid and its CSV export.
    response = api.get(f"/api/v1/reading-lists/{world.reading_list_id}/")
    if response.status_code == 200:
        ids = set(response.json()["articles"])
        if world.articles["qrestricted"].pk in ids and "qrestricted" not in readable:
            problems.append("reading list shows the restricted article id")
    check("my reading api", api.get("/api/v1/me/reading/").content.decode(), readable)
    check("my reading page", client.get("/me/reading/").content.decode(), readable)
    progress = api.get(f"/api/v1/assignments/{world.assignment_id}/progress/")
    if progress.status_code == 200:
        for person in progress.json()["people"]:
            for item in person["items"]:
                if item["article"] == world.articles["qrestricted"].pk and "qrestricted" not in readable:
                    problems.append("assignment progress shows the restricted article")
    grid = client.get(f"/training/grid/?reading_list={world.reading_list_id}")
    if grid.status_code == 200:
        check("training grid", grid.content.decode(), readable)
        export = client.get(f"/training/grid/?reading_list={world.reading_list_id}&format=csv")
        if export.status_code == 200:
            rows = list(csv.reader(io.StringIO(export.content.decode())))
            check("training grid csv", " ".join(" ".join(r) for r in rows), readable)

    # The Django admin (admins only) lists and opens only what the admin may see.
    response = client.get("/admin/articles/article/")
    if response.status_code == 200:
        check("admin changelist", response.content.decode(), visible)
        restricted = world.articles["qrestricted"]
        change = client.get(f"/admin/articles/article/{restricted.pk}/change/")
        if (
            "qrestricted" not in visible
            and change.status_code == 200
            and "qrestricted" in change.content.decode()
        ):
            problems.append("admin change page opens the restricted article")
    elif persona in ("admin", "outside_admin"):
        problems.append(f"admin changelist {response.status_code} for {persona}")

    assert not problems, "\n".join(problems)


def test_export_command_writes_every_article_for_the_operator(world, tmp_path):
    """kb_export is an operator's backup: it holds every article, restricted ones with their teams."""
    call_command("kb_export", str(tmp_path))
    exported = {p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")}
    joined = "\n".join(exported).lower()
    assert all(marker in joined for marker in ("qpublished", "qrestricted", "qarchived"))
    assert TEAM.lower() in joined
