"""Load benchmark (issue 6 §3): kb under a support floor's traffic, on PostgreSQL and on embedded SQLite.

1. PostgreSQL: creates the database ``kb_load`` (postgres@127.0.0.1:5432), migrates, loads the demo and
   imports ../shared/corpus, creates 32 people (8 leads, 24 specialists) with tokens, builds the search
   index, starts ``gunicorn -c deploy/gunicorn.conf.py kb.wsgi:application`` (2 workers, production
   settings: KB_DEBUG=0, collected static files) and one ``search_worker``, then runs locust headless:
   32 users for 2 minutes, 70 % search / 20 % article pages / 5 % resolutions / 5 % edits
   (``tests/bench/locustfile.py``). Prints req/s, p50/p95/p99 and errors (409 edit conflicts counted
   apart), server-side 5xx from the access log, and the outbox after the run. Drops ``kb_load``.
2. SQLite (the embedded default): 4 writer processes for 2 minutes through the real services
   (``tests/ops/test_sqlite_writers.py`` harness); prints writes, conflicts and "database is locked".

Targets (printed as reference, never asserted): ≥ 150 req/s, p95 ≤ 150 ms, 0 errors; 0 locked.

Run: ``make bench ONLY=load``. Knobs: KB_LOAD_USERS (32), KB_LOAD_TIME (2m), KB_LOAD_SQLITE_SECONDS (120),
KB_LOAD_PART (all | postgres | sqlite), KB_LOAD_SEARCH_BACKEND (whoosh | postgres).
``Stack`` (database + gunicorn + worker) is reused by ``bench_faults.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
PY = sys.executable
VENV_BIN = Path(PY).parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
CORPUS = ROOT.parent / "shared" / "corpus"

TARGET_RPS = 150
TARGET_P95_MS = 150


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class Stack:
    """A throw-away production-like kb: its own PostgreSQL database, data dir, gunicorn and search worker."""

    def __init__(self, dbname: str = "kb_load", *, workers: int = 2, search_backend: str = "whoosh"):
        self.dbname = dbname
        self.workers = workers
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"{dbname}-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = f"postgres://postgres@127.0.0.1:5432/{dbname}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("KB_", "PYTEST", "DJANGO_"))}
        self.env.update(
            DATABASE_URL=self.database_url,
            KB_DATA_DIR=str(self.data_dir),
            KB_DEBUG="0",
            KB_TESTING="0",
            KB_HTTPS="0",
            KB_SECRET_KEY="load-bench-secret-" + "s" * 40,
            KB_ALLOWED_HOSTS="127.0.0.1,localhost",
            KB_SEARCH_BACKEND=search_backend,
            KB_WORKERS=str(workers),
            KB_BIND=f"127.0.0.1:{self.port}",
            KB_LOG_LEVEL="WARNING",
        )
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.web_log = self.data_dir / "gunicorn.log"
        self.worker_log = self.data_dir / "search_worker.log"

    # -- database -----------------------------------------------------------------------------------

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.dbname}"')

    def drop_database(self) -> None:
        import psycopg

        for _ in range(20):  # PostgreSQL may still be restarting after a fault test
            try:
                with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
                return
            except psycopg.OperationalError:
                time.sleep(1)

    def manage(
        self, *args: str, timeout: float = 900, check: bool = True, bulk: bool = False
    ) -> subprocess.CompletedProcess[str]:
        """A management command in the stack's environment.

        ``bulk``: a data load whose index is rebuilt afterwards anyway; its per-article index updates go
        to the PostgreSQL search table instead of ~300 separate Whoosh commits (minutes on 2 cores).
        """
        env = dict(self.env, KB_SEARCH_BACKEND="postgres") if bulk else self.env
        return subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=check,
        )

    def collect_static(self) -> None:
        """collectstatic into a cache kept under var/ (compressing Swagger UI takes minutes), then copy."""
        cache = ROOT / "var" / "bench-static"
        cache.mkdir(parents=True, exist_ok=True)
        manifest = cache / "staticfiles" / "staticfiles.json"
        newest_source = max(
            (p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file()), default=0
        )
        if not manifest.exists() or manifest.stat().st_mtime < newest_source:
            subprocess.run(
                [PY, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT,
                env=dict(self.env, KB_DATA_DIR=str(cache)),
                check=True,
                timeout=1800,
            )
        shutil.copytree(cache / "staticfiles", self.data_dir / "staticfiles", dirs_exist_ok=True)

    def python(self, code: str, timeout: float = 300) -> str:
        """Run Django code in the stack's environment; returns its standard output."""
        prelude = (
            "import os, sys, json; sys.path.insert(0, os.getcwd()); "
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kb.settings'); import django; django.setup()\n"
        )
        done = subprocess.run(
            [PY, "-c", prelude + code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"stack python failed: {done.stderr[-3000:]}")
        return done.stdout

    def prepare(self, *, corpus: bool = True, people: int = 32) -> dict:
        """Migrate, load demo + corpus, create people with tokens, build the index; returns the seed data."""
        steps: list[tuple[str, float]] = []
        t = time.monotonic()
        self.create_database()
        self.manage("migrate", "--noinput", "-v0")
        steps.append(("migrate", time.monotonic() - t))
        t = time.monotonic()
        self.collect_static()
        steps.append(("collectstatic", time.monotonic() - t))
        t = time.monotonic()
        self.manage("kb_demo", bulk=True)
        steps.append(("kb_demo", time.monotonic() - t))
        seed = json.loads(self.python(_SEED_CODE.replace("PEOPLE", str(people))).strip().splitlines()[-1])
        if corpus and CORPUS.is_dir():
            t = time.monotonic()
            imported = self.manage(
                "kb_import", str(CORPUS), "--owner", seed["importer"], check=False, bulk=True
            )
            steps.append(("kb_import", time.monotonic() - t))
            print("   ", (imported.stdout.strip().splitlines() or ["kb_import: no output"])[-1])
            seed = json.loads(self.python(_SEED_CODE.replace("PEOPLE", "0")).strip().splitlines()[-1]) | {
                "users": seed["users"]
            }
        t = time.monotonic()
        self.manage("rebuild_search_index")
        self.python("from kb.search.models import SearchOutbox; SearchOutbox.objects.all().delete()")
        steps.append(("rebuild_search_index", time.monotonic() - t))
        print("    setup:", ", ".join(f"{name} {secs:.0f} s" for name, secs in steps))
        print(f"    data: {len(seed['articles'])} readable published articles, {len(seed['users'])} people")
        return seed

    # -- processes ----------------------------------------------------------------------------------

    def start_web(self) -> None:
        log = open(self.web_log, "ab")  # noqa: SIM115 - closed when the process is reaped
        self.web = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "kb.wsgi:application"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_healthy(allow_degraded=True)

    def start_worker(self) -> None:
        log = open(self.worker_log, "ab")  # noqa: SIM115
        self.worker = subprocess.Popen(
            [PY, "manage.py", "search_worker"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, *, timeout: float = 60, allow_degraded: bool = False) -> dict:
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            try:
                status, body = self.get("/healthz", timeout=3)
                if status == 200 or (allow_degraded and status == 503):
                    return json.loads(body)
                last = (status, body)
            except Exception as exc:  # not listening yet
                last = exc
            time.sleep(0.3)
        raise RuntimeError(f"kb did not become healthy on {self.url}: {last}")

    def get(self, path: str, *, token: str | None = None, timeout: float = 10) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path)
        if token:
            request.add_header("Authorization", f"Token {token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def gunicorn_worker_pids(self) -> list[int]:
        if not self.web:
            return []
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.web.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        for proc in (self.web, self.worker):
            if proc and proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in (self.web, self.worker):
            if proc:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)

    def access_statuses(self) -> Counter:
        """HTTP statuses from gunicorn's JSON access log (the server's own view of the run)."""
        return self._server_log()[0]

    def app_problems(self) -> Counter:
        """kb's own WARNING/ERROR log lines during the run, by level and message."""
        return self._server_log()[1]

    def _server_log(self) -> tuple[Counter, Counter]:
        statuses: Counter = Counter()
        problems: Counter = Counter()
        if not self.web_log.exists():
            return statuses, problems
        for line in self.web_log.read_text(errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if not isinstance(entry, dict):
                continue
            if "status" in entry and "path" in entry:  # gunicorn's access log line
                statuses[int(entry["status"])] += 1
            elif entry.get("level") in {"WARNING", "ERROR", "CRITICAL"}:
                problems[f"{entry['level']} {entry.get('message', '')[:80]}"] += 1
        return statuses, problems

    def close(self) -> None:
        self.stop()
        self.drop_database()
        shutil.rmtree(self.data_dir, ignore_errors=True)


@contextlib.contextmanager
def running_stack(dbname: str, **kwargs) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    stack = Stack(dbname, **kwargs)
    try:
        yield stack
    finally:
        stack.close()


# Runs inside the stack's environment: people with tokens and what the scenario may touch.
_SEED_CODE = r"""
from accounts.models import Role, Team, User
from accounts.services import issue_token, upsert_user
from kb.articles.access import readable_published_articles
from kb.articles.models import Category
teams = list(Team.objects.values_list("name", flat=True))
people = []
for i in range(PEOPLE):
    role = Role.LEAD if i % 4 == 0 else Role.SPECIALIST
    username = f"load{i:02d}"
    password = f"load-pass-{i:02d}-horse"
    user, _ = upsert_user(username=username, role=role, teams=teams, password=password)
    token = issue_token(user=user)
    people.append({"username": username, "password": password, "role": str(role), "token": token})
importer, _ = upsert_user(username="load-importer", role=Role.LEAD, teams=teams)
reader = User.objects.filter(username__startswith="load", role=Role.SPECIALIST).first() or importer
arts = list(readable_published_articles(reader).order_by("pk").values("id", "slug"))
print(json.dumps({
    "users": people,
    "importer": importer.username,
    "articles": arts,
    "editable": [a["id"] for a in arts[:: max(1, len(arts) // 12)]][:12],
    "categories": list(Category.objects.values_list("code", flat=True)),
}))
"""


def warm_up(stack: Stack, seed: dict, rounds: int = 24) -> None:
    """A few requests per worker first, so imports and the index open are not counted as load."""
    token = seed["users"][-1]["token"]
    started = time.monotonic()
    for i in range(rounds):
        stack.get("/api/v1/search/?q=password+reset", token=token, timeout=60)
        stack.get(
            f"/api/v1/articles/{seed['articles'][i % len(seed['articles'])]['id']}/", token=token, timeout=60
        )
    print(f"    warm-up: {2 * rounds} requests in {time.monotonic() - started:.1f} s")


def run_locust(stack: Stack, seed: dict, *, users: int, run_time: str) -> dict:
    """Run the scenario headless against the stack; returns the per-request log summary."""
    data_file = stack.data_dir / "load-data.json"
    data_file.write_text(json.dumps(seed))
    log_file = stack.data_dir / "requests.jsonl"
    env = dict(stack.env, KB_LOAD_DATA=str(data_file), KB_LOAD_LOG=str(log_file))
    spawn_rate = 8
    started = time.time()
    done = subprocess.run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            "tests/bench/locustfile.py",
            "--headless",
            "-u",
            str(users),
            "-r",
            str(spawn_rate),
            "-t",
            run_time,
            "--host",
            stack.url,
            "--csv",
            str(stack.data_dir / "locust"),
            "--only-summary",
            "--stop-timeout",
            "10",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    wall = time.time() - started
    rows = [json.loads(line) for line in log_file.read_text().splitlines()] if log_file.exists() else []
    if not rows:
        print(done.stdout[-3000:], done.stderr[-3000:])
    return {"rows": rows, "wall": wall, "spawn_seconds": users / spawn_rate, "locust_rc": done.returncode}


def summarize(rows: list, *, title: str) -> dict:
    """Exact figures from every request the scenario made (sign-ins left out: they are not the mix)."""
    work = [r for r in rows if "login" not in r[1]]
    if not work:
        print(f"  {title}: no requests recorded")
        return {}
    start = min(r[0] for r in work)
    end = max(r[0] + r[3] / 1000 for r in work)
    times = [r[3] for r in work]
    errors = [r for r in work if r[4]]
    conflicts = [r for r in work if "409 conflict" in r[1]]
    rps = len(work) / max(end - start, 1e-9)
    out = {
        "requests": len(work),
        "rps": rps,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "errors": len(errors),
        "conflicts": len(conflicts),
    }
    print(f"  {title}: {len(work)} requests in {end - start:.0f} s")
    print(
        f"    throughput {rps:.1f} req/s (target ≥ {TARGET_RPS}) | p50 {out['p50']:.0f} ms | "
        f"p95 {out['p95']:.0f} ms (target ≤ {TARGET_P95_MS}) | p99 {out['p99']:.0f} ms | "
        f"errors {len(errors)} (target 0) | edit conflicts (409, expected) {len(conflicts)}"
    )
    by_name: dict[str, list] = {}
    for r in work:
        by_name.setdefault(r[1], []).append(r)
    print(f"    {'request':50} {'count':>6} {'share':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}")
    for name, items in sorted(by_name.items(), key=lambda kv: -len(kv[1])):
        ts = [i[3] for i in items]
        print(
            f"    {name:50} {len(items):6d} {100 * len(items) / len(work):5.1f}% {percentile(ts, 50):6.0f} "
            f"{percentile(ts, 95):6.0f} {percentile(ts, 99):6.0f} {sum(1 for i in items if i[4]):6d}"
        )
    if errors:
        kinds = Counter((e[1], e[2]) for e in errors)
        print("    errors by request and status:", dict(kinds.most_common(8)))
    return out


def postgres_load(*, users: int, run_time: str, search_backend: str) -> None:
    print(f"load / PostgreSQL: gunicorn 2 workers, {users} users for {run_time}, search {search_backend}")
    with running_stack("kb_load", search_backend=search_backend) as stack:
        seed = stack.prepare(people=users)
        stack.start_web()
        stack.start_worker()
        health = stack.wait_healthy()
        print(f"    /healthz before: {health}")
        warm_up(stack, seed)
        result = run_locust(stack, seed, users=users, run_time=run_time)
        rows = result["rows"]
        summarize(rows, title="whole run (ramp-up included)")
        if rows:
            steady_from = min(r[0] for r in rows) + result["spawn_seconds"] + 5
            summarize([r for r in rows if r[0] >= steady_from], title="steady state (after ramp-up + 5 s)")
        statuses = stack.access_statuses()
        server_errors = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500)
        shown = dict(sorted(statuses.items(), key=str))
        print(f"    server side (gunicorn access log): {shown}; 5xx: {server_errors}")
        problems = stack.app_problems()
        print(f"    kb warnings/errors logged during the run: {dict(problems) or 'none'}")
        time.sleep(3)  # the worker polls; give it a moment
        _, body = stack.get("/healthz")
        print(f"    /healthz after: {body}")
        pending = stack.python(
            "from kb.search.models import SearchOutbox; print(SearchOutbox.objects.count())"
        ).strip()
        drift = stack.manage("check_search_index", "--dry-run", check=False).stdout.strip().splitlines()
        print(f"    outbox pending after the run: {pending}; index check: {drift[-1] if drift else '?'}")
        stack.stop()


def sqlite_writers(*, seconds: float) -> None:
    from tests.ops.test_sqlite_writers import prepare_database, run_writers, stored_counts

    print(f"load / SQLite (WAL, busy timeout, IMMEDIATE): 4 writer processes for {seconds:.0f} s")
    with tempfile.TemporaryDirectory(prefix="kb-sqlite-load-") as tmp:
        data_dir = Path(tmp)
        db_path = data_dir / "kb.sqlite3"
        prepare_database(db_path, data_dir)
        before = stored_counts(db_path, data_dir)
        totals = run_writers(db_path, data_dir, writers=4, seconds=seconds)
        after = stored_counts(db_path, data_dir)
        ops = sum(w.get("ops", 0) for w in totals.per_writer)
        op_time = sum(w.get("total_op_s", 0.0) for w in totals.per_writer)
        print(
            f"    writes {totals.writes} (saves {totals.saves}, publishes {totals.publishes}, "
            f"resolutions {totals.resolutions}), version conflicts {totals.conflicts}, "
            f"'database is locked' {totals.locked} (target 0), other errors {len(totals.errors)}"
        )
        print(
            f"    {ops / max(totals.seconds, 1e-9):.1f} operations/s over {totals.seconds:.0f} s; "
            f"mean {1000 * op_time / max(ops, 1):.0f} ms, slowest "
            f"{1000 * max((w.get('max_op_s', 0) for w in totals.per_writer), default=0):.0f} ms per operation"
        )
        lost = (after["versions"] - before["versions"]) - totals.saves
        print(
            f"    stored: {after['versions'] - before['versions']} new versions for {totals.saves} saves "
            f"(lost: {lost}); {after['resolutions']} resolution records for "
            f"{len(totals.resolution_pairs)} distinct (ticket, article) pairs"
        )
        for err in totals.errors[:5]:
            print("    error:", err)


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    users = int(os.environ.get("KB_LOAD_USERS", "32"))
    run_time = os.environ.get("KB_LOAD_TIME", "2m")
    part = os.environ.get("KB_LOAD_PART", "all")
    if part in {"all", "postgres"}:
        postgres_load(
            users=users, run_time=run_time, search_backend=os.environ.get("KB_LOAD_SEARCH_BACKEND", "whoosh")
        )
    if part in {"all", "sqlite"}:
        sqlite_writers(seconds=float(os.environ.get("KB_LOAD_SQLITE_SECONDS", "120")))


if __name__ == "__main__":
    main()
