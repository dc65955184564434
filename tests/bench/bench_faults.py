"""Fault benchmark (issue 6 §4): break a running production-like kb and count what users and data suffer.

Each scenario uses ``bench_load.Stack`` (its own PostgreSQL database ``kb_faults``, gunicorn with 2
workers under production settings, one ``search_worker``) and prints figures; nothing is asserted.

1. kill -9 during saves: 6 editors PATCH + publish their own article in a loop while a gunicorn worker
   is killed -9 three times and the search worker once. Afterwards: every save that got a 2xx is in
   the database (version and title), and after ``search_worker --once`` every published version is in
   the index (``check_search_index --dry-run`` → drift 0), outbox empty.
2. index folder deleted, then corrupted, under a live server: /healthz (503 expected), search answers
   (fallback, no 5xx), ``rebuild_search_index`` restores /healthz 200 in every worker.
3. PostgreSQL restarted during load (``pg_ctlcluster --skip-systemctl-redirect 15 main restart``):
   errors and the slowest request during the window, time until requests succeed again, and /healthz
   200 afterwards without restarting kb (CONN_HEALTH_CHECKS).
4. index disk full: the index folder is a tmpfs just big enough for the current index; saves go on,
   the outbox keeps the rows (last_error), then the tmpfs is enlarged and the outbox drains, drift 0.

5. backup and restore (docs/deploy.md): ``scripts/backup.py backup``, then the database is dropped and
   recreated empty, uploads and index deleted; ``scripts/backup.py restore`` → same row counts, the
   upload back, index rebuilt (drift 0), /healthz 200.

Run: ``make bench ONLY=faults``. ``KB_FAULTS=kill,index,pg,disk,backup`` picks scenarios.
Scenario 3 restarts the machine's PostgreSQL for a second or two: other users of it see that too.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.stack import Stack, percentile  # noqa: E402

EDITORS = 6


def _request(stack: Stack, method: str, path: str, token: str, body: dict | None = None, timeout: float = 30):
    """(status or 0 on a connection error, parsed JSON or error text, seconds)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(stack.url + path, data=data, method=method)
    req.add_header("Authorization", f"Token {token}")
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read().decode()
            return resp.status, (json.loads(raw) if raw else None), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        raw = exc.read().decode(errors="replace")
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = raw[:200]
        return exc.code, parsed, time.monotonic() - started
    except Exception as exc:  # connection reset by a killed worker, timeout, refused
        return 0, f"{type(exc).__name__}: {exc}"[:200], time.monotonic() - started


def _seed(stack: Stack) -> dict:
    """Stack with the demo, a few people, an index; returns tokens and one editable article per editor."""
    seed = stack.prepare(corpus=False, people=8)
    lead = next(u for u in seed["users"] if u["role"] == "lead")
    reader = next(u for u in seed["users"] if u["role"] == "specialist")
    return {"lead": lead["token"], "reader": reader["token"], "articles": seed["articles"]}


def _check_index(stack: Stack) -> str:
    out = stack.manage("check_search_index", "--dry-run", check=False).stdout.strip().splitlines()
    return out[-1] if out else "?"


def _pending(stack: Stack) -> str:
    return stack.python(
        "from kb.search.models import SearchOutbox as O\n"
        "rows = list(O.objects.values_list('attempts', 'last_error'))\n"
        "print(json.dumps({'pending': len(rows), 'with_error': sum(1 for a, e in rows if e),"
        " 'example_error': next((e[:120] for a, e in rows if e), '')}))"
    ).strip()


# --- 1. kill -9 during saves -----------------------------------------------------------------------------


