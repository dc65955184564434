"""kb_import PATH [--owner USER] [--status published|draft] [--dry-run] (CONTRACT §4)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from kb.articles.importing import ImportFailure, default_importer, import_tree
from kb.articles.models import Status


class Command(BaseCommand):
    help = "Import every .md/.markdown file below PATH; re-importing unchanged files changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--owner", help="username of the lead or admin the import is attributed to")
        parser.add_argument(
            "--status",
            choices=[Status.PUBLISHED, Status.DRAFT],
            help="status of imported articles (default: the file's own `status`, else published)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check every file, save nothing")

    def handle(self, *args, **options) -> None:
        root = Path(options["path"])
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
        if options["owner"]:
            actor = User.objects.filter(username=options["owner"]).first()
            if actor is None:
                raise CommandError(f"Unknown user {options['owner']!r}.")
            if not actor.is_editor:
                raise CommandError(f"{actor.username} is a {actor.role}: imports need a lead or an admin.")
        else:
            try:
                actor = default_importer()
            except ImportFailure as exc:
                raise CommandError(str(exc)) from None
        report = import_tree(
            root,
            actor=actor,
            status_override=options["status"],
            dry_run=options["dry_run"],
            on_failure=lambda path, reason: self.stdout.write(f"failed: {path}: {reason}"),
        )
        if options["dry_run"]:
            self.stdout.write("dry run: nothing was saved")
        self.stdout.write(report.summary_line())
        if report.failed:
            raise SystemExit(1)
