"""Article page and history page latency (issue 2). Prints figures, asserts nothing.

Data: 5,000 published articles × 10 versions each (50,000 version rows) and one article with 1,000
versions. Going through the services would render markdown 51,000 times and take most of an hour, so
the benchmark **bulk-inserts** ``Article`` and ``HistoricalArticle`` rows directly, exactly as the
services would have left them (one history row per version, ``published_record`` pointing at the
pinned row, reader categories and tags linked, one ``Publication`` per published version). Markdown is
still rendered for realism, once per distinct body (20 realistic SOP bodies of 2–4 KB), so the pages
serve real stored HTML with tables, lists, admonitions and a table of contents.

Requests go through Django's test ``Client`` with a logged-in specialist (article page) and lead
(history page, which shows every version to editors). Targets from the issue are printed beside the
figures as reference only. Uses its own throw-away test database (Django's test-database machinery),
so running it with ``DATABASE_URL`` pointing at a real server never touches that server's data.
Run: ``make bench ONLY=articles``; ``BENCH_ARTICLES``/``BENCH_REQUESTS`` shrink it for a quick look.
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

from tests.bench.common import calibration_ms, percentile, setup_django, throwaway_database  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_ARTICLES", 5_000))
VERSIONS = 10
LONG_HISTORY = 1_000
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 300))
DISTINCT_BODIES = 20
BATCH = 2_000


def _body(rng: random.Random, n: int) -> str:
    steps = "\n".join(
        f"{i}. Check item {i} of the case ({rng.randint(100, 999)}) before moving on." for i in range(1, 9)
    )
    rows = "\n".join(f"| Tier {i} | {rng.randint(1, 72)} h | Lead on call |" for i in range(1, 7))
    para = (
        "Creators contact support when a payout is late, an account is locked or content was removed. "
        "Follow this procedure exactly and record every decision in the ticket. "
    ) * 3
    return (
        f'Procedure variant {n}.\n\n## Before you start\n\n{para}\n\n!!! warning "Identity first"\n'
        f"    Never change account details before the identity check passed.\n\n## Steps\n\n{steps}\n\n"
        f"## Escalation\n\n| Tier | Response | Owner |\n|---|---|---|\n{rows}\n\n### Checklist\n\n"
        "- [x] Identity verified\n- [ ] Ticket tagged\n- [ ] Macro sent\n\n"
        f"## Notes\n\n{para}\n\n```text\nTicket note: case handled per SOP v{n}\n```\n"
    )


def _build(rng: random.Random):
    from django.utils import timezone

    from accounts.models import Role
    from accounts.services import upsert_user
    from kb.articles import services
    from kb.articles.models import Article, Category, HistoricalArticle, Publication, Status, Tag
    from kb.lib.markdown import render_markdown

    lead, _ = upsert_user(username="bench-lead", role=Role.LEAD, teams=["SG Creator Support"])
    specialist, _ = upsert_user(
        username="bench-specialist", role=Role.SPECIALIST, teams=["SG Creator Support"]
    )
    codes = []
    for root in ("ACCOUNT", "PAYOUTS", "SAFETY", "CONTENT"):
        services.create_category(actor=lead, code=root, name=root.title())
        codes.append(root)
        for leaf in ("LOGIN", "APPEALS", "REPORTS"):
            services.create_category(actor=lead, code=f"{root}.{leaf}", name=leaf.title(), parent=root)
            codes.append(f"{root}.{leaf}")
    categories = {c.code: c for c in Category.objects.all()}
    tags = [Tag.objects.create(name=name) for name in ("payout", "2fa", "appeal", "minor-safety", "macro")]

    bodies = []
    for n in range(DISTINCT_BODIES):
        text = _body(rng, n)
        rendered = render_markdown(text)
        bodies.append((text, rendered.html, rendered.toc_html))

    now = timezone.now()
    articles = []
    for i in range(ARTICLES):
        text, html, toc = bodies[i % DISTINCT_BODIES]
        articles.append(
            Article(
                slug=f"bench-article-{i}",
                kind=rng.choice(["sop", "troubleshooting", "policy", "macro"]),
                title=f"Bench article {i}: handle case type {i % 97}",
                summary="How to handle this kind of ticket, step by step.",
                body=text,
                body_html=html,
                toc_html=toc,
                category_codes=[rng.choice(codes)],
                tag_names=[tags[i % len(tags)].name],
                version=VERSIONS,
                owner=lead,
                status=Status.PUBLISHED,
                published_version=VERSIONS,
                published_at=now - timedelta(days=rng.randint(1, 60)),
                created_at=now - timedelta(days=90),
                updated_at=now - timedelta(days=rng.randint(1, 60)),
            )
        )
    Article.objects.bulk_create(articles, batch_size=BATCH)
    articles = list(Article.objects.order_by("pk"))

    def history_rows(article: Article, versions: int) -> list:
        return [
            HistoricalArticle(
                id=article.pk,
                kind=article.kind,
                title=article.title if v == versions else f"{article.title} (draft {v})",
                summary=article.summary,
                body=article.body,
                body_html=article.body_html,
                toc_html=article.toc_html,
                category_codes=article.category_codes,
                tag_names=article.tag_names,
                version=v,
                history_change_reason=f"Edit {v}: clarified step {v % 8 + 1}",
                history_date=now - timedelta(days=versions - v + 1),
                history_type="+" if v == 1 else "~",
                history_user=lead,
            )
            for v in range(1, versions + 1)
        ]

    pending: list = []
    for article in articles:
        pending.extend(history_rows(article, VERSIONS))
        if len(pending) >= BATCH:
            HistoricalArticle.objects.bulk_create(pending, batch_size=BATCH)
            pending = []
    HistoricalArticle.objects.bulk_create(pending, batch_size=BATCH)

    # the long history: one more article, 1,000 versions, every 10th published
    text, html, toc = bodies[0]
    long_article = Article.objects.create(
        slug="bench-long-history",
        kind="sop",
        title="Bench article with 1,000 versions",
        summary="Edited a thousand times.",
        body=text,
        body_html=html,
        toc_html=toc,
        category_codes=["ACCOUNT"],
        tag_names=["payout"],
        version=LONG_HISTORY,
        owner=lead,
        status=Status.PUBLISHED,
        published_version=LONG_HISTORY,
        published_at=now,
    )
    HistoricalArticle.objects.bulk_create(history_rows(long_article, LONG_HISTORY), batch_size=BATCH)
    articles.append(long_article)

    pinned = {
        h.id: h.pk
        for h in HistoricalArticle.objects.filter(version__in=[VERSIONS, LONG_HISTORY]).only(
            "id", "version", "history_id"
        )
        if h.version == (LONG_HISTORY if h.id == long_article.pk else VERSIONS)
    }
    for article in articles:
        article.published_record_id = pinned[article.pk]
    Article.objects.bulk_update(articles, ["published_record"], batch_size=BATCH)

    through_c = Article.categories.through
    through_t = Article.tags.through
    through_c.objects.bulk_create(
        [through_c(article_id=a.pk, category_id=categories[a.category_codes[0]].pk) for a in articles],
        batch_size=BATCH,
    )
    tag_ids = {t.name: t.pk for t in tags}
    through_t.objects.bulk_create(
        [through_t(article_id=a.pk, tag_id=tag_ids[a.tag_names[0]]) for a in articles], batch_size=BATCH
    )
    publications = [
        Publication(article_id=a.pk, version=VERSIONS, material=False, actor=lead, created_at=a.published_at)
        for a in articles[:-1]
    ]
    publications += [
        Publication(article_id=long_article.pk, version=v, material=v % 100 == 0, actor=lead, created_at=now)
        for v in range(10, LONG_HISTORY + 1, 10)
    ]
    Publication.objects.bulk_create(publications, batch_size=BATCH)
    return specialist, lead, [a.slug for a in articles[:-1]], long_article.slug


def _measure(client, label: str, urls: list[str], target: str) -> float:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls[:10]:  # warm-up: template loading, first connection
        client.get(url)
    times = []
    statuses: set[int] = set()
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        statuses.add(response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(urls[0])
    print(
        f"{label:<44} n={len(times):<4} p50 {statistics.median(times):7.1f} ms   "
        f"p95 {percentile(times, 0.95):7.1f} ms   "
        f"max {max(times):7.1f} ms   queries {len(ctx.captured_queries):>3}   status {sorted(statuses)}   "
        f"(target {target}, reference only)",
        flush=True,
    )
    return percentile(times, 0.95)


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client

    with throwaway_database("kb_bench_articles"):
        rng = random.Random(2)
        start = time.perf_counter()
        specialist, lead, slugs, long_slug = _build(rng)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        print(
            f"articles benchmark ({connection.vendor}): {len(slugs):,} articles × {VERSIONS} versions "
            f"+ one with {LONG_HISTORY:,} versions, built in {time.perf_counter() - start:.0f} s "
            f"(bulk insert, {DISTINCT_BODIES} rendered bodies)",
            flush=True,
        )
        client = Client()
        client.force_login(specialist)
        picks = [f"/articles/{rng.choice(slugs)}/" for _ in range(REQUESTS)]
        article_p95 = _measure(client, "article page, specialist", picks, "p95 ≤ 30 ms")
        client.force_login(lead)
        _measure(client, "article page, lead", picks[: REQUESTS // 2], "p95 ≤ 30 ms")
        history_p95 = _measure(
            client,
            f"history page, {LONG_HISTORY:,} versions, lead",
            [f"/articles/{long_slug}/history/"] * max(50, REQUESTS // 3),
            "p95 ≤ 100 ms",
        )
        client.force_login(specialist)
        reader_history_p95 = _measure(
            client,
            f"history page, {LONG_HISTORY:,} versions, specialist",
            [f"/articles/{long_slug}/history/"] * max(50, REQUESTS // 3),
            "p95 ≤ 100 ms",
        )
        print(f"calibration: 20,000-lookup Python loop {calibration_ms():.1f} ms (idle core: ~3 ms)")
        # The page figures (issue 12 §7), one line each, so a reader of `make bench` finds them.
        print(
            f"FIGURE article page p95 ({len(slugs):,} articles × {VERSIONS} versions, specialist): "
            f"{article_p95:.1f} ms (target ≤ 30 ms)"
        )
        print(
            f"FIGURE history page p95 ({LONG_HISTORY:,} versions, worse of lead and specialist): "
            f"{max(history_p95, reader_history_p95):.1f} ms (target ≤ 100 ms)",
            flush=True,
        )


if __name__ == "__main__":
    main()
