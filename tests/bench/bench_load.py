"""Load benchmark (issues 6 §3 and 18): kb under a support floor's traffic, as ratios to a floor measured in
the same run, on one app server and on two behind nginx; and embedded SQLite under concurrent writers.

1. **One app server** (PostgreSQL): a fresh database ``kb_load``, the demo and ../shared/corpus, 32 people
   (8 leads, 24 specialists) with tokens, the search index; ``gunicorn -c deploy/gunicorn.conf.py`` with 2
   workers and production settings, one ``search_worker``. Then, with the same locust users and think time
   (``tests/bench/locustfile.py``):
   - the **floor**: bare Django serving one stored row of a real article page (``tests/bench/floor``) under
     the same gunicorn settings;
   - **kb**: 70 % search / 20 % article pages / 5 % resolutions / 5 % edits;
   each printed as req/s and p50/p95/p99, kb's as ratios to the floor's, with CPU ms per request per process
   group; then both again **without think time** (saturation throughput, and their ratio).
2. **Two app servers** (``KB_SEARCH_BACKEND=postgres``): two kb gunicorns (2 workers each) behind nginx,
   the floor likewise, the same mix and ratios: the path a team takes when it outgrows one machine.
3. **SQLite** (the embedded default): 4 writer processes through the real services; "database is locked".

Targets, printed and never asserted: kb throughput ≥ 0.85 × the floor's, kb p95 ≤ 15 × the floor's p95,
0 errors; 0 "database is locked".

Run: ``make bench ONLY=load``. Knobs: KB_LOAD_USERS (32), KB_LOAD_TIME (2m), KB_LOAD_SATURATION_TIME (1m),
KB_LOAD_SQLITE_SECONDS (120), KB_LOAD_PART (all | postgres | multi | sqlite, or a comma list),
KB_LOAD_SEARCH_BACKEND (whoosh | postgres, for part 1), KB_LOAD_PROFILE=1 (py-spy the workers during the
kb run and print where their threads wait and where the GIL holder spends its time).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench import cpu  # noqa: E402
from tests.bench.common import calibration_ms  # noqa: E402
from tests.bench.stack import VENV_BIN, Stack, percentile, running_stack  # noqa: E402

TARGET_RPS_RATIO = 0.85
TARGET_P95_RATIO = 15.0


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


def article_page_html(stack: Stack, seed: dict) -> str:
    """A real article page as a signed-in specialist gets it: what the floor stores and serves."""
    slug = seed["articles"][len(seed["articles"]) // 2]["slug"]
    return stack.python(
        "from django.test import Client\n"
        "from accounts.models import User\n"
        f"c = Client(); c.force_login(User.objects.get(username={seed['users'][-1]['username']!r}))\n"
        f"sys.stdout.write(c.get('/articles/{slug}/', HTTP_HOST='127.0.0.1').content.decode())\n"
    )


def run_locust(
    stack: Stack, seed: dict, *, host: str, user_class: str, users: int, run_time: str, think: bool,
    groups: dict, profile: bool = False,
) -> dict:  # fmt: skip
    """Run one scenario headless against ``host``; returns every request, the wall time and CPU per group."""
    data_file = stack.data_dir / "load-data.json"
    data_file.write_text(json.dumps(seed))
    log_file = stack.data_dir / f"requests-{user_class}-{int(time.time())}.jsonl"
    env = dict(stack.env, KB_LOAD_DATA=str(data_file), KB_LOAD_LOG=str(log_file))
    env["KB_LOAD_THINK"] = str(int(think))
    spawn_rate = 8
    server = "floor" if user_class == "FloorVisitor" else "kb"  # the group of the servers measured
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # locust's own CPU is the difference after it
    meter = cpu.CpuMeter(groups)
    meter.start()
    started = time.time()
    locust = subprocess.Popen(
        [
            str(VENV_BIN / "locust"), "-f", "tests/bench/locustfile.py", user_class, "--headless",
            "-u", str(users), "-r", str(spawn_rate), "-t", run_time, "--host", host,
            "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
        ],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    spies: list[subprocess.Popen] = []
    spy_dir = stack.data_dir / f"spy-{int(time.time())}"
    if profile:
        spy_dir.mkdir()
        time.sleep(users / spawn_rate + 5)  # profile the steady state only
        workers = [p for p in groups["kb gunicorn"]() if p not in {w.pid for w in stack.processes}]
        spies = cpu.start_profile(workers, 40, spy_dir)
    output, _ = locust.communicate(timeout=3600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.time() - started
    spent, share = meter.stop()
    for spy in spies:
        spy.wait(timeout=120)
    spent["locust"] = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    rows = [json.loads(line) for line in log_file.read_text().splitlines()] if log_file.exists() else []
    if not rows:
        print(output[-3000:])
    return {
        "rows": rows, "wall": wall, "steady_from": users / spawn_rate + 5, "cpu": spent, "busy": share,
        "profile": spy_dir if profile else None,
        "workers": meter.spread(next(g for g in groups if g.startswith(server))),
    }  # fmt: skip


def figures(rows: list, *, steady_from: float) -> dict:
    """Exact figures from every request after ramp-up (sign-ins left out: they are not the mix)."""
    if not rows:
        return {}
    first = min(r[0] for r in rows)
    work = [r for r in rows if "login" not in r[1] and r[0] >= first + steady_from]
    if not work:
        return {}
    start = min(r[0] for r in work)
    end = max(r[0] + r[3] / 1000 for r in work)
    times = [r[3] for r in work]
    return {
        "work": work,
        "seconds": end - start,
        "requests": len(work),
        "rps": len(work) / max(end - start, 1e-9),
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "errors": sum(1 for r in work if r[4]),
        "conflicts": sum(1 for r in work if "409 conflict" in r[1]),
    }


def print_figures(title: str, f: dict, *, by_request: bool = False) -> None:
    if not f:
        print(f"  {title}: no requests recorded")
        return
    print(
        f"  {title}: {f['requests']} requests in {f['seconds']:.0f} s: {f['rps']:.1f} req/s | "
        f"p50 {f['p50']:.1f} ms | p95 {f['p95']:.1f} ms | p99 {f['p99']:.1f} ms | errors {f['errors']}"
        + (f" | edit conflicts (409, expected) {f['conflicts']}" if f["conflicts"] else "")
    )
    if not by_request:
        return
    by_name: dict[str, list] = {}
    for r in f["work"]:
        by_name.setdefault(r[1], []).append(r)
    print(f"    {'request':50} {'count':>6} {'share':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}")
    for name, items in sorted(by_name.items(), key=lambda kv: -len(kv[1])):
        ts = [i[3] for i in items]
        print(
            f"    {name:50} {len(items):6d} {100 * len(items) / len(f['work']):5.1f}% "
            f"{percentile(ts, 50):6.0f} {percentile(ts, 95):6.0f} {percentile(ts, 99):6.0f} "
            f"{sum(1 for i in items if i[4]):6d}"
        )
    errors = [r for r in f["work"] if r[4]]
    if errors:
        print("    errors by request and status:", dict(Counter((e[1], e[2]) for e in errors).most_common(8)))


def print_ratios(kb: dict, floor: dict, *, think: bool) -> None:
    if not kb or not floor:
        return
    rps = kb["rps"] / floor["rps"]
    if think:
        p95 = kb["p95"] / max(floor["p95"], 1e-9)
        met = rps >= TARGET_RPS_RATIO and p95 <= TARGET_P95_RATIO and kb["errors"] == 0
        verdict = "met" if met else "NOT met"
        print(
            f"  ratios to the floor: throughput {rps:.2f} (target ≥ {TARGET_RPS_RATIO}) | "
            f"p50 {kb['p50'] / max(floor['p50'], 1e-9):.1f}× | "
            f"p95 {p95:.1f}× (target ≤ {TARGET_P95_RATIO:.0f}×) | "
            f"errors {kb['errors']} (target 0): targets {verdict}"
        )
    else:
        print(f"  saturation ratio: kb {kb['rps']:.1f} / floor {floor['rps']:.1f} req/s = {rps:.2f}")


def measure_pair(
    stack: Stack, seed: dict, *, kb_url: str, floor_url: str, users: int, run_time: str, think: bool,
    groups: dict, profile: bool = False, label: str = "",
) -> tuple[dict, dict]:  # fmt: skip
    """The floor, then kb, with the same users and think time; prints both and their ratios."""
    pace = "think time 50–300 ms" if think else "no think time (saturation)"
    print(f"  -- {label}{users} users, {run_time}, {pace}")
    results = {}
    for name, url, user_class in (("floor", floor_url, "FloorVisitor"), ("kb", kb_url, "SupportAgent")):
        # The machine's own speed just before each run: a slower machine inflates kb's figures far more
        # than the floor's, which a ratio cannot cancel (docs/reliability.md §7).
        print(f"    calibration before the {name} run: 20,000-lookup Python loop {calibration_ms():.1f} ms")
        run = run_locust(
            stack, seed, host=url, user_class=user_class, users=users, run_time=run_time, think=think,
            groups=groups, profile=profile and name == "kb",
        )  # fmt: skip
        f = figures(run["rows"], steady_from=run["steady_from"])
        print_figures(name, f, by_request=name == "kb" and think)
        if f:
            cpu.print_cpu(
                run["cpu"], run["busy"], requests=len(run["rows"]), seconds=run["wall"],
                workers=run["workers"],
            )  # fmt: skip
        if run["profile"]:
            cpu.print_profile(run["profile"])
        results[name] = f
    print_ratios(results["kb"], results["floor"], think=think)
    return results["kb"], results["floor"]


def server_report(stack: Stack) -> None:
    statuses = stack.access_statuses()
    server_errors = sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500)
    shown = dict(sorted(statuses.items(), key=str))
    print(f"    server side (gunicorn access log): {shown}; 5xx: {server_errors}")
    print(f"    kb warnings/errors logged during the run: {dict(stack.app_problems()) or 'none'}")
    time.sleep(3)  # the worker polls; give it a moment
    pending = stack.python(
        "from kb.search.models import SearchOutbox; print(SearchOutbox.objects.count())"
    ).strip()
    drift = stack.manage("check_search_index", "--dry-run", check=False).stdout.strip().splitlines()
    print(f"    outbox pending after the runs: {pending}; index check: {drift[-1] if drift else '?'}")


def _shape() -> str:
    workers = os.environ.get("KB_LOAD_WORKERS", "2")
    return f"{workers} workers × {os.environ.get('KB_LOAD_THREADS', '2')} threads"


def one_server(
    *, users: int, run_time: str, saturation_time: str, search_backend: str, profile: bool
) -> None:
    print(f"load / one app server: gunicorn {_shape()}, PostgreSQL, search {search_backend}")
    with running_stack("kb_load", search_backend=search_backend) as stack:
        seed = stack.prepare(people=users)
        stack.start_web()
        stack.start_worker()
        print(f"    /healthz before: {stack.wait_healthy()}")
        floor_url = f"http://127.0.0.1:{stack.start_floor(article_page_html(stack, seed))[0]}"
        warm_up(stack, seed)
        groups = {
            "kb gunicorn": lambda: cpu.tree(stack.web.pid) if stack.web else [],
            "floor gunicorn": lambda: cpu.tree(*(p.pid for p in stack.floor)),
            "search worker": lambda: cpu.tree(stack.worker.pid) if stack.worker else [],
            "postgres": lambda: cpu.named("postgres"),
        }
        for think, length in ((True, run_time), (False, saturation_time)):
            measure_pair(
                stack, seed, kb_url=stack.url, floor_url=floor_url, users=users, run_time=length,
                think=think, groups=groups, profile=profile and think,
            )  # fmt: skip
        server_report(stack)


def two_servers(*, users: int, run_time: str, saturation_time: str) -> None:
    print(f"load / two app servers behind nginx: 2 × gunicorn {_shape()}, PostgreSQL search")
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        print("    skipped: nginx is not installed (make bench installs it as root; apt-get install nginx)")
        return
    with running_stack("kb_load_multi", search_backend="postgres") as stack:
        seed = stack.prepare(people=users)
        stack.start_web()
        second = stack.start_more_web()
        stack.start_worker()
        kb_url = stack.start_proxy([stack.port, second])
        floor_ports = stack.start_floor(article_page_html(stack, seed), servers=2)
        floor_url = stack.start_proxy(floor_ports, probe="/floor/")
        warm_up(stack, seed)
        groups = {
            "kb gunicorns": lambda: cpu.tree(*(p.pid for p in [stack.web, *stack.more_web] if p)),
            "floor gunicorns": lambda: cpu.tree(*(p.pid for p in stack.floor)),
            "nginx": lambda: cpu.tree(*(p.pid for p in stack.proxies)),
            "search worker": lambda: cpu.tree(stack.worker.pid) if stack.worker else [],
            "postgres": lambda: cpu.named("postgres"),
        }
        for think, length in ((True, run_time), (False, saturation_time)):
            measure_pair(
                stack, seed, kb_url=kb_url, floor_url=floor_url, users=users, run_time=length, think=think,
                groups=groups, label="through nginx, ",
            )  # fmt: skip
        server_report(stack)


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
    saturation_time = os.environ.get("KB_LOAD_SATURATION_TIME", "1m")
    parts = set(os.environ.get("KB_LOAD_PART", "all").split(","))
    if parts & {"all", "postgres"}:
        one_server(
            users=users, run_time=run_time, saturation_time=saturation_time,
            search_backend=os.environ.get("KB_LOAD_SEARCH_BACKEND", "whoosh"),
            profile=os.environ.get("KB_LOAD_PROFILE") == "1",
        )  # fmt: skip
    if parts & {"all", "multi"}:
        two_servers(users=users, run_time=run_time, saturation_time=saturation_time)
    if parts & {"all", "sqlite"}:
        sqlite_writers(seconds=float(os.environ.get("KB_LOAD_SQLITE_SECONDS", "120")))


if __name__ == "__main__":
    main()
