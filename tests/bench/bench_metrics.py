"""Metrics benchmark: 100,000 tickets and 300,000 resolutions (issue 4). Prints figures, asserts nothing.

Builds its own throw-away test database (Django's test-database machinery), never the development
data: 150 published articles (15 restricted to a team) across 40 categories, 60 people in 3 teams,
100,000 tickets over 180 days, 300,000 resolutions, 6,000 votes and 400 flags, all bulk-created.
Then every metrics endpoint and page is requested ``RUNS`` times as a lead, with p50/p95 and the
number of SQL queries of one request.

Run: ``make bench ONLY=metrics`` or ``.venv/bin/python tests/bench/bench_metrics.py``
(``DATABASE_URL=postgres://…`` for PostgreSQL). ``BENCH_TICKETS`` / ``BENCH_RESOLUTIONS`` scale it.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.common import percentile, setup_django, throwaway_database  # noqa: E402

TICKETS = int(os.environ.get("BENCH_TICKETS", 100_000))
RESOLUTIONS = int(os.environ.get("BENCH_RESOLUTIONS", 300_000))
ARTICLES = 150
CATEGORIES = 40
PEOPLE = 60
DAYS = 180
RUNS = int(os.environ.get("BENCH_RUNS", 30))


def _build(rng: random.Random):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Role, Team, User
    from accounts.services import upsert_user
    from kb.articles import services as article_services
    from kb.articles.models import Article, Category, Publication
    from kb.tickets.models import Feedback, Flag, Resolution, Ticket

    now = timezone.now()
    teams = [
        Team.objects.get_or_create(name=n)[0] for n in ("SG Creator Support", "Jakarta Live Safety", "Legal")
    ]
    lead, _ = upsert_user(username="bench-lead", role=Role.LEAD, teams=["SG Creator Support"])
    password = make_password(None)
    people = User.objects.bulk_create(
        [User(username=f"spec-{n:03d}", role=Role.SPECIALIST, password=password) for n in range(PEOPLE)]
    )
    User.teams.through.objects.bulk_create(
        [User.teams.through(user_id=u.pk, team_id=teams[i % 3].pk) for i, u in enumerate(people)]
    )
    people.append(lead)
    roots = [Category.objects.create(code=f"ROOT{r}", name=f"Root {r}") for r in range(5)]
    cats = roots + [
        Category.objects.create(code=f"ROOT{i % 5}.LEAF{i}", name=f"Leaf {i}", parent=roots[i % 5])
        for i in range(CATEGORIES - 5)
    ]
    articles = []
    for n in range(ARTICLES):
        a = article_services.create_article(
            actor=lead,
            title=f"Bench SOP {n}",
            body=f"1. Step one of {n}.\n2. Step two.\n",
            categories=[cats[n % len(cats)].code],
            teams=["Legal"] if n % 10 == 0 else None,
            change_note="v1",
        )
        articles.append(article_services.publish_article(actor=lead, article=a, material=False))
    Publication.objects.update(created_at=now - timedelta(days=DAYS + 30))
    Article.objects.update(last_reviewed_at=None, published_at=now - timedelta(days=DAYS + 30))
    for a in articles:
        Article.objects.filter(pk=a.pk).update(
            last_reviewed_at=now - timedelta(days=rng.randint(1, 400)), review_interval_days=90
        )
    tickets = []
    for i in range(TICKETS):
        opened = now - timedelta(days=rng.uniform(0, DAYS))
        closed = opened + timedelta(hours=rng.uniform(0.2, 96))
        tickets.append(
            Ticket(
                external_id=f"B-{i}",
                category_id=cats[min(int(rng.expovariate(0.12)), len(cats) - 1)].pk,
                subject=f"Bench ticket {i}",
                status="closed" if closed < now else "open",
                opened_at=opened,
                closed_at=closed if closed < now else None,
                created_at=opened,
                updated_at=opened,
            )
        )
    Ticket.objects.bulk_create(tickets, batch_size=5000)
    ticket_rows = list(Ticket.objects.values_list("pk", "opened_at", "closed_at"))
    outcomes = ["resolved"] * 6 + ["helpful"] * 2 + ["not_helpful", "escalated"]
    res, seen = [], set()
    while len(res) < RESOLUTIONS:
        tid, opened, closed = ticket_rows[rng.randrange(len(ticket_rows))]
        art = articles[min(int(rng.expovariate(0.03)), ARTICLES - 1)]
        if (tid, art.pk) in seen:
            continue
        seen.add((tid, art.pk))
        when = min(opened + timedelta(hours=rng.uniform(0, 48)), now)
        res.append(
            Resolution(
                ticket_id=tid,
                article_id=art.pk,
                version=1,
                outcome=rng.choice(outcomes),
                user_id=people[rng.randrange(len(people))].pk,
                created_at=when,
                updated_at=when,
            )
        )
    Resolution.objects.bulk_create(res, batch_size=5000)
    fb, seen_fb = [], set()
    while len(fb) < 6000:
        u, a = people[rng.randrange(len(people))], articles[rng.randrange(ARTICLES)]
        if (u.pk, a.pk) in seen_fb:
            continue
        seen_fb.add((u.pk, a.pk))
        when = now - timedelta(days=rng.uniform(0, DAYS))
        fb.append(
            Feedback(
                article=a, version=1, user=u, helpful=rng.random() > 0.2, created_at=when, updated_at=when
            )
        )
    Feedback.objects.bulk_create(fb, batch_size=5000)
    Flag.objects.bulk_create(
        [
            Flag(
                article=articles[rng.randrange(ARTICLES)],
                version=1,
                reason="unclear",
                raised_by=people[rng.randrange(len(people))],
                state="open" if rng.random() < 0.6 else "closed",
                created_at=now - timedelta(days=rng.uniform(0, DAYS)),
            )
            for _ in range(400)
        ]
    )
    return lead


def _measure(client, label: str, url: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # the bulk set-up filled the log; start counting from zero
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"{label:<46} p50 {statistics.median(times):7.1f} ms   p95 {percentile(times, 0.95):7.1f} ms   "
        f"queries {queries:>3}   status {status}",
        flush=True,
    )


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client

    from kb.metrics import selectors

    with throwaway_database("kb_bench_metrics"):
        rng = random.Random(4)
        start = time.perf_counter()
        lead = _build(rng)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")  # fresh statistics, as a running database would have
        print(
            f"metrics benchmark ({connection.vendor}): {TICKETS:,} tickets, {RESOLUTIONS:,} resolutions, "
            f"{ARTICLES} articles, built in {time.perf_counter() - start:.0f} s; "
            f"{RUNS} requests each, as a lead",
            flush=True,
        )
        today = selectors.today()
        periods = {
            "30 days": f"since={(today - timedelta(days=29)).isoformat()}&until={today.isoformat()}",
            "180 days": f"since={(today - timedelta(days=DAYS - 1)).isoformat()}&until={today.isoformat()}",
        }
        client = Client()
        client.force_login(lead)
        for label, q in periods.items():
            print(f"-- period: last {label}")
            for ep in (
                "summary",
                "articles",
                "categories",
                "participation",
                "review-queue",
                "failed-searches",
            ):
                _measure(client, f"GET /api/v1/metrics/{ep}/", f"/api/v1/metrics/{ep}/?{q}")
            if label != "30 days":
                continue  # pages: the default period only (each page shows several endpoints' figures)
            for page in (
                "",
                "articles/",
                "categories/",
                "participation/",
                "review-queue/",
                "failed-searches/",
            ):
                _measure(client, f"page /metrics/{page}", f"/metrics/{page}?{q}")
        _measure(client, "page /metrics/report/ (yesterday)", "/metrics/report/")
        _measure(client, "GET /api/v1/suggest/?category=ROOT0.LEAF5", "/api/v1/suggest/?category=ROOT0.LEAF5")


if __name__ == "__main__":
    main()
