"""kb_training_reminders [--date YYYY-MM-DD]: one message per person with what is due (CONTRACT §4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kb.training.reminders import send_reminders


class Command(BaseCommand):
    help = "Email each person what they must read: due within 2 days, overdue, or to re-read."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--date", help="the day to count from (YYYY-MM-DD; default today in KB_TIME_ZONE)"
        )
        parser.add_argument("--base-url", default="", help="site address for links, e.g. https://kb.example")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, got {options['date']!r}") from None
        result = send_reminders(today=today, base_url=options["base_url"])
        for username in result.skipped_without_email:
            self.stderr.write(f"skipped {username}: no email address")
        self.stdout.write(f"reminders: {result.sent} sent, {len(result.skipped_without_email)} skipped")
