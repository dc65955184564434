"""Role and team membership changes through accounts.services: each one is audited with its actor,
and a team list can be emptied (issue 12)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import AuditEvent, Role, Team, User
from accounts.services import issue_token, set_user_teams, upsert_user

pytestmark = pytest.mark.django_db


def _teams(user: User) -> list[str]:
    return sorted(User.objects.get(pk=user.pk).teams.values_list("name", flat=True))


def _team_events(username: str) -> list[tuple[str, str]]:
    rows = AuditEvent.objects.filter(event="team_change", target=username).order_by("pk")
    return [(e.actor, e.detail) for e in rows]


@pytest.mark.parametrize(
    ("before", "after", "detail"),
    [
        (["Alpha"], ["Alpha", "Beta"], "added: Beta"),
        (["Alpha", "Beta"], ["Beta"], "removed: Alpha"),
        (["Alpha"], [], "removed: Alpha"),
        (["Alpha"], ["Gamma", "Beta"], "added: Beta, Gamma; removed: Alpha"),
        (["Alpha", "Beta"], ["Beta", "Alpha"], None),
    ],
)
def test_a_team_change_is_one_audit_event_naming_what_was_added_and_removed(
    admin_user, before, after, detail
):
    user, _ = upsert_user(username="kim", role=Role.SPECIALIST, teams=before, actor=admin_user)
    already = _team_events("kim")
    upsert_user(username="kim", role=Role.SPECIALIST, teams=after, actor=admin_user)
    assert _teams(user) == sorted(after)
    new = _team_events("kim")[len(already) :]
    assert new == ([] if detail is None else [("ada", detail)])


def test_an_empty_team_list_clears_every_team(admin_user, specialist):
    set_user_teams(user=specialist, teams=[], actor=admin_user)
    assert _teams(specialist) == []
    assert _team_events("sam")[-1] == ("ada", "removed: SG Creator Support")


def test_no_team_list_leaves_the_teams_as_they_are(specialist):
    before = len(_team_events("sam"))
    upsert_user(username="sam", role=Role.LEAD)
    assert _teams(specialist) == ["SG Creator Support"]
    assert len(_team_events("sam")) == before


@pytest.mark.parametrize(
    ("actor_of", "expected"),
    [
        (lambda admin: admin, "ada"),
        (lambda admin: None, "system"),
        (lambda admin: "adduser", "adduser"),
    ],
)
def test_a_role_change_names_its_actor(admin_user, specialist, actor_of, expected):
    upsert_user(username="sam", role=Role.TRAINER, actor=actor_of(admin_user))
    event = AuditEvent.objects.get(event="role_change", target="sam")
    assert (event.actor, event.detail) == (expected, "specialist -> trainer")


def test_an_unchanged_role_records_no_role_change(specialist, admin_user):
    upsert_user(username="sam", role=Role.SPECIALIST, teams=["SG Creator Support"], actor=admin_user)
    assert not AuditEvent.objects.filter(event="role_change").exists()
    assert len(_team_events("sam")) == 1  # the fixture's own "added" only


def test_a_new_user_is_audited_with_role_and_teams(admin_user):
    upsert_user(username="kim", role=Role.LEAD, teams=["Alpha"], actor=admin_user)
    created = AuditEvent.objects.get(event="user_create", target="kim")
    assert (created.actor, created.detail) == ("ada", "role lead")
    assert _team_events("kim") == [("ada", "added: Alpha")]


def test_adduser_is_the_actor_of_its_role_and_team_changes(specialist, capsys):
    call_command("adduser", "sam", "--role", "lead", "--team", "Jakarta Live Safety")
    role = AuditEvent.objects.get(event="role_change", target="sam")
    assert (role.actor, role.detail) == ("adduser", "specialist -> lead")
    assert _team_events("sam")[-1] == (
        "adduser",
        "added: Jakarta Live Safety; removed: SG Creator Support",
    )


def test_adduser_without_team_keeps_the_teams(specialist, capsys):
    call_command("adduser", "sam", "--role", "specialist")
    assert _teams(specialist) == ["SG Creator Support"]


def test_audit_text_never_holds_a_password_or_token(admin_user):
    password = "a-very-secret-passphrase-77"
    user, _ = upsert_user(
        username="kim", role=Role.ADMIN, teams=["Alpha"], password=password, actor=admin_user
    )
    upsert_user(username="kim", role=Role.LEAD, teams=[], password=password + "x", actor=admin_user)
    key = issue_token(user=user, actor=admin_user)
    call_command("adduser", "kim", "--role", "specialist", "--password", password + "y", "--token")
    dump = " ".join(f"{e.event} {e.actor} {e.target} {e.detail}" for e in AuditEvent.objects.all())
    assert password not in dump and key not in dump
    assert AuditEvent.objects.filter(target="kim").count() >= 5


def test_set_user_teams_creates_missing_teams_as_adduser_does(specialist):
    set_user_teams(user=specialist, teams=["  New Desk  "], actor="adduser")
    assert Team.objects.filter(name="New Desk").exists()
    assert _teams(specialist) == ["New Desk"]
