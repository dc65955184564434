"""Import of the shared corpus (issue 2): articles per second, first import and re-import.

Runs the ``kb_import`` command (one transaction per file, search outbox rows written with each
article and applied in batches at the end, which is included in the time). The first import renders
every file's markdown and publishes it; the re-import only hashes the files and compares.
Then the conversion of hostile pages at the file size limit (2 MiB of unclosed tags, stray
backticks, reusable placeholders…), which must stay linear: each line is one ``parse_document``.
Prints figures, asserts nothing.
Run: ``make bench ONLY=import`` (database and data folder are throw-away unless DATABASE_URL is set).
"""

from __future__ import annotations

import logging
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"


def main() -> None:
    from django.core.management import call_command

    from accounts.models import Role
    from accounts.services import upsert_user
    from kb.articles.importing import FILE_MAX_BYTES, find_markdown_files, import_tree, parse_document
    from kb.articles.models import Article

    logging.disable(logging.WARNING)
    if not CORPUS.is_dir():
        print(f"import: corpus not found at {CORPUS}; nothing measured")
        return
    actor, _ = upsert_user(username="bench-importer", role=Role.ADMIN, teams=[])
    existing = Article.objects.filter(source_path__isnull=False).count()
    files = len(find_markdown_files(CORPUS))
    size = sum(p.stat().st_size for p in find_markdown_files(CORPUS))
    print(
        f"import benchmark: {files} files, {size / 1e6:.1f} MB, {existing} imported articles already present"
    )
    for label in ("first import", "re-import (unchanged)"):
        out = StringIO()
        start = time.perf_counter()
        call_command("kb_import", str(CORPUS), "--owner", actor.username, stdout=out)
        took = time.perf_counter() - start
        summary = out.getvalue().strip().splitlines()[-1]
        print(f"{label:<24} {took:7.2f} s   {files / took:8.1f} articles/s   ({summary})", flush=True)
    start = time.perf_counter()
    import_tree(CORPUS, actor=actor, dry_run=True, status_override="draft")
    took = time.perf_counter() - start
    print(
        f"{'dry run, other options':<24} {took:7.2f} s   {files / took:8.1f} articles/s   "
        "(parse + render + save, rolled back; no index work)"
    )
    hostile = {
        "unclosed {% tags": "{% a ",
        "unclosed {{ tags": "{{ a ",
        "unclosed {{< shortcodes": "{{< a ",
        "stray backticks": "a `` b ",
        "unclosed links": "[a](",
        "reusable placeholders": "{% data reusables.a.b %}\n",
        "setext headings": "a\n=\n\n",
        "admonition openers": "{% note %}\n",
    }
    for label, unit in hostile.items():
        text = (unit * (FILE_MAX_BYTES // len(unit.encode())))[: FILE_MAX_BYTES - 16]
        start = time.perf_counter()
        parse_document(text.encode(), source_path="hostile.md")
        took = time.perf_counter() - start
        print(f"{'2 MiB of ' + label:<36} {took:7.2f} s   (parse + convert, no save)", flush=True)
