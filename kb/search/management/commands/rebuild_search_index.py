"""Build a fresh search index beside the live one from the database and swap it in."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kb.search.outbox import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index from published articles; search stays up meanwhile."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        n = rebuild_index(processes=settings.KB_SEARCH_REBUILD_PROCS)
        took = time.perf_counter() - started
        rate = n / took if took > 0 else 0.0
        self.stdout.write(f"indexed: {n} articles in {took:.1f}s ({rate:.0f}/s)")