def kill_during_saves(stack: Stack, data: dict, seconds: float = 24.0) -> None:
    print("faults / kill -9 during saves")
    try:
        stack.start_web()
        stack.start_worker()
        stop = threading.Event()
        acked: list[tuple[int, int, str]] = []  # (article, version, title) that got a 2xx
        outcomes: Counter = Counter()
        lock = threading.Lock()

        def editor(article_id: int, n_editor: int) -> None:
            n = 0
            while not stop.is_set():
                n += 1
                status, body, _ = _request(
                    stack, "GET", f"/api/v1/articles/{article_id}/?version=latest", data["lead"]
                )
                if status != 200:
                    with lock:
                        outcomes[f"read {status}"] += 1
                    continue
                title = f"Kill test editor {n_editor} save {n}"
                status, body, _ = _request(
                    stack,
                    "PATCH",
                    f"/api/v1/articles/{article_id}/",
                    data["lead"],
                    {"base_version": body["latest_version"], "change_note": "kill -9 test", "title": title},
                )
                with lock:
                    outcomes[f"save {status}"] += 1
                if status != 200:
                    continue
                version = body["latest_version"]
                with lock:
                    acked.append((article_id, version, title))
                status, _, _ = _request(
                    stack,
                    "POST",
                    f"/api/v1/articles/{article_id}/publish/",
                    data["lead"],
                    {"version": version, "material": False},
                )
                with lock:
                    outcomes[f"publish {status}"] += 1

        threads = [
            threading.Thread(target=editor, args=(a["id"], i), daemon=True)
            for i, a in enumerate(data["articles"][:EDITORS])
        ]
        for t in threads:
            t.start()
        kills = []
        began = time.monotonic()
        for n, at in enumerate((seconds * 0.2, seconds * 0.45, seconds * 0.7)):
            time.sleep(max(0.0, began + at - time.monotonic()))
            pids = stack.gunicorn_worker_pids()
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                kills.append(f"gunicorn worker {pids[0]} at {at:.0f} s")
            if n == 1 and stack.worker and stack.worker.poll() is None:
                os.killpg(stack.worker.pid, signal.SIGKILL)
                kills.append(f"search_worker at {at:.0f} s (restarted 2 s later, as systemd does)")
                time.sleep(2)
                stack.start_worker()
        time.sleep(seconds * 0.3)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        print(f"    killed -9: {', '.join(kills)}")
        print(f"    outcomes: {dict(sorted(outcomes.items()))}")
        print(f"    saves acknowledged (2xx): {len(acked)}")
        check = stack.python(
            "from kb.articles.models import HistoricalArticle as H\n"
            f"acked = {json.dumps(acked)}\n"
            "gone = [a for a in acked if not H.objects.filter(id=a[0], version=a[1], title=a[2]).exists()]\n"
            "print(json.dumps({'checked': len(acked), 'missing': len(gone), 'examples': gone[:5]}))"
        ).strip()
        print(f"    in the database: {check}")
        print(f"    outbox right after: {_pending(stack)}; index: {_check_index(stack)}")
        # The running worker retries failed rows with a back-off of at most 60 s.
        started = time.monotonic()
        while time.monotonic() - started < 90 and json.loads(_pending(stack))["pending"]:
            time.sleep(3)
        waited = time.monotonic() - started
        print(f"    after {waited:.0f} s: outbox {_pending(stack)}; index: {_check_index(stack)}")
        applied = stack.manage("search_worker", "--once", check=False).stdout.strip()
        print(
            f"    search_worker --once: {applied}; outbox now {_pending(stack)}; index: {_check_index(stack)}"
        )
        _, health = stack.get("/healthz")
        print(f"    /healthz: {health}")
    finally:
        stack.stop()


# --- 2. index deleted / corrupted under a live server --------------------------------------------------


def _probe(stack: Stack, token: str, n: int = 10) -> dict:
    health = Counter()
    search = Counter()
    notices = 0
    for _ in range(n):
        status, body = stack.get("/healthz")
        health[(status, json.loads(body).get("search", "?")[:60] if body.startswith("{") else body[:60])] += 1
        s_status, s_body, _ = _request(stack, "GET", "/api/v1/search/?q=password+reset", token)
        search[s_status] += 1
        if s_status == 200 and s_body.get("notice"):
            notices += 1
    return {"healthz": dict(health), "search": dict(search), "search_with_notice": notices}


def index_damage(stack: Stack, data: dict) -> None:
    print("faults / index folder deleted, then corrupted, under a live server")
    try:
        stack.start_web()
        stack.start_worker()
        index = stack.data_dir / "index"
        print(f"    healthy: {_probe(stack, data['reader'])}")
        shutil.rmtree(index)
        print(f"    index folder deleted: {_probe(stack, data['reader'])}")
        started = time.monotonic()
        out = stack.manage("rebuild_search_index", check=False)
        print(
            f"    rebuild_search_index ({time.monotonic() - started:.1f} s, rc {out.returncode}): "
            f"{_probe(stack, data['reader'])}"
        )
        build = index / (index / "current").read_text().strip()
        for path in build.iterdir():
            if path.is_file() and not path.name.endswith(".json"):
                path.write_bytes(b"\x00corrupt\xff" * 128)
        print(f"    index files overwritten with garbage: {_probe(stack, data['reader'])}")
        stack.stop()
        stack.start_web()
        stack.start_worker()
        probe = _probe(stack, data["reader"])
        print(f"    ... after restarting gunicorn (fresh processes open the index): {probe}")
        out = stack.manage("rebuild_search_index", check=False)
        print(f"    rebuild_search_index (rc {out.returncode}): {_probe(stack, data['reader'])}")
        server_5xx = sum(n for s, n in stack.access_statuses().items() if isinstance(s, int) and s >= 500)
        print(
            f"    5xx in the access log over the scenario (healthz 503 excluded): "
            f"{server_5xx - _count_503_healthz(stack)}"
        )
    finally:
        stack.stop()


