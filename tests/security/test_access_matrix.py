"""The HTML access matrix (STYLE §8, CONTRACT §3): surface × persona × article state → what must come back.

Like the API matrix (tests/articles/test_api_access_matrix.py), every cell has an explicit expectation
built from a few small tables: the status, the markers that must be on the page and the markers that
must not. A 500, an unexpected 403 or 404, or a page that answers 200 without the content it owes,
fails as surely as a leak does.

Each article state has a code word in its title and one per version in its body (``<code>one``,
``<code>two``), so a cell can tell which version a page shows. Personas: a specialist and an outsider
(a specialist of another team), a lead, a trainer, an admin who is a member of the restricting team
and one who is not. Pages: the article page (also asked as htmx), one version, history, diff, the edit
page, the category page, the article list and its htmx fragment, the search page and its fragment,
the header suggestions, the suggestion panel, the training grids (by reading list and by team) and
their CSV exports; then the activity pages (ticket, flags, My reading, metrics).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from accounts.models import Role
from kb.articles import services
from kb.search.outbox import drain
from kb.tickets import services as ticket_services
from kb.training import services as training_services
from kb.training.selectors import training_today
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TEAM = "SG Creator Support"
OTHER_TEAM = "Jakarta Live Safety"
COMMON = "zebracorn"
CATEGORY = "ACCOUNT.LOGIN.2FA"

PERSONAS = ["specialist", "outsider", "lead", "trainer", "admin_member", "admin_outside"]
STATES = ["published", "draft", "newer_draft", "archived", "restricted", "old_version"]
CODE = {
    "published": "kpubx",
    "draft": "kdrafx",
    "newer_draft": "knewx",
    "archived": "karcx",
    "restricted": "kresx",
    "old_version": "koldx",
}
ALL_MARKERS = {f"{c}{v}" for c in CODE.values() for v in ("one", "two")} | set(CODE.values())

# --- the tables -----------------------------------------------------------------------------------

SEES_DRAFTS = {"lead", "trainer", "admin_member", "admin_outside"}
EDITORS = {"lead", "admin_member", "admin_outside"}
TRAINERS = {"trainer", "admin_member", "admin_outside"}
NOT_IN_TEAM = {"outsider", "admin_outside"}

# The latest version of each state, and the version readers see (None: never published or archived).
LATEST = {"published": 1, "draft": 1, "newer_draft": 2, "archived": 1, "restricted": 1, "old_version": 2}
PUBLISHED = {
    "published": 1,
    "draft": None,
    "newer_draft": 1,
    "archived": None,
    "restricted": 1,
    "old_version": 2,
}
# The version the article page shows to those who may open it: the published one, else the latest draft.
SHOWN = {"published": 1, "draft": 1, "newer_draft": 1, "archived": 1, "restricted": 1, "old_version": 2}
# Versions that were ever published (readers may open these, and only these).
WAS_PUBLISHED = {
    "published": {1},
    "draft": set(),
    "newer_draft": {1},
    "archived": {1},
    "restricted": {1},
    "old_version": {1, 2},
}


def may_open(persona: str, state: str) -> bool:
    """Whether the article exists at all for the persona (CONTRACT §3)."""
    if state == "restricted" and persona in NOT_IN_TEAM:
        return False
    if state in ("draft", "archived"):
        return persona in SEES_DRAFTS
    return True


def reads_published(persona: str, state: str) -> bool:
    """Whether the persona gets the article as published content (search, suggestions, training)."""
    return may_open(persona, state) and PUBLISHED[state] is not None


def readable_versions(persona: str, state: str) -> set[int]:
    if not may_open(persona, state):
        return set()
    if persona in SEES_DRAFTS:
        return set(range(1, LATEST[state] + 1))
    return WAS_PUBLISHED[state]


def body(state: str, version: int) -> str:
    return f"{CODE[state]}{'one' if version == 1 else 'two'}"


@dataclass
class Expect:
    status: int
    present: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)


def not_shown(state: str, shown: set[int]) -> set[str]:
    return {body(state, v) for v in (1, 2) if v not in shown}


def article_page(persona: str, state: str) -> Expect:
    if not may_open(persona, state):
        return Expect(404, absent={CODE[state], body(state, 1), body(state, 2)})
    shown = SHOWN[state]
    return Expect(200, {CODE[state], body(state, shown)}, not_shown(state, {shown}))


def version_page(persona: str, state: str) -> Expect:
    """``/v/<latest>/``: the newest version, which readers may open only if it was published."""
    version = LATEST[state]
    if version not in readable_versions(persona, state):
        return Expect(404, absent={body(state, 1), body(state, 2)})
    return Expect(200, {CODE[state], body(state, version)}, not_shown(state, {version}))


def history_page(persona: str, state: str, slug: str) -> Expect:
    if not may_open(persona, state):
        return Expect(404, absent={CODE[state]})
    versions = readable_versions(persona, state)
    links = {f'href="/articles/{slug}/v/{v}/"' for v in versions}
    hidden = {f'href="/articles/{slug}/v/{v}/"' for v in range(1, LATEST[state] + 1)} - links
    return Expect(200, {"Version history", *links}, hidden)


def diff_page(persona: str, state: str) -> Expect:
    """``/diff/?from=1&to=<latest>``: both versions must be readable."""
    versions = readable_versions(persona, state)
    if not {1, LATEST[state]} <= versions:
        return Expect(404, absent={body(state, 1), body(state, 2)})
    present = {f"Version {LATEST[state]}"}
    if LATEST[state] > 1:  # the change itself; a version compared with itself shows no words
        present |= {body(state, 1), body(state, 2)}
    return Expect(200, present)


def edit_page(persona: str, state: str) -> Expect:
    if not may_open(persona, state):
        return Expect(404, absent={CODE[state]})
    if persona not in EDITORS:
        return Expect(403, absent={body(state, 1), body(state, 2)})
    # the editor continues from the latest version, draft or not
    return Expect(200, {CODE[state], body(state, LATEST[state])})


def membership(present_when: bool, state: str, *, published_content: bool) -> Expect:
    """A list page: the article's title is there exactly when the persona may have it."""
    if not present_when:
        return Expect(200, absent={CODE[state], body(state, 1), body(state, 2)})
    absent = set()
    if published_content:  # search and suggestions show the published version, never a newer draft
        absent = not_shown(state, {PUBLISHED[state]} if PUBLISHED[state] else set())
    return Expect(200, {CODE[state]}, absent)


