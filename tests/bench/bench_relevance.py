"""Relevance benchmark: kb's search against a plain SQLite FTS5 bm25 baseline over the same articles.

Imports ../shared/corpus into a throw-away test database (``kb_import``), builds the search index in a
temporary folder, then runs every query of ``relevance_queries.QUERIES`` through
``kb.search.selectors.search_articles`` (as a specialist) and through FTS5 (``unicode61`` tokenizer,
terms OR-ed, ordered by ``bm25()``, title and body columns). Prints success@3 (share of queries with a
right answer in the top 3) and MRR@10 for both, plus kb's misses. Asserts nothing.

Run: ``make bench ONLY=relevance`` or ``.venv/bin/python tests/bench/bench_relevance.py``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.common import setup_django  # noqa: E402


def _metrics(ranked: list[list[str]], wanted: list[set[str]]) -> tuple[float, float]:
    hits3 = 0
    rr = 0.0
    for got, right in zip(ranked, wanted, strict=True):
        for i, path in enumerate(got[:10], start=1):
            if path in right:
                rr += 1.0 / i
                if i <= 3:
                    hits3 += 1
                break
    n = len(wanted) or 1
    return hits3 / n, rr / n


def _fts5(rows: list[tuple[str, str, str]], queries: list[str]) -> list[list[str]]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, title, body, tokenize='unicode61')")
    db.executemany("INSERT INTO docs(path, title, body) VALUES (?, ?, ?)", rows)
    out = []
    for q in queries:
        terms = [t for t in re.findall(r"\w+", q.lower()) if t]
        if not terms:
            out.append([])
            continue
        match = " OR ".join(f'"{t}"' for t in terms)
        got = [
            r[0]
            for r in db.execute(
                "SELECT path FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10", (match,)
            )
        ]
        out.append(got)
    return out


def main() -> None:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from tests.bench.relevance_queries import QUERIES

    corpus = Path(settings.BASE_DIR).parent / "shared" / "corpus"
    tmp = tempfile.mkdtemp(prefix="kb-relevance-")
    settings.KB_SEARCH_INDEX_DIR = Path(tmp) / "index"
    settings.KB_SEARCH_APPLY_ON_COMMIT = False  # import first, then one rebuild
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from accounts.models import Role
        from accounts.services import upsert_user
        from kb.articles.models import Article
        from kb.search.models import SearchOutbox
        from kb.search.outbox import rebuild_index
        from kb.search.selectors import search_articles

        lead, _ = upsert_user(username="bench-lead", role=Role.LEAD, teams=[])
        specialist, _ = upsert_user(username="bench-specialist", role=Role.SPECIALIST, teams=[])
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("kb_import", str(corpus), "--owner", lead.username, stdout=quiet, stderr=quiet)
        SearchOutbox.objects.all().delete()
        n = rebuild_index()
        print(
            f"relevance benchmark: {n} articles imported and indexed in {time.perf_counter() - started:.1f} s"
        )

        by_id = {}
        rows = []
        for a in Article.objects.filter(published_record__isnull=False).select_related("published_record"):
            by_id[a.pk] = a.source_path
            rec = a.published_record
            rows.append((a.source_path, rec.title, rec.body))
        queries = [q for q, _ in QUERIES]
        wanted = [set(paths) for _, paths in QUERIES]
        missing = {p for s in wanted for p in s} - set(by_id.values())
        if missing:
            print(f"warning: {len(missing)} expected articles were not imported, e.g. {sorted(missing)[:3]}")

        kb_ranked = []
        times = []
        for q in queries:
            t0 = time.perf_counter()
            result = search_articles(specialist, q, limit=10, log=False)
            times.append((time.perf_counter() - t0) * 1000)
            kb_ranked.append([by_id.get(a.pk, "") for a, _s, _sn in result.hits])
        fts_ranked = _fts5(rows, queries)
        kb_s3, kb_mrr = _metrics(kb_ranked, wanted)
        fts_s3, fts_mrr = _metrics(fts_ranked, wanted)
        times.sort()
        print(
            f"queries: {len(queries)}   kb search p50 {times[len(times) // 2]:.1f} ms, "
            f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms (in process)"
        )
        print(f"kb    success@3 {kb_s3:.3f}   MRR@10 {kb_mrr:.3f}")
        print(f"FTS5  success@3 {fts_s3:.3f}   MRR@10 {fts_mrr:.3f}   (unicode61, OR-ed terms, bm25)")
        misses = [
            (q, got[:3])
            for q, got, right in zip(queries, kb_ranked, wanted, strict=True)
            if not set(got[:3]) & right
        ]
        for q, got in misses:
            print(f"  kb miss@3: {q!r} → {[Path(p).stem[:40] for p in got]}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
