"""The Django admin in the access matrix (issue 12, CONTRACT §3): admin URL × persona × article state.

An admin who is a member of the restricted team and one who is not ask every admin page about
articles in six states. Each cell expects a status and content: a page about a hidden article is a
404 (like a missing one), a list never shows a hidden article's marker, and a page about a visible
article shows it. Leads and specialists never get past the admin login.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from accounts.models import AuditEvent, Role, User
from kb.articles import services
from kb.articles.models import Article, HistoricalArticle, Tag
from kb.tickets import services as ticket_services
from kb.training import services as training_services
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TEAM = "SG Creator Support"
OTHER = "Jakarta Live Safety"
# state → marker; no marker is a substring of another.
STATES = {
    "published": "zqpub",
    "draft": "zqdraft",
    "archived": "zqarch",
    "restricted": "zqrpub",
    "restricted_draft": "zqrdraft",
    "restricted_archived": "zqrarch",
}


@dataclass
class Cell:
    article: Article
    history_id: int
    tag_id: int
    audit_id: int  # the article's visibility_change event
    resolution_id: int | None  # also a flag and a feedback, for published states
    flag_id: int | None
    feedback_id: int | None


@dataclass
class World:
    cells: dict[str, Cell]
    personas: dict[str, User]
    assignment_audit_id: int  # training_assign event naming the restricted article's title


def _make(lead: User, state: str, marker: str) -> Article:
    restricted = state.startswith("restricted")
    article = services.create_article(
        actor=lead,
        title=f"Handle {marker} cases",
        summary="",
        body=f"# Steps\n\nThe {marker}body procedure.\n",
        categories=["ACCOUNT.LOGIN.2FA"],
        tags=[f"{marker}tag"],
        teams=None if restricted else [TEAM],
        change_note="first",
    )
    # One audit event per article: who may see it changed (through the service that records it).
    article = services.set_article_teams(actor=lead, article=article, teams=[TEAM] if restricted else [])
    if not state.endswith("draft"):
        article = services.publish_article(actor=lead, article=article, material=False)
    if state.endswith("archived"):
        article = services.archive_article(actor=lead, article=article)
    return article


@pytest.fixture
def world(db, lead, category_tree) -> World:
    personas = {
        "member_admin": make_user("adm", Role.ADMIN, (TEAM,)),
        "outside_admin": make_user("oadm", Role.ADMIN, (OTHER,)),
        "lead": lead,
        "specialist": make_user("spec", Role.SPECIALIST, (TEAM,)),
    }
    trainer = make_user("trai", Role.TRAINER, (TEAM,))
    ticket_services.upsert_ticket(
        external_id="T-1", category="ACCOUNT.LOGIN.2FA", subject="2fa", status="closed"
    )
    article_type = ContentType.objects.get_for_model(Article)
    cells = {}
    for state, marker in STATES.items():
        article = _make(lead, state, marker)
        resolution_id = flag_id = feedback_id = None
        if state in ("published", "restricted"):
            reader = personas["specialist"]
            flag_id = ticket_services.raise_flag(actor=reader, article=article.pk, reason="unclear").pk
            feedback, *_ = ticket_services.give_feedback(actor=reader, article=article.pk, helpful=False)
            feedback_id = feedback.pk
            resolution, _ = ticket_services.record_resolution(
                actor=personas["specialist"], ticket="T-1", article=article.pk, outcome="resolved"
            )
            resolution_id = resolution.pk
        for who in ("member_admin", "outside_admin"):
            # What "Recent actions" lists: each admin's own log (e.g. from before they left a team).
            LogEntry.objects.create(
                user=personas[who],
                content_type=article_type,
                object_id=str(article.pk),
                object_repr=article.title,
                action_flag=CHANGE,
                change_message="",
            )
        cells[state] = Cell(
            article=article,
            history_id=HistoricalArticle.objects.get(id=article.pk, version=1).history_id,
            tag_id=Tag.objects.get(name=f"{marker}tag").pk,
            audit_id=AuditEvent.objects.get(event="visibility_change", target=f"article:{article.pk}").pk,
            resolution_id=resolution_id,
            flag_id=flag_id,
            feedback_id=feedback_id,
        )
    assignment = training_services.create_assignment(
        actor=trainer, article=cells["restricted"].article.pk, user="spec", due="2099-01-01", note=""
    )
    assignment_audit = AuditEvent.objects.get(event="training_assign", target=f"assignment:{assignment.pk}")
    assert "zqrpub" in assignment_audit.detail  # the event names the title: the page must be scoped
    return World(cells, personas, assignment_audit.pk)


def sees(persona: str, state: str) -> bool:
    """CONTRACT §3: admins see drafts and archived articles; a restricted one only as team members."""
    return persona == "member_admin" or not state.startswith("restricted")


# kind → (url for a cell, status when the article is visible, status when hidden, what a visible
# page must show: the marker, the body marker, the audit target or nothing). Lists answer 200 both
# ways; pages about one object answer 404 when it is hidden, whatever the admin could do with it.
A = "/admin/articles/article"
SURFACES: dict[str, tuple[Any, int, int, str]] = {
    "changelist": (lambda w, c: f"{A}/?q=cases", 200, 200, "marker"),
    "change": (lambda w, c: f"{A}/{c.article.pk}/change/", 200, 404, "body"),
    "history": (lambda w, c: f"{A}/{c.article.pk}/history/", 200, 404, "marker"),
    "history_record": (lambda w, c: f"{A}/{c.article.pk}/history/{c.history_id}/", 200, 404, "body"),
    "delete": (lambda w, c: f"{A}/{c.article.pk}/delete/", 403, 404, ""),
    "view_on_site": (
        lambda w, c: f"/admin/r/{ContentType.objects.get_for_model(Article).pk}/{c.article.pk}/",
        302,
        404,
        "location",
    ),
    "tag_changelist": (lambda w, c: "/admin/articles/tag/", 200, 200, "marker"),
    "tag_change": (lambda w, c: f"/admin/articles/tag/{c.tag_id}/change/", 200, 404, "marker"),
    "tag_delete": (lambda w, c: f"/admin/articles/tag/{c.tag_id}/delete/", 403, 404, ""),
    "audit_changelist": (lambda w, c: "/admin/accounts/auditevent/", 200, 200, "target"),
    "audit_change": (lambda w, c: f"/admin/accounts/auditevent/{c.audit_id}/change/", 200, 404, "target"),
    "index": (lambda w, c: "/admin/", 200, 200, "marker"),
    "publication_changelist": (lambda w, c: "/admin/articles/publication/", 200, 200, ""),
    "resolution_changelist": (lambda w, c: "/admin/tickets/resolution/", 200, 200, ""),
    "resolution_change": (
        lambda w, c: f"/admin/tickets/resolution/{c.resolution_id}/change/",
        200,
        404,
        "marker",
    ),
    "flag_changelist": (lambda w, c: "/admin/tickets/flag/", 200, 200, ""),
    "flag_change": (lambda w, c: f"/admin/tickets/flag/{c.flag_id}/change/", 200, 404, "marker"),
    "feedback_changelist": (lambda w, c: "/admin/tickets/feedback/?q=", 200, 200, ""),
    "feedback_change": (lambda w, c: f"/admin/tickets/feedback/{c.feedback_id}/change/", 200, 404, "marker"),
    # Django's autocomplete answers for any foreign key to a model with search fields, whether or
    # not a form uses it: it must search the narrowed queryset.
    "article_autocomplete": (
        lambda w, c: (
            "/admin/autocomplete/?app_label=tickets&model_name=resolution&field_name=article&term=cases"
        ),
        200,
        200,
        "marker",
    ),
    "tag_autocomplete": (
        lambda w, c: "/admin/autocomplete/?app_label=articles&model_name=article&field_name=tags&term=zq",
        200,
        200,
        "marker",
    ),
}


def _expected_text(kind: str, cell: Cell, marker: str) -> list[str]:
    if kind == "body":
        return [marker, f"{marker}body"]
    if kind == "location":
        return [f"/articles/{cell.article.slug}/"]
    if kind == "target":
        return [f">article:{cell.article.pk}<"]
    return [marker] if kind == "marker" else []


def _hidden_texts(cell: Cell, marker: str) -> list[str]:
    return [marker, f">article:{cell.article.pk}<", f"/articles/{cell.article.slug}/"]


@pytest.mark.parametrize("persona", ["member_admin", "outside_admin"])
def test_admin_pages_answer_and_show_what_the_persona_may_see(world, client, persona):
    client.force_login(world.personas[persona])
    problems = []
    for surface, (build, visible_status, hidden_status, shows) in SURFACES.items():
        for state, marker in STATES.items():
            cell = world.cells[state]
            if surface in ("resolution_change", "flag_change", "feedback_change") and cell.flag_id is None:
                continue
            visible = sees(persona, state)
            response = client.get(build(world, cell))
            expected = visible_status if visible else hidden_status
            where = f"{surface} × {state}"
            if response.status_code != expected:
                problems.append(f"{where}: {response.status_code}, expected {expected}")
                continue
            page = response.content.decode() + response.get("Location", "")
            if visible:
                missing = [t for t in _expected_text(shows, cell, marker) if t not in page]
                if missing:
                    problems.append(f"{where}: visible article missing {missing}")
            else:
                leaked = [t for t in _hidden_texts(cell, marker) if t in page]
                if leaked:
                    problems.append(f"{where}: hidden article shows {leaked}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("persona", ["member_admin", "outside_admin"])
def test_audit_event_naming_a_restricted_title_is_scoped(world, client, persona):
    client.force_login(world.personas[persona])
    response = client.get(f"/admin/accounts/auditevent/{world.assignment_audit_id}/change/")
    if persona == "member_admin":
        assert response.status_code == 200 and "zqrpub" in response.content.decode()
    else:
        assert response.status_code == 404 and "zqrpub" not in response.content.decode()
    listing = client.get("/admin/accounts/auditevent/?q=&event__exact=training_assign")
    assert listing.status_code == 200
    assert ("assignment:" in listing.content.decode()) == (persona == "member_admin")


@pytest.mark.parametrize("persona", ["lead", "specialist"])
def test_non_admins_get_the_admin_login_never_content(world, client, persona):
    client.force_login(world.personas[persona])
    for surface, (build, *_) in SURFACES.items():
        for state, marker in STATES.items():
            if surface in ("resolution_change", "flag_change", "feedback_change") and state not in (
                "published",
                "restricted",
            ):
                continue
            response = client.get(build(world, world.cells[state]))
            assert response.status_code == 302, (surface, state, response.status_code)
            assert response["Location"].startswith("/admin/login/"), (surface, state)
            assert marker not in response.content.decode()


def test_history_record_of_a_hidden_article_is_404_under_a_visible_one(world, client):
    client.force_login(world.personas["outside_admin"])
    visible = world.cells["published"].article
    hidden_record = world.cells["restricted"].history_id
    response = client.get(f"{A}/{visible.pk}/history/{hidden_record}/")
    assert response.status_code == 404
    assert "zqrpub" not in response.content.decode()
