"""The visibility rule and every fast path agree for every role × team membership × article state.

The expectation is written here from CONTRACT §3, not read from the code: an article restricted to
teams exists only for members of one of them (admins included only if members); readers see an
article once a version was published and while it is not archived; leads, trainers and admins also
see drafts and archived articles; search, suggestions and published-content checks show published,
non-archived articles only. The whole product is enumerated, no sampling: 4 roles × 4 memberships ×
8 article states, against each surface.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from accounts.models import Role, User
from kb.articles import access, services
from kb.articles.models import Article
from kb.search.outbox import rebuild_index
from kb.search.selectors import readable_hits, search_articles
from tests.conftest import api_client_for, make_user

pytestmark = pytest.mark.django_db

A, B = "SG Creator Support", "Jakarta Live Safety"
ROLES = (Role.SPECIALIST, Role.LEAD, Role.TRAINER, Role.ADMIN)
MEMBERSHIPS: tuple[tuple[str, ...], ...] = ((), (A,), (B,), (A, B))
WORD = "zebracrossing"  # in every article, so one search can find them all
CATEGORY = "ACCOUNT.LOGIN.2FA"


@dataclass(frozen=True)
class State:
    name: str
    teams: tuple[str, ...] = ()
    published_once: bool = True
    archived: bool = False
    published_versions: tuple[int, ...] = (1,)


STATES = (
    State("draft never published", published_once=False, published_versions=()),
    State("in review", published_once=False, published_versions=()),
    State("published"),
    State("published with a newer draft"),
    State("archived", archived=True),
    State("restricted to A", teams=(A,)),
    State("restricted to B", teams=(B,)),
    State("restricted to A and B", teams=(A, B)),
)


def sees(role: str, teams: tuple[str, ...], state: State, *, published_only: bool = False) -> bool:
    """The rule, from the contract."""
    if state.teams and not set(state.teams) & set(teams):
        return False
    if role != Role.SPECIALIST and not published_only:
        return True
    return state.published_once and not state.archived


@pytest.fixture
def world(category_tree) -> tuple[dict[str, Article], dict[tuple[str, tuple[str, ...]], User]]:
    author = make_user("author", Role.ADMIN, (A, B))
    articles: dict[str, Article] = {}
    for state in STATES:
        article = services.create_article(
            actor=author,
            title=f"{state.name.capitalize()} {WORD}",
            summary=f"{WORD} case",
            body=f"# {state.name}\n\nStep one with {WORD}.\n",
            categories=[CATEGORY],
            teams=list(state.teams),
            change_note="first",
        )
        if state.name == "in review":
            article = services.submit_article(actor=author, article=article)
        elif state.published_once:
            article = services.publish_article(actor=author, article=article, material=False)
            if state.name == "published with a newer draft":
                article = services.update_article(
                    actor=author, article=article, base_version=1, change_note="draft", body=f"v2 {WORD}"
                )
            if state.archived:
                article = services.archive_article(actor=author, article=article)
        articles[state.name] = Article.objects.get(pk=article.pk)
    users = {
        (role, teams): make_user(f"{role[:4]}-{i}", role, teams)
        for role in ROLES
        for i, teams in enumerate(MEMBERSHIPS)
    }
    return articles, users


def product(world):
    articles, users = world
    for (role, teams), state in itertools.product(users, STATES):
        yield role, teams, users[(role, teams)], state, articles[state.name]


def test_the_rule_is_the_contract_for_every_role_team_and_state(world):
    wrong = []
    for role, teams, user, state, article in product(world):
        got = access.visible_articles(user).filter(pk=article.pk).exists()
        got_pub = access.readable_published_articles(user).filter(pk=article.pk).exists()
        if (got, got_pub) != (sees(role, teams, state), sees(role, teams, state, published_only=True)):
            wrong.append((role, teams, state.name, got, got_pub))
    assert wrong == []


def test_single_article_lookups_agree_with_the_rule(world):
    from django.http import Http404

    wrong = []
    for role, teams, user, state, article in product(world):
        expected = sees(role, teams, state)
        for lookup in ({"pk": article.pk}, {"slug": article.slug}):
            try:
                found = access.get_visible_article_or_404(user, **lookup).pk == article.pk
            except Http404:
                found = False
            if found != expected:
                wrong.append(("get_visible_article_or_404", role, teams, state.name, lookup))
        if access.visible_article(user, pk=article.pk).exists() != expected:
            wrong.append(("visible_article", role, teams, state.name))
    assert wrong == []


def test_is_readable_published_agrees_with_the_rule_on_both_paths(world):
    from django.http import Http404

    wrong = []
    for role, teams, user, state, article in product(world):
        expected = sees(role, teams, state, published_only=True)
        fresh = Article.objects.get(pk=article.pk)  # not looked up for this user: the database path
        if access.is_readable_published(user, fresh) != expected:
            wrong.append(("database path", role, teams, state.name))
        try:
            looked_up = access.get_visible_article_or_404(user, pk=article.pk)  # the fast path
        except Http404:
            continue
        if access.is_readable_published(user, looked_up) != expected:
            wrong.append(("fast path", role, teams, state.name))
    assert wrong == []


def test_version_numbers_agree_with_the_rule(world):
    wrong = []
    for role, _teams, user, state, article in product(world):
        for version in range(1, article.version + 1):
            expected = role != Role.SPECIALIST or version in state.published_versions
            if access.can_read_version(user, article, version) != expected:
                wrong.append((role, state.name, version))
        allowed = access.visible_version_numbers(user, article)
        if (allowed is None) != (role != Role.SPECIALIST):
            wrong.append((role, state.name, "None means all, for those who see drafts"))
    assert wrong == []


def test_search_hydration_and_search_results_agree_with_the_rule(world):
    articles, users = world
    rebuild_index()
    ids = [a.pk for a in articles.values()]
    wrong = []
    for (role, teams), user in users.items():
        expected = {
            a.pk for name, a in articles.items() if sees(role, teams, _state(name), published_only=True)
        }
        if set(readable_hits(user, ids)) != expected:
            wrong.append(("hydration", role, teams))
        result = search_articles(user, WORD, limit=50, log=False)
        if {a.pk for a, _score, _snippet in result.hits} != expected or result.count != len(expected):
            wrong.append(("search", role, teams, sorted(a.pk for a, _s, _n in result.hits), sorted(expected)))
    assert wrong == []


def test_the_api_list_and_suggestions_agree_with_the_rule(world):
    articles, users = world
    wrong = []
    for (role, teams), user in users.items():
        client = api_client_for(user)
        visible = {a.pk for name, a in articles.items() if sees(role, teams, _state(name))}
        readable = {
            a.pk for name, a in articles.items() if sees(role, teams, _state(name), published_only=True)
        }
        listed = client.get("/api/v1/articles/", {"page_size": 100}).json()
        if {r["id"] for r in listed["results"]} != visible or listed["count"] != len(visible):
            wrong.append(("list", role, teams))
        for article in articles.values():
            status = client.get(f"/api/v1/articles/{article.pk}/").status_code
            if (status == 200) != (article.pk in visible) or status not in (200, 404):
                wrong.append(("detail", role, teams, article.title, status))
        suggested = client.get("/api/v1/suggest/", {"category": CATEGORY, "text": WORD, "limit": 20}).json()
        if {r["id"] for r in suggested["results"]} != readable:
            wrong.append(("suggest", role, teams))
    assert wrong == []


def _state(name: str) -> State:
    return next(s for s in STATES if s.name == name)
