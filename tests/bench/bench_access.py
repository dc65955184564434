"""The access path in process: an article page, a search and an API token request (issue 12).

Prints figures, asserts nothing. Data: ``BENCH_ARTICLES`` (default 2,000) published articles × 10
versions, bulk-inserted as ``bench_articles`` builds them, every fifth restricted to the reader's team
and every seventh to another team, then indexed with the configured backend. Each figure is the
median and p95 of ``BENCH_REQUESTS`` requests through Django's test client, so it is the Python and
SQL cost of one request without a network. Run: ``.venv/bin/python tests/bench/run.py access``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("BENCH_ARTICLES", "2000")

from tests.bench.common import percentile, setup_django, throwaway_database  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", 300))
QUERIES = ["reset 2fa", "payout", "appeal case", "handle ticket", "minor safety", "login", "case type 17"]


def _measure(label: str, call, n: int) -> None:
    for i in range(10):  # warm-up: templates, first connection, per-process caches
        call(i)
    times, cpu = [], []
    statuses: set[int] = set()
    for i in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        status = call(i)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        statuses.add(status)
    # CPU time of this process (Python and SQLite, which runs in process) is what a request costs;
    # wall time also counts waiting for the CPU when the machine is shared.
    print(
        f"{label:<36} n={n:<4} wall p50 {statistics.median(times):7.2f} p95 {percentile(times, 0.95):7.2f} ms"
        f"   cpu p50 {statistics.median(cpu):6.2f} p95 {percentile(cpu, 0.95):6.2f} ms"
        f"   status {sorted(statuses)}",
        flush=True,
    )


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client
    from rest_framework.test import APIClient

    from accounts.models import Team
    from accounts.services import issue_token
    from kb.articles.models import Article
    from kb.search.outbox import rebuild_index
    from tests.bench import bench_articles

    with throwaway_database("kb_bench_access"):
        rng = random.Random(12)
        specialist, _lead, slugs, _long = bench_articles._build(rng)
        own = Team.objects.get(name="SG Creator Support")
        other, _ = Team.objects.get_or_create(name="Jakarta Live Safety")
        through = Article.teams.through
        ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        through.objects.bulk_create(
            [through(article_id=a, team_id=own.pk) for a in ids[::5]]
            + [through(article_id=a, team_id=other.pk) for a in ids[3::7]]
        )
        rebuild_index()
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        print(f"access benchmark ({connection.vendor}): {len(ids):,} articles", flush=True)

        web = Client()
        web.force_login(specialist)
        picks = [rng.choice(slugs) for _ in range(REQUESTS)]
        _measure(
            "article page, specialist", lambda i: web.get(f"/articles/{picks[i]}/").status_code, REQUESTS
        )

        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=specialist)}")
        queries = [QUERIES[i % len(QUERIES)] for i in range(REQUESTS)]
        _measure(
            "search API, specialist",
            lambda i: api.get("/api/v1/search/", {"q": queries[i]}).status_code,
            REQUESTS,
        )
        article_ids = [rng.choice(ids) for _ in range(REQUESTS)]
        _measure(
            "API article by token, specialist",
            lambda i: api.get(f"/api/v1/articles/{article_ids[i]}/").status_code,
            REQUESTS,
        )


if __name__ == "__main__":
    main()
