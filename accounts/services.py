"""Account use cases shared by the adduser command, the admin and tests."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import Role, Team, User
from kb.lib.errors import InvalidInput


def ensure_teams(names: Sequence[str]) -> list[Team]:
    """Return the named teams, creating missing ones (adduser's contract)."""
    teams = []
    for raw in names:
        name = raw.strip()
        if not name:
            raise InvalidInput("A team name cannot be empty.", field="team")
        if len(name) > 100:
            raise InvalidInput("A team name has at most 100 characters.", field="team")
        team, _ = Team.objects.get_or_create(name=name)
        teams.append(team)
    return teams


@transaction.atomic
def upsert_user(
    *,
    username: str,
    role: str,
    teams: Sequence[str] = (),
    email: str | None = None,
    password: str | None = None,
    actor: User | None = None,
) -> tuple[User, bool]:
    """Create the user, or update role and teams of an existing one. Returns (user, created)."""
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}: choose one of {', '.join(Role.values)}.", field="role")
    username = username.strip()
    if not username or len(username) > 150:
        raise InvalidInput("A username has 1 to 150 characters.", field="username")
    user = User.objects.filter(username=username).first()
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
    if teams:
        user.teams.set(ensure_teams(teams))
    if old_role is not None and old_role != role:
        from accounts.audit import record_event

        record_event("role_change", actor=actor, target=user.username, detail=f"{old_role} -> {role}")
    return user, created


def issue_token(*, user: User, actor: User | None = None) -> str:
    """Return the user's API token, creating it on first use."""
    token, created = Token.objects.get_or_create(user=user)
    if created:
        from accounts.audit import record_event

        record_event("token_created", actor=actor or user, target=user.username)
    return token.key
