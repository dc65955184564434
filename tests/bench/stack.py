"""A throw-away production-like kb for the load and fault benchmarks: its own PostgreSQL database, data
folder, gunicorn servers and search worker, and the means to read what each process spent.

``Stack`` prepares the data (demo, ../shared/corpus, people with tokens, index) and starts the servers;
``bench_load.py`` and ``bench_faults.py`` drive it. Nothing here measures: it only builds and observes.
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

from tests.bench import common  # noqa: E402

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
    """``common.percentile`` with ``p`` in percent, and NaN for no values (a run that answered nothing)."""
    return common.percentile(values, p / 100) if values else float("nan")


class Stack:
    """A throw-away production-like kb: its own PostgreSQL database, data dir, gunicorn and search worker."""

    def __init__(self, dbname: str = "kb_load", *, workers: int = 0, search_backend: str = "whoosh"):
        workers = workers or int(os.environ.get("KB_LOAD_WORKERS", "2"))
        self.dbname = dbname
        self.workers = workers
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"{dbname}-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = f"postgres://postgres@127.0.0.1:5432/{dbname}"
        # The caller's KB_ settings are left out (the stack is production-like on its own), except the
        # database connection options (KB_DB_*), which a benchmark may compare.
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("KB_", "PYTEST", "DJANGO_")) or k.startswith("KB_DB_")
        }
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
            KB_THREADS=os.environ.get("KB_LOAD_THREADS", "2"),
            KB_BIND=f"127.0.0.1:{self.port}",
            KB_LOG_LEVEL="WARNING",
        )
        if "KB_LOAD_KEEPALIVE" in os.environ:  # seconds gunicorn keeps an idle connection (0: none)
            self.env["KB_KEEPALIVE"] = os.environ["KB_LOAD_KEEPALIVE"]
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.more_web: list[subprocess.Popen] = []  # further kb servers behind a proxy
        self.floor: list[subprocess.Popen] = []  # the floor's servers
        self.proxies: list[subprocess.Popen] = []
        self.processes: list[subprocess.Popen] = []  # everything started, for stop()
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

    def python(self, code: str, timeout: float = 300, stdin: str | None = None) -> str:
        """Run Django code in the stack's environment; returns its standard output."""
        prelude = (
            "import os, sys, json; sys.path.insert(0, os.getcwd()); "
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kb.settings'); import django; django.setup()\n"
        )
        done = subprocess.run(
            [PY, "-c", prelude + code],
            cwd=ROOT,
            env=self.env,
            input=stdin,
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

    def _gunicorn(
        self, app: str, *, port: int, log: Path, env: dict[str, str] | None = None
    ) -> subprocess.Popen:
        """A gunicorn with kb's own settings file (deploy/gunicorn.conf.py), whatever the application."""
        out = open(log, "ab")  # noqa: SIM115 - closed when the process is reaped
        proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", app],
            cwd=ROOT,
            env=dict(self.env, KB_BIND=f"127.0.0.1:{port}", **(env or {})),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(proc)
        return proc

    def start_web(self) -> None:
        """kb on ``self.port``: gunicorn with production settings, as ``make serve`` starts it."""
        self.web = self._gunicorn("kb.wsgi:application", port=self.port, log=self.web_log)
        self.wait_healthy(allow_degraded=True)

    def start_more_web(self) -> int:
        """One more kb server (same settings, database and data folder), for ``start_proxy``: its port."""
        port = free_port()
        self.more_web.append(self._gunicorn("kb.wsgi:application", port=port, log=self.web_log))
        self._wait_for(f"http://127.0.0.1:{port}/healthz", accept=(200, 503))
        return port

    def start_floor(self, html: str, *, servers: int = 1) -> list[int]:
        """The floor (tests/bench/floor): ``html`` stored as one row, served by bare Django; its ports."""
        self.python(
            "from django.db import connection\n"
            "with connection.cursor() as c:\n"
            "    c.execute('DROP TABLE IF EXISTS bench_floor_page')\n"
            "    c.execute('CREATE TABLE bench_floor_page (id integer PRIMARY KEY, html text NOT NULL)')\n"
            "    c.execute('INSERT INTO bench_floor_page VALUES (1, %s)', [sys.stdin.read()])\n",
            stdin=html,
        )
        ports = []
        for _ in range(servers):
            port = free_port()
            self.floor.append(
                self._gunicorn(
                    "tests.bench.floor.wsgi:application",
                    port=port,
                    log=self.data_dir / "floor.log",
                    env={"DJANGO_SETTINGS_MODULE": "tests.bench.floor.settings"},
                )
            )
            self._wait_for(f"http://127.0.0.1:{port}/floor/")
            ports.append(port)
        return ports

    def start_proxy(self, upstream_ports: list[int], *, probe: str = "/healthz") -> str:
        """nginx (Debian's) in front of ``upstream_ports``, as a team runs several app servers; its URL."""
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        port = free_port()
        conf_dir = self.data_dir / f"nginx-{port}"
        conf_dir.mkdir()
        upstreams = "\n".join(f"        server 127.0.0.1:{p};" for p in upstream_ports)
        (conf_dir / "nginx.conf").write_text(
            _NGINX_CONF.replace("UPSTREAMS", upstreams)
            .replace("PORT", str(port))
            .replace("DIR", str(conf_dir))
        )
        out = open(conf_dir / "nginx.out", "ab")  # noqa: SIM115
        proc = subprocess.Popen(
            [nginx, "-p", str(conf_dir), "-c", str(conf_dir / "nginx.conf"), "-g", "daemon off;"],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(proc)
        self.proxies.append(proc)
        url = f"http://127.0.0.1:{port}"
        self._wait_for(url + probe, accept=(200, 503))
        return url

    def _wait_for(self, url: str, *, timeout: float = 60, accept: tuple[int, ...] = (200,)) -> None:
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=3) as resp:
                    if resp.status in accept:
                        return
                    last = resp.status
            except urllib.error.HTTPError as exc:
                if exc.code in accept:
                    return
                last = exc.code
            except Exception as exc:  # not listening yet
                last = exc
            time.sleep(0.3)
        raise RuntimeError(f"{url} did not answer: {last}")

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
        procs = [*self.processes, *([self.worker] if self.worker else [])]
        for proc in procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        self.processes = []
        self.more_web, self.floor, self.proxies = [], [], []

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

# nginx as a small local proxy: round robin over the app servers, keep-alive to them, no buffering to disk.
_NGINX_CONF = """
worker_processes 1;
pid DIR/nginx.pid;
error_log DIR/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path DIR/body;
    proxy_temp_path DIR/proxy;
    fastcgi_temp_path DIR/fastcgi;
    uwsgi_temp_path DIR/uwsgi;
    scgi_temp_path DIR/scgi;
    upstream kb {
UPSTREAMS
    }
    server {
        listen 127.0.0.1:PORT;
        location / {
            proxy_pass http://kb;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto http;
        }
    }
}
"""
