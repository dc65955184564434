"""Apply the search outbox to the index: forever (a service beside the site), or once (--once).

Before anything else, and every ``INDEX_CHECK_SECONDS`` while it runs, the worker makes sure there is
a usable index (built from the database when missing, out of date or damaged), so a fresh install or
a deleted folder needs no manual ``rebuild_search_index``.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from kb.search.outbox import drain, ensure_index

INDEX_CHECK_SECONDS = 5.0


class Command(BaseCommand):
    help = "Apply pending search outbox rows to the index (runs until stopped, or drains once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Drain what is pending now, then exit.")
        parser.add_argument("--interval", type=float, default=0.2, help="Seconds between polls when idle.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            ensure_index(repair=True)
            n = drain()
            self.stdout.write(f"applied: {n}")
            return
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write("search_worker: watching the outbox (Ctrl+C to stop)")
        checked = 0.0
        while not stopping:
            close_old_connections()
            if time.monotonic() - checked >= INDEX_CHECK_SECONDS:
                ensure_index(repair=True, blocking=False)
                checked = time.monotonic()
            n = drain(max_batches=20)
            if not n:
                time.sleep(max(0.05, options["interval"]))
