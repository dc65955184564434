"""``kb_demo [--reset | --if-empty | --logins]``: the demo knowledge base (CONTRACT §4, docs/demo.md)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from kb.demo.content import ROLE_LOGINS, USERS
from kb.demo.loader import database_is_empty, load_demo, wipe_database

NOT_EMPTY = "database not empty: demo not loaded"


@contextmanager
def _quiet_audit_log() -> Iterator[None]:
    """Keep the ~60 "audit publish" log lines of the demo's own publications off the console.

    The audit rows are still recorded in the database; only the console echo is muted.
    """
    logger = logging.getLogger("kb.audit")
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)


class Command(BaseCommand):
    help = (
        "Load the demo knowledge base (users, teams, ticket categories, articles with versions) into an "
        "empty database and print one login per role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--reset",
            action="store_true",
            help="Delete ALL data (articles, categories, users, teams, tickets, training…), then load.",
        )
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help=f"Load only into an empty database; otherwise print '{NOT_EMPTY}' and succeed.",
        )
        mode.add_argument(
            "--logins", action="store_true", help="Print the demo logins without loading anything."
        )

    def handle(self, *args, **options) -> None:
        if options["logins"]:
            self._print_logins()
            return
        if not database_is_empty():
            if options["if_empty"]:
                self.stdout.write(NOT_EMPTY)
                return
            if not options["reset"]:
                raise CommandError(
                    "The database already has data (users, teams, categories or articles); the demo is "
                    "only loaded into an empty one. Use `kb_demo --reset` to DELETE EVERYTHING and load "
                    "the demo, or point DATABASE_URL at an empty database."
                )
            tables = wipe_database()
            self.stdout.write(f"Deleted all data from {len(tables)} tables.")
        started = time.monotonic()
        with _quiet_audit_log():
            load_demo(log=lambda msg: self.stdout.write(f"  {msg}"))
        self.stdout.write(self.style.SUCCESS(f"Demo loaded in {time.monotonic() - started:.1f} s."))
        if options["reset"]:
            self.stdout.write("Rebuild the search index now: manage.py rebuild_search_index")
        if not options["if_empty"]:  # `make run` prints them last, with `--logins`, once the index is built
            self._print_logins()

    def _print_logins(self) -> None:
        loaded = User.objects.filter(username__in=[u.username for u in ROLE_LOGINS]).exists()
        self.stdout.write("Demo logins (username / password / role / teams):")
        for user in (*ROLE_LOGINS, *(u for u in USERS if u.password and u not in ROLE_LOGINS)):
            self.stdout.write(
                f"  {user.username:<11} {user.password:<23} {user.role:<11} {', '.join(user.teams)}"
            )
        silent = [u.username for u in USERS if not u.password]
        self.stdout.write(f"  (without a password, for training and metrics data: {', '.join(silent)})")
        if not loaded:
            self.stdout.write("  The demo is not loaded in this database: run `manage.py kb_demo`.")
