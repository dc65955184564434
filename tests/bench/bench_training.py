"""Trainer grid benchmark: 500 people × 40 articles (issue 5). Prints figures, asserts nothing.

Builds its own throw-away test database (Django's test-database machinery), so it never touches
the development data. Measures, for a team of N people with a 40-article reading list assigned:

- the grid selector (``selectors.team_grid``): p50/p95 and its query count for 50 and 500 people
  (the count must not change with the number of people);
- the grid page (``/training/grid/?team=…``, first page of rows) and the CSV export of all rows.

Run: ``make bench ONLY=training`` or ``.venv/bin/python tests/bench/bench_training.py``.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.common import calibration_ms, percentile, setup_django, throwaway_database  # noqa: E402

ARTICLES = 40
RUNS = 20


def _build(people: int, rng: random.Random):
    """A trainer, a lead, ``people`` specialists in one team, 40 published articles in one list
    assigned to the team, ~60 % acknowledged, 5 articles with a later material change."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password

    from accounts.models import Role, Team, User
    from accounts.services import upsert_user
    from kb.articles import services as article_services
    from kb.training import services
    from kb.training.models import Acknowledgment

    team, _ = Team.objects.get_or_create(name=f"Bench team {people}")
    lead, _ = upsert_user(username=f"bench-lead-{people}", role=Role.LEAD, teams=[team.name])
    trainer, _ = upsert_user(username=f"bench-trainer-{people}", role=Role.TRAINER, teams=[team.name])
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"p{people}-{n:04d}", role=Role.SPECIALIST, password=password) for n in range(people)]
    )
    User.teams.through.objects.bulk_create([User.teams.through(user_id=u.pk, team_id=team.pk) for u in users])
    articles = []
    for n in range(ARTICLES):
        a = article_services.create_article(
            actor=lead,
            title=f"Bench SOP {people}-{n}",
            body=f"Step one.\n\nStep two of {n}.\n",
            change_note="v1",
        )
        articles.append(article_services.publish_article(actor=lead, article=a, material=False))
    rl = services.create_reading_list(
        actor=trainer, title=f"Bench list {people}", articles=[a.pk for a in articles]
    )
    services.create_assignment(
        actor=trainer, reading_list=rl.pk, team=team.name, due=dt.date.today() + dt.timedelta(days=3)
    )
    acks = [
        Acknowledgment(user_id=u.pk, article_id=a.pk, version=1)
        for u in users
        for a in articles
        if rng.random() < 0.6
    ]
    Acknowledgment.objects.bulk_create(acks, batch_size=5000)
    for a in articles[:5]:
        a.refresh_from_db()
        a = article_services.update_article(
            actor=lead,
            article=a,
            base_version=a.version,
            change_note="material",
            body=a.body + "\nNew step.\n",
        )
        article_services.publish_article(actor=lead, article=a, material=True)
    return trainer, team


def _measure(label: str, fn) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"{label:<44} p50 {statistics.median(times):7.1f} ms   p95 {percentile(times, 0.95):7.1f} ms   "
        f"queries {queries}"
    )
    return times, queries


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client

    from kb.training import selectors

    with throwaway_database("kb_bench_training"):
        rng = random.Random(5)
        print(f"training grid benchmark ({connection.vendor}), {ARTICLES} articles, {RUNS} runs each")
        counts = {}
        for people in (50, 500):
            start = time.perf_counter()
            trainer, team = _build(people, rng)
            print(f"-- {people} people (data built in {time.perf_counter() - start:.1f} s)")
            grid = selectors.team_grid(viewer=trainer, team=team)
            print(
                f"   grid: {len(grid.rows)} rows × {len(grid.articles)} articles, "
                f"{grid.done}/{grid.total} done, {grid.reack} to re-read"
            )
            _, counts[people] = _measure(
                f"selector team_grid ({people} people)",
                lambda t=trainer, tm=team: selectors.team_grid(viewer=t, team=tm),
            )
            client = Client()
            client.force_login(trainer)
            url = f"/training/grid/?team={team.name.replace(' ', '+')}"
            page_times, _ = _measure(
                f"grid page, 50 rows ({people} people)", lambda c=client, u=url: c.get(u)
            )
            _measure(f"CSV export ({people} people)", lambda c=client, u=url: c.get(u + "&format=csv"))
        print(f"calibration: 20,000-lookup Python loop {calibration_ms():.1f} ms (idle core: ~3 ms)")
        same = "constant" if counts[50] == counts[500] else "NOT constant"
        print(f"selector query count: {counts[50]} for 50 people, {counts[500]} for 500 people ({same})")
        # The page figure (issue 12 §7), on one line of its own (the last build is 500 people).
        print(
            f"FIGURE training grid page p95 (500 people × {ARTICLES} articles): "
            f"{percentile(page_times, 0.95):.1f} ms (target ≤ 200 ms)",
            flush=True,
        )


if __name__ == "__main__":
    main()