def training_page(persona: str, state: str) -> Expect:
    if persona not in TRAINERS:
        return Expect(403, absent={CODE[state]})
    return membership(reads_published(persona, state), state, published_content=True)


# --- the world ------------------------------------------------------------------------------------


def build_state(lead, state: str):
    code = CODE[state]
    article = services.create_article(
        actor=lead,
        title=f"Handle {code} cases",
        summary=f"{COMMON} summary",
        body=f"# Steps\n\n{COMMON} {body(state, 1)} procedure.\n",
        categories=[CATEGORY],
        tags=["matrix"],
        teams=[TEAM] if state == "restricted" else None,
        change_note="first",
    )
    if state == "draft":
        return article
    article = services.publish_article(actor=lead, article=article, material=False)
    if state == "archived":
        return services.archive_article(actor=lead, article=article)
    if state in ("newer_draft", "old_version"):
        article = services.update_article(
            actor=lead,
            article=article,
            base_version=1,
            change_note="second",
            body=f"# Steps\n\n{COMMON} {body(state, 2)} procedure.\n",
        )
    if state == "old_version":
        article = services.publish_article(actor=lead, article=article, material=False)
    return article


@pytest.fixture
def world(lead, category_tree):
    personas = {
        "specialist": make_user("spec", Role.SPECIALIST, (TEAM,)),
        "outsider": make_user("outs", Role.SPECIALIST, (OTHER_TEAM,)),
        "lead": lead,
        "trainer": make_user("trai", Role.TRAINER, (TEAM,)),
        "admin_member": make_user("adm", Role.ADMIN, (TEAM,)),
        "admin_outside": make_user("oadm", Role.ADMIN, (OTHER_TEAM,)),
    }
    articles = {state: build_state(lead, state) for state in STATES}
    reading = training_services.create_reading_list(
        actor=personas["trainer"],
        title="Matrix list",
        articles=[articles[s].pk for s in STATES if s not in ("draft", "archived")],
    )
    training_services.create_assignment(
        actor=personas["trainer"], reading_list=reading.pk, team=TEAM, due=training_today()
    )
    drain()
    return personas, articles, reading.pk


