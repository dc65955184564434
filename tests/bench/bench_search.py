"""Search benchmark: 20,000 synthetic ~500-word articles (issue 3). Prints figures, asserts nothing.

Runs in a child process with its own data folder (``KB_DATA_DIR`` in a temp dir, SQLite database
there), so it never touches development data. Measures:

- full rebuild (``rebuild_search_index``): articles/s and index size;
- search over HTTP against ``gunicorn -w 2 kb.wsgi`` (KB_DEBUG=1 KB_HTTPS=0, spare port): p50/p95 of
  ``GET /api/v1/search/`` for a fixed set of 2–3 word queries (some misspelled);
- the same queries on SQLite FTS5 (unicode61, bm25, terms OR-ed) over the same texts, in process,
  as the reference, and the ratio;
- resident memory (VmRSS) of each gunicorn worker after the queries.

Run: ``make bench ONLY=search`` or ``.venv/bin/python tests/bench/bench_search.py`` (``BENCH_ARTICLES``
changes the article count).
"""

from __future__ import annotations

import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
N = int(os.environ.get("BENCH_ARTICLES", "20000"))
QUERIES = 200


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _vocabulary(rng: random.Random) -> list[str]:
    common = [
        "the",
        "a",
        "to",
        "of",
        "and",
        "in",
        "for",
        "is",
        "on",
        "that",
        "with",
        "as",
        "be",
        "it",
        "by",
        "this",
        "are",
        "or",
        "from",
        "at",
        "account",
        "creator",
        "payout",
        "password",
        "reset",
        "verify",
        "identity",
        "ticket",
        "escalate",
        "policy",
        "review",
        "report",
        "ban",
        "appeal",
        "live",
        "stream",
        "gift",
        "refund",
        "charge",
        "card",
        "email",
        "phone",
        "login",
        "code",
        "team",
        "safety",
        "minor",
        "content",
        "video",
        "comment",
        "block",
        "spam",
    ]
    syll = [
        "ka",
        "lo",
        "mi",
        "ne",
        "ru",
        "sa",
        "to",
        "vi",
        "zu",
        "pe",
        "qua",
        "dre",
        "shi",
        "tor",
        "ban",
        "gel",
    ]
    words = set()
    while len(words) < 8000:
        words.add("".join(rng.choice(syll) for _ in range(rng.randint(2, 4))))
    return common + sorted(words)


