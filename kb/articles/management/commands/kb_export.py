"""kb_export PATH (CONTRACT §4): one markdown file per article with kb's front matter."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from kb.articles import access
from kb.articles.exporting import export_articles


class Command(BaseCommand):
    help = "Write every article (latest version, with its status) as PATH/<slug>.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--as-user",
            dest="as_user",
            help="export only what this user may see (restricted articles of other teams are left out)",
        )

    def handle(self, *args, **options) -> None:
        root = Path(options["path"])
        if root.exists() and not root.is_dir():
            raise CommandError(f"{root} exists and is not a folder.")
        articles = None
        if options["as_user"]:
            user = User.objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(f"Unknown user {options['as_user']!r}.")
            if not access.can_see_drafts(user):
                raise CommandError(
                    "An export holds latest versions (drafts too): --as-user needs a lead, trainer or admin."
                )
            articles = (
                access.visible_articles(user).select_related("owner").prefetch_related("teams").order_by("pk")
            )
        written = export_articles(root, articles)
        self.stdout.write(f"exported: {len(written)} articles to {root}")
