"""adduser USERNAME --role ROLE [--team NAME]… [--email E] [--password P | --password-stdin] [--token]"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Role
from accounts.services import issue_token, upsert_user
from kb.lib.errors import DomainError


class Command(BaseCommand):
    help = "Create a user, or update the role and teams of an existing one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--team", action="append", default=[], dest="teams")
        parser.add_argument("--email")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--password")
        group.add_argument("--password-stdin", action="store_true")
        parser.add_argument("--token", action="store_true", help="print the API token on the last line")

    def handle(self, *args, **options) -> None:
        password = options["password"]
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        try:
            user, created = upsert_user(
                username=options["username"],
                role=options["role"],
                teams=options["teams"] or None,  # no --team: the teams stay as they are
                email=options["email"],
                password=password,
                actor="adduser",
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        teams = ", ".join(t.name for t in user.teams.all()) or "no team"
        self.stdout.write(f"{'created' if created else 'updated'} {user.username} ({user.role}; {teams})")
        if options["token"]:
            self.stdout.write(issue_token(user=user, actor="adduser"))
