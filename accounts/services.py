"""Account use cases shared by the adduser command, the admin and tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.audit import record_event
from accounts.models import Role, Team, User
from kb.lib.errors import InvalidInput
from kb.lib.text_checks import bad_name


def ensure_teams(names: Sequence[str]) -> list[Team]:
    """Return the named teams, creating missing ones (adduser's contract)."""
    teams = []
    for raw in names:
        name = raw.strip()
        if not name:
            raise InvalidInput("A team name cannot be empty.", field="team")
        if len(name) > 100:
            raise InvalidInput("A team name has at most 100 characters.", field="team")
        problem = bad_name(name)
        if problem:
            raise InvalidInput(f"Team name: {problem}", field="team")
        team, _ = Team.objects.get_or_create(name=name)
        teams.append(team)
    return teams


Actor: TypeAlias = "User | str | None"
"""Who acts: the signed-in user, or a command's name (``"adduser"``); ``None`` is ``"system"``."""


def _actor(actor: Actor) -> User | str:
    return "system" if actor is None else actor


@transaction.atomic
def upsert_user(
    *,
    username: str,
    role: str,
    teams: Sequence[str] | None = None,
    email: str | None = None,
    password: str | None = None,
    actor: Actor = None,
) -> tuple[User, bool]:
    """Create the user, or update role and teams of an existing one. Returns (user, created).

    ``teams=None`` leaves an existing user's teams as they are; a list (empty included) is the new
    set. A new user, a role change and a membership change are each audited (never the password).
    """
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}: choose one of {', '.join(Role.values)}.", field="role")
    username = username.strip()
    if not username or len(username) > 150:
        raise InvalidInput("A username has 1 to 150 characters.", field="username")
    user = User.objects.select_for_update().filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username)
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), field="password") from exc
    old_role = None if created else user.role
    user.role = role
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    if email is not None:
        user.email = email
    if password is not None:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    if created:
        record_event("user_create", actor=_actor(actor), target=user.username, detail=f"role {role}")
    elif old_role != role:
        record_event("role_change", actor=_actor(actor), target=user.username, detail=f"{old_role} -> {role}")
    if teams is not None:
        set_user_teams(user=user, teams=teams, actor=actor)
    return user, created


@transaction.atomic
def set_user_teams(*, user: User, teams: Sequence[str], actor: Actor = None) -> list[Team]:
    """Make ``teams`` (created when missing; empty: none) the user's teams; audit what changed.

    Visibility reads membership from the database on every request (``Article.objects.visible_to``,
    ``visibility_keys_for_user``), so the change holds from the next request on, nothing to refresh.
    """
    wanted = ensure_teams(teams)
    User.objects.select_for_update().filter(pk=user.pk).first()  # one membership edit at a time
    before = set(user.teams.values_list("name", flat=True))
    after = {team.name for team in wanted}
    user.teams.set(wanted)
    added, removed = sorted(after - before), sorted(before - after)
    if added or removed:
        parts = [f"added: {', '.join(added)}"] if added else []
        parts += [f"removed: {', '.join(removed)}"] if removed else []
        record_event("team_change", actor=_actor(actor), target=user.username, detail="; ".join(parts))
    return wanted


@transaction.atomic
def set_user_active(*, user: User, active: bool, actor: Actor = None) -> User:
    """Let the user sign in again, or stop them (their history stays attributed); audited."""
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        event = "user_activate" if active else "user_deactivate"
        record_event(event, actor=_actor(actor), target=user.username)
    return user


def issue_token(*, user: User, actor: Actor = None) -> str:
    """Return the user's API token, creating it on first use (audited without the key)."""
    token, created = Token.objects.get_or_create(user=user)
    if created:
        record_event("token_created", actor=actor or user, target=user.username)
    return token.key