def _count_503_healthz(stack: Stack) -> int:
    n = 0
    for line in stack.web_log.read_text(errors="replace").splitlines():
        if line.startswith('{"time"') and '"path":"/healthz"' in line and '"status":503' in line:
            n += 1
    return n


# --- 3. PostgreSQL restarted during load ---------------------------------------------------------------


def _pg_version() -> str:
    versions = (
        sorted(p.name for p in Path("/etc/postgresql").iterdir()) if Path("/etc/postgresql").is_dir() else []
    )
    return versions[-1] if versions else "15"


def pg_restart(stack: Stack, data: dict, seconds: float = 30.0, restart_at: float = 8.0) -> None:
    version = _pg_version()
    print(f"faults / PostgreSQL {version} restarted during load")
    try:
        stack.start_web()
        stack.start_worker()
        articles = [a["id"] for a in data["articles"][:20]]
        log: list[tuple[float, float, int, str]] = []  # (start, seconds, status, path)
        lock = threading.Lock()
        stop = threading.Event()
        t0 = time.monotonic()

        def client(i: int) -> None:
            n = 0
            while not stop.is_set():
                n += 1
                if n % 3:
                    path = "/api/v1/search/?q=account+security"
                else:
                    path = f"/api/v1/articles/{articles[n % len(articles)]}/"
                began = time.monotonic() - t0
                status, _, took = _request(stack, "GET", path, data["reader"], timeout=60)
                with lock:
                    log.append((began, took, status, path.split("?")[0]))

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(8)]
        for t in threads:
            t.start()
        time.sleep(restart_at)
        r_start = time.monotonic() - t0
        done = subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        r_end = time.monotonic() - t0
        time.sleep(max(0.0, seconds - r_end))
        stop.set()
        for t in threads:
            t.join(timeout=90)
        print(f"    restart took {r_end - r_start:.1f} s (rc {done.returncode} {done.stderr.strip()[:120]})")
        before = [e for e in log if e[0] < r_start]
        during = [e for e in log if r_start <= e[0] <= r_end + 1]
        after = [e for e in log if e[0] > r_end + 1]
        for name, part in (("before", before), ("restart window", during), ("after", after)):
            statuses = Counter(e[2] for e in part)
            times = [e[1] * 1000 for e in part]
            print(
                f"    {name:15} {len(part):5d} requests, statuses {dict(statuses)}, "
                f"p50 {percentile(times, 50):.0f} ms, max {max(times, default=0):.0f} ms"
            )
        failed_after = [e for e in log if e[0] > r_start and e[2] != 200]
        last_fail = max((e[0] + e[1] for e in failed_after), default=r_start)
        print(
            f"    last failed request ended {last_fail - r_end:+.1f} s after the restart finished; "
            f"slowest request overall {max((e[1] for e in log), default=0):.1f} s (no hang if ≪ 30 s)"
        )
        status, body = stack.get("/healthz")
        print(f"    /healthz afterwards, kb not restarted: {status} {body}")
    finally:
        stack.stop()


# --- 4. index disk full ----------------------------------------------------------------------------------


def disk_full(stack: Stack, data: dict, saves: int = 12) -> None:
    print("faults / index disk full (tmpfs just big enough for the current index)")
    mounted = False
    index = stack.data_dir / "index"
    try:
        used = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
        keep = stack.data_dir / "index-copy"
        shutil.copytree(index, keep)
        shutil.rmtree(index)
        index.mkdir()
        size_kb = used // 1024 + 48
        mount = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(index)],
            capture_output=True,
            text=True,
        )
        if mount.returncode != 0:
            print(f"    skipped: cannot mount a tmpfs here ({mount.stderr.strip()[:120]})")
            shutil.rmtree(index)
            shutil.copytree(keep, index)
            return
        mounted = True
        for item in keep.iterdir():
            if item.is_dir():
                shutil.copytree(item, index / item.name)
            else:
                shutil.copy2(item, index / item.name)
        # Fill what is left so the next segment write fails.
        with contextlib.suppress(OSError), open(index / "filler", "wb") as fh:
            while True:
                fh.write(b"\0" * 4096)
        print(f"    index {used // 1024} KiB on a {size_kb} KiB tmpfs, filled up")
        stack.start_web()
        stack.start_worker()
        statuses: Counter = Counter()
        acked = []
        for n, article in enumerate(data["articles"][:saves]):
            status, body, _ = _request(
                stack, "GET", f"/api/v1/articles/{article['id']}/?version=latest", data["lead"]
            )
            status, body, _ = _request(
                stack,
                "PATCH",
                f"/api/v1/articles/{article['id']}/",
                data["lead"],
                {
                    "base_version": body["latest_version"],
                    "change_note": "disk full",
                    "title": f"Disk full {n}",
                },
            )
            statuses[f"save {status}"] += 1
            if status == 200:
                p_status, _, _ = _request(
                    stack,
                    "POST",
                    f"/api/v1/articles/{article['id']}/publish/",
                    data["lead"],
                    {"version": body["latest_version"], "material": False},
                )
                statuses[f"publish {p_status}"] += 1
                acked.append((article["id"], body["latest_version"]))
        time.sleep(3)
        print(f"    while full: {dict(statuses)}; outbox {_pending(stack)}")
        _, health = stack.get("/healthz")
        print(f"    /healthz while full: {health}")
        (index / "filler").unlink()
        subprocess.run(["mount", "-o", "remount,size=64m", str(index)], check=True)
        started = time.monotonic()
        pending = None
        while time.monotonic() - started < 150:
            pending = json.loads(_pending(stack))["pending"]
            if pending == 0:
                break
            time.sleep(3)
        print(
            f"    space back: outbox drained to {pending} in {time.monotonic() - started:.0f} s "
            "(retry back-off ≤ 60 s)"
        )
        print(f"    index: {_check_index(stack)}")
    finally:
        stack.stop()
        if mounted:
            subprocess.run(["umount", "-l", str(index)], check=False)