def surfaces(state: str, article, reading_list: int):
    """(label, path, htmx?, expectation(persona)) for every surface asked about one article state."""
    slug = article.slug
    latest = LATEST[state]
    # Queries never name the state's code word: pages echo the query, which would be no leak.
    q = COMMON
    return [
        ("article page", f"/articles/{slug}/", False, lambda p: article_page(p, state)),
        ("article page (htmx)", f"/articles/{slug}/", True, lambda p: article_page(p, state)),
        ("latest version", f"/articles/{slug}/v/{latest}/", False, lambda p: version_page(p, state)),
        ("history", f"/articles/{slug}/history/", False, lambda p: history_page(p, state, slug)),
        ("diff", f"/articles/{slug}/diff/?from=1&to={latest}", False, lambda p: diff_page(p, state)),
        ("edit page", f"/articles/{slug}/edit/", False, lambda p: edit_page(p, state)),
        (
            "category page",
            f"/categories/{CATEGORY}/",
            False,
            lambda p: membership(may_open(p, state), state, published_content=False),
        ),
        (
            "article list",
            "/articles/?q=handle",
            False,
            lambda p: membership(may_open(p, state), state, published_content=False),
        ),
        (
            "article list (htmx)",
            "/articles/?q=handle",
            True,
            lambda p: membership(may_open(p, state), state, published_content=False),
        ),
        (
            "search page",
            f"/search/?q={q}",
            False,
            lambda p: membership(reads_published(p, state), state, published_content=True),
        ),
        (
            "search (htmx)",
            f"/search/?q={q}",
            True,
            lambda p: membership(reads_published(p, state), state, published_content=True),
        ),
        (
            "header suggestions",
            "/search/suggest/?q=handle",
            True,
            lambda p: membership(reads_published(p, state), state, published_content=True),
        ),
        (
            "suggestion panel",
            f"/panel/suggest/?category={CATEGORY}&text={q}",
            False,
            lambda p: membership(reads_published(p, state), state, published_content=True),
        ),
        (
            "training grid",
            f"/training/grid/?reading_list={reading_list}",
            False,
            lambda p: training_page(p, state),
        ),
        ("team grid", "/training/grid/?team=SG+Creator+Support", False, lambda p: training_page(p, state)),
        (
            "team grid csv",
            "/training/grid/?team=SG+Creator+Support&format=csv",
            False,
            lambda p: training_page(p, state),
        ),
        (
            "training grid csv",
            f"/training/grid/?reading_list={reading_list}&format=csv",
            False,
            lambda p: training_page(p, state),
        ),
    ]


