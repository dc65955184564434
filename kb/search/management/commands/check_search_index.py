"""Compare (article, version) between the database and the index; repair drift unless --dry-run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kb.search.services import check_index


class Command(BaseCommand):
    help = "Find articles whose index entry differs from the database, and repair them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only report drift.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = check_index(repair=not options["dry_run"])
        for line in report.lines:  # one line per drift
            self.stdout.write(line)
        self.stdout.write(f"drift: {report.found} found, {report.repaired} repaired")