# --- 5. backup and restore onto an empty database ------------------------------------------------------


def backup_restore(stack: Stack, data: dict) -> None:
    """The restore procedure of docs/deploy.md, run for real: backup, lose everything, restore, verify."""
    print("faults / backup, total loss (database dropped, uploads and index deleted), restore")
    try:
        uploads = stack.data_dir / "uploads"
        uploads.mkdir(exist_ok=True)
        (uploads / "escalation-flow.png").write_bytes(b"\x89PNG kb backup probe")
        census = (
            "from kb.articles.models import Article, HistoricalArticle, Publication\n"
            "from accounts.models import User\n"
            "from kb.tickets.models import Ticket, Resolution\n"
            "print(json.dumps({'articles': Article.objects.count(),"
            " 'versions': HistoricalArticle.objects.count(),"
            " 'publications': Publication.objects.count(), 'users': User.objects.count(),"
            " 'tickets': Ticket.objects.count(), 'resolutions': Resolution.objects.count()}))"
        )
        before = stack.python(census).strip()
        backups = stack.data_dir / "backups"
        done = subprocess.run(
            [sys.executable, "scripts/backup.py", "backup", str(backups)],
            cwd=ROOT,
            env=stack.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        archive = Path(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
        print(
            f"    backup: rc {done.returncode}, {archive.name if archive else done.stderr[-300:]}, "
            f"{archive.stat().st_size // 1024 if archive else 0} KiB"
        )
        if archive is None:
            return
        stack.drop_database()
        stack.create_database()
        shutil.rmtree(uploads)
        shutil.rmtree(stack.data_dir / "index", ignore_errors=True)
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "scripts/backup.py", "restore", str(archive)],
            cwd=ROOT,
            env=stack.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        print(
            f"    restore: rc {done.returncode} in {time.monotonic() - started:.0f} s: "
            f"{(done.stdout.strip().splitlines() or [done.stderr[-300:]])[-1]}"
        )
        after = stack.python(census).strip()
        same = "identical" if after == before else "DIFFERENT"
        print(f"    before {before}\n    after  {after} → {same}")
        restored = (uploads / "escalation-flow.png").read_bytes() == b"\x89PNG kb backup probe"
        print(f"    upload restored: {restored}; index: {_check_index(stack)}")
        stack.start_web()
        status, body = stack.get("/healthz")
        print(f"    /healthz after restore: {status} {body}")
    finally:
        stack.stop()


def main() -> None:
    """One stack for all scenarios (setting one up takes minutes); each starts from a healthy kb."""
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    chosen = os.environ.get("KB_FAULTS", "kill,index,disk,pg,backup").split(",")
    scenarios = (  # backup last: it drops and restores the database
        ("kill", kill_during_saves),
        ("index", index_damage),
        ("disk", disk_full),
        ("pg", pg_restart),
        ("backup", backup_restore),
    )
    stack = Stack("kb_faults")
    try:
        data = _seed(stack)
        for name, fn in scenarios:
            if name not in chosen:
                continue
            started = time.monotonic()
            stack.stop()
            stack.manage("rebuild_search_index", check=False)
            stack.python("from kb.search.models import SearchOutbox; SearchOutbox.objects.all().delete()")
            stack.web_log.unlink(missing_ok=True)
            try:
                fn(stack, data)
            except Exception as exc:  # one broken scenario must not hide the others' figures
                print(f"    scenario {name} failed to run: {type(exc).__name__}: {exc}")
            print(f"    ({time.monotonic() - started:.0f} s)")
    finally:
        stack.close()


if __name__ == "__main__":
    main()
