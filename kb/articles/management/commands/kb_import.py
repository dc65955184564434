"""kb_import PATH [--owner USER] [--status published|draft] [--dry-run] (CONTRACT §4)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from kb.articles import access
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
            if not access.is_editor(actor):
                raise CommandError(f"{actor.username} is a {actor.role}: imports need a lead or an admin.")
        else:
            try:
                actor = default_importer()
            except ImportFailure as exc:
                raise CommandError(str(exc)) from None
        try:
            report = import_tree(
                root,
                actor=actor,
                status_override=options["status"],
                dry_run=options["dry_run"],
                on_failure=lambda path, reason: self.stdout.write(f"failed: {path}: {reason}"),
                defer_side_effects=True,
            )
        except OSError as exc:  # PATH itself cannot be opened; anything below it is a per-file failure
            raise CommandError(f"{root} cannot be read ({exc.strerror}).") from None
        if not options["dry_run"] and (report.created or report.updated):
            self._apply_search_outbox()
        if options["dry_run"]:
            self.stdout.write("dry run: nothing was saved")
        self.stdout.write(report.summary_line())
        if report.failed:
            raise SystemExit(1)

    def _apply_search_outbox(self) -> None:
        """Index what was imported in a few batches (the per-article after-commit updates were skipped).

        Called by name so that articles does not depend on the search app; if the index is busy the
        rows simply stay in the outbox for ``search_worker``.
        """
        if "search_worker" not in get_commands():
            return
        try:
            call_command("search_worker", "--once", stdout=StringIO())
        except Exception as exc:  # the import itself is committed; the worker will catch up
            self.stderr.write(f"search index not updated now ({exc}); search_worker will apply it")