# Pages about activity (tickets, flags, metrics, reading): who gets the page, and which articles must be
# on it. The specialist resolved a ticket with, and flagged, every article they can read.
ACTIVITY = ("published", "newer_draft", "restricted", "old_version")
METRICS_READERS = {"lead", "trainer", "admin_member", "admin_outside"}
ACTIVITY_PAGES = {
    # path: (who gets 200 (the rest 403), who must see the articles, checked for presence or leaks only)
    "/tickets/T-1/": (set(PERSONAS), set(PERSONAS), True),
    "/flags/": (set(PERSONAS), EDITORS, True),
    "/me/reading/": (set(PERSONAS), set(PERSONAS) - NOT_IN_TEAM, True),  # assigned to the team
    "/metrics/": (METRICS_READERS, METRICS_READERS, True),
    "/metrics/articles/": (METRICS_READERS, METRICS_READERS, True),
    "/metrics/categories/": (METRICS_READERS, METRICS_READERS, False),
    "/metrics/review-queue/": (METRICS_READERS, METRICS_READERS, False),
    "/metrics/report/": (METRICS_READERS, METRICS_READERS, False),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_activity_pages_show_exactly_the_readable_articles(persona, world, client):
    personas, articles, _ = world
    spec = personas["specialist"]
    ticket_services.upsert_ticket(external_id="T-1", category=CATEGORY, subject="2fa", status="closed")
    for state in ACTIVITY:
        ticket_services.record_resolution(
            actor=spec, ticket="T-1", article=articles[state].pk, outcome="resolved"
        )
        ticket_services.raise_flag(actor=spec, article=articles[state].pk, reason="unclear", comment="matrix")
    client.force_login(personas[persona])
    mismatches = []
    for path, (allowed, shown_to, check_presence) in ACTIVITY_PAGES.items():
        response = client.get(path)
        want = 200 if persona in allowed else 403
        if response.status_code != want:
            mismatches.append(f"{path} × {persona}: status {response.status_code}, expected {want}")
            continue
        low = response.content.decode().lower()
        for state, code in CODE.items():
            readable = reads_published(persona, state) and state in ACTIVITY
            if code in low and not may_open(persona, state):
                mismatches.append(f"{path} × {persona}: shows the hidden {state} article")
            elif code in low and state not in ACTIVITY:
                mismatches.append(f"{path} × {persona}: shows {state}, which has no activity")
            elif check_presence and readable and persona in shown_to and code not in low:
                mismatches.append(f"{path} × {persona}: missing the {state} article")
    assert mismatches == [], "\n".join(mismatches)


@pytest.mark.parametrize("state", STATES)
def test_html_access_matrix(state, world, client):
    personas, articles, reading_list = world
    article = articles[state]
    mismatches: list[str] = []
    cells = 0
    for persona in PERSONAS:
        client.force_login(personas[persona])
        for label, path, htmx, expect_for in surfaces(state, article, reading_list):
            want = expect_for(persona)
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            response = client.get(path, **headers)
            text = response.content.decode(errors="replace")
            low = text.lower()
            cells += 1
            where = f"{label} × {persona} × {state} ({path})"
            if response.status_code != want.status:
                mismatches.append(f"{where}: status {response.status_code}, expected {want.status}")
                continue
            missing = sorted(m for m in want.present if m.lower() not in low)
            if missing:
                mismatches.append(f"{where}: missing {missing}")
            shown = sorted(m for m in want.absent if m.lower() in low)
            if shown:
                mismatches.append(f"{where}: shows {shown}")
            # No page, whatever its cell, shows a marker of another state the persona may not open.
            for other, code in CODE.items():
                if other != state and not may_open(persona, other) and code in low:
                    mismatches.append(f"{where}: shows {code} of the hidden {other} article")
    assert cells == len(PERSONAS) * len(surfaces(state, article, reading_list))
    assert mismatches == [], "\n".join(mismatches)


def test_the_tables_cover_every_persona_and_state():
    """The expectations distinguish what they must: a table that said 200 everywhere would be useless."""
    statuses = {
        (persona, state, fn.__name__): fn(persona, state).status
        for persona in PERSONAS
        for state in STATES
        for fn in (article_page, version_page, diff_page, edit_page)
    }
    assert statuses[("outsider", "restricted", "article_page")] == 404
    assert statuses[("admin_outside", "restricted", "article_page")] == 404
    assert statuses[("admin_member", "restricted", "article_page")] == 200
    assert statuses[("specialist", "draft", "article_page")] == 404
    assert statuses[("trainer", "draft", "article_page")] == 200
    assert statuses[("specialist", "newer_draft", "version_page")] == 404
    assert statuses[("lead", "newer_draft", "version_page")] == 200
    assert statuses[("specialist", "old_version", "diff_page")] == 200
    assert statuses[("trainer", "published", "edit_page")] == 403
    assert {s for s in statuses.values()} == {200, 403, 404}


def test_export_command_writes_every_article_for_the_operator(world, tmp_path):
    """kb_export is an operator's backup: it holds every article, restricted ones with their teams."""
    from django.core.management import call_command

    call_command("kb_export", str(tmp_path))
    joined = "\n".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")).lower()
    assert all(code in joined for code in CODE.values())
    assert TEAM.lower() in joined
