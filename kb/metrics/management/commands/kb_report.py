"""kb_report --date YYYY-MM-DD --format md|csv: the daily report on standard output (CONTRACT §4)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from kb.metrics import report, selectors


class Command(BaseCommand):
    help = (
        "Print the daily report: tickets linked, link rate, top articles, new flags, stale articles "
        "in heavy use, failed searches."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--date", default=None, help="the day (YYYY-MM-DD, KB_TIME_ZONE); default: yesterday"
        )
        parser.add_argument("--format", default="md", choices=["md", "csv"])
        parser.add_argument(
            "--as",
            dest="as_user",
            default=None,
            help="count only what this user may read (default: every published article)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        raw = opts["date"]
        if raw:
            try:
                day = date.fromisoformat(raw)
            except ValueError:
                raise CommandError(f"--date must be YYYY-MM-DD, got {raw!r}") from None
        else:
            from datetime import timedelta

            day = selectors.today() - timedelta(days=1)
        viewer: Any = selectors.SystemViewer()
        if opts["as_user"]:
            viewer = User.objects.filter(username=opts["as_user"], is_active=True).first()
            if viewer is None:
                raise CommandError(f"Unknown user: {opts['as_user']}")
        data = report.build_report(viewer, day)
        text = report.to_markdown(data) if opts["format"] == "md" else report.to_csv(data)
        self.stdout.write(text, ending="")