def _text(rng: random.Random, vocab: list[str], n: int) -> str:
    # Zipf-like: low ranks are frequent
    return " ".join(
        vocab[min(len(vocab) - 1, int(rng.paretovariate(1.1)) - 1)]
        if rng.random() < 0.6
        else rng.choice(vocab)
        for _ in range(n)
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def inner(data_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from accounts.models import Role
    from accounts.services import issue_token, upsert_user
    from kb.articles.models import Article, HistoricalArticle, Status
    from kb.search.backends.whoosh import REBUILD_PROCESSES
    from kb.search.outbox import rebuild_index

    rng = random.Random(7)
    vocab = _vocabulary(rng)
    owner, _ = upsert_user(username="bench-owner", role=Role.LEAD, teams=[])
    reader, _ = upsert_user(username="bench-reader", role=Role.SPECIALIST, teams=[])
    token = issue_token(user=reader)
    started = time.perf_counter()
    texts = []
    # Bulk filler (not services): 20,000 articles through services would measure the services.
    with transaction.atomic():
        batch = []
        for i in range(N):
            title = " ".join(rng.choice(vocab[:400]) for _ in range(5)).capitalize() + f" {i}"
            body = _text(rng, vocab, 500)
            texts.append((i, title, body))
            batch.append(
                Article(
                    slug=f"bench-{i}",
                    title=title,
                    summary=body[:120],
                    body=body,
                    body_html=f"<p>{body}</p>",
                    owner=owner,
                    status=Status.PUBLISHED,
                    published_version=1,
                    version=1,
                    category_codes=[],
                    tag_names=[],
                )
            )
            if len(batch) == 1000:
                Article.objects.bulk_create(batch)
                batch = []
        Article.objects.bulk_create(batch)
        hist = [
            HistoricalArticle(
                id=a.pk,
                kind=a.kind,
                title=a.title,
                summary=a.summary,
                body=a.body,
                body_html=a.body_html,
                toc_html="",
                category_codes=[],
                tag_names=[],
                version=1,
                history_type="+",
                history_date=a.created_at,
                history_change_reason="bench",
            )
            for a in Article.objects.all()
        ]
        HistoricalArticle.objects.bulk_create(hist, batch_size=1000)
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE articles_article SET published_record_id = (SELECT h.history_id FROM "
                "articles_historicalarticle h WHERE h.id = articles_article.id)"
            )
    print(f"data: {N} articles of ~500 words built in {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    n = rebuild_index(processes=REBUILD_PROCESSES)  # as rebuild_search_index does
    took = time.perf_counter() - started
    index_dir = Path(data_dir) / "index"
    size = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())
    print(
        f"rebuild: {n} articles in {took:.1f} s = {n / took:.0f} articles/s; "
        f"index size {size / 2**20:.0f} MiB"
    )

    qrng = random.Random(11)
    queries = []
    for _ in range(QUERIES):
        words = [qrng.choice(vocab[30:3000]) for _ in range(qrng.randint(2, 3))]
        if qrng.random() < 0.2 and len(words[0]) > 5:  # a typo
            w = words[0]
            words[0] = w[:2] + w[3] + w[2] + w[4:]
        queries.append(" ".join(words))

    port = _free_port()
    env = dict(os.environ, KB_DEBUG="1", KB_HTTPS="0")
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "kb.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/api/v1/search/?q="
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        headers = {"Authorization": f"Token {token}"}
        for q in queries[:20]:  # warm both workers
            urllib.request.urlopen(urllib.request.Request(base + urllib.request.quote(q), headers=headers))
        times, counts = [], []
        for q in queries:
            t0 = time.perf_counter()
            with urllib.request.urlopen(
                urllib.request.Request(base + urllib.request.quote(q), headers=headers)
            ) as r:
                body = json.loads(r.read())
            times.append((time.perf_counter() - t0) * 1000)
            counts.append(body["count"])
        print(
            f"HTTP search ({QUERIES} queries, 2 gunicorn workers): p50 {_p(times, 0.5):.1f} ms, "
            f"p95 {_p(times, 0.95):.1f} ms, mean hits {statistics.mean(counts):.0f}"
        )
        kids = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        rss = [_rss_mb(int(k)) for k in kids]
        print("worker RSS: " + ", ".join(f"{r:.0f} MB" for r in rss))
    finally:
        server.terminate()
        server.wait(10)

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='unicode61')")
    db.executemany("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", texts)
    ftimes = []
    for q in queries:
        match = " OR ".join(f'"{w}"' for w in q.split())
        t0 = time.perf_counter()
        db.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 20", (match,)
        ).fetchall()
        db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()
        ftimes.append((time.perf_counter() - t0) * 1000)
    print(
        f"SQLite FTS5 reference (in process, same queries): p50 {_p(ftimes, 0.5):.1f} ms, "
        f"p95 {_p(ftimes, 0.95):.1f} ms; "
        f"kb/FTS5 p95 ratio {_p(times, 0.95) / max(_p(ftimes, 0.95), 1e-3):.1f}×"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kb-bench-search-") as tmp:
        env = dict(
            os.environ,
            KB_DATA_DIR=tmp,
            DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
            KB_DEBUG="1",
            KB_HTTPS="0",
            DJANGO_SETTINGS_MODULE="kb.settings",
            PYTHONUNBUFFERED="1",
        )
        env.pop("KB_SEARCH_BACKEND", None)
        print(f"search benchmark: {N} synthetic articles (whoosh backend, SQLite)")
        subprocess.run([sys.executable, __file__, "--inner", tmp], env=env, cwd=ROOT, check=False)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--inner":
        inner(sys.argv[2])
    else:
        main()
