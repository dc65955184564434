"""The embedded default (SQLite in WAL mode, busy timeout, IMMEDIATE transactions) under concurrent writers.

Issue 6 §3: with 4 processes writing at once, no save may fail with "database is locked" and no save
that returned may be lost. Each writer is a real separate process (its own connection, as gunicorn
workers and the search worker are) that edits articles through ``kb.articles.services``, publishes,
and records ticket resolutions, so every transaction is the one production runs, outbox rows included.

The suite runs 4 writers × 10 s; ``make bench ONLY=load`` runs the same harness for 2 minutes
(``run_writers`` is shared). The child entry point is this file run as a script:
``python tests/ops/test_sqlite_writers.py writer DB_PATH SECONDS SEED``.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = 6  # few articles, so writers often touch the same rows (version conflicts are expected)
LEAD = "writer-lead"


def child_env(db_path: Path, data_dir: Path) -> dict[str, str]:
    """A production-like environment for a child process, free of the parent's test settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KB_", "PYTEST", "DJANGO_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        KB_DATA_DIR=str(data_dir),
        KB_DEBUG="0",
        KB_TESTING="0",
        KB_HTTPS="0",
        KB_SECRET_KEY="sqlite-writers-" + "x" * 40,
        KB_LOG_LEVEL="ERROR",
        KB_SEARCH_BACKEND="whoosh",
    )
    return env


def prepare_database(db_path: Path, data_dir: Path) -> None:
    """Migrate a fresh SQLite file and seed a lead, categories, articles and tickets."""
    env = child_env(db_path, data_dir)
    for args in (["manage.py", "migrate", "--noinput", "-v0"], [__file__, "setup", str(db_path)]):
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, timeout=300)
    # As after a deploy: the index exists before traffic starts (else the first save rebuilds it).
    subprocess.run(
        [sys.executable, "manage.py", "rebuild_search_index"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
    )


@dataclass
class WriterTotals:
    saves: int = 0
    publishes: int = 0
    resolutions: int = 0
    conflicts: int = 0
    locked: int = 0
    errors: list[str] = field(default_factory=list)
    per_writer: list[dict] = field(default_factory=list)
    resolution_pairs: set[str] = field(default_factory=set)
    seconds: float = 0.0  # wall time from "go" until the last writer reported

    @property
    def writes(self) -> int:
        return self.saves + self.publishes + self.resolutions


def run_writers(db_path: Path, data_dir: Path, *, writers: int, seconds: float) -> WriterTotals:
    """Start ``writers`` processes at once, wait for all, and add up what each reports."""
    env = child_env(db_path, data_dir)
    gate = data_dir / "writers-gate"
    gate.mkdir(exist_ok=True)
    for old in gate.iterdir():
        old.unlink()
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "writer", str(db_path), str(seconds), str(seed), str(gate)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in range(writers)
    ]
    # Start the clock only when every writer has imported everything: they then write truly at once.
    wait_until = time.monotonic() + 300
    while len(list(gate.glob("ready-*"))) < writers and time.monotonic() < wait_until:
        if any(p.poll() is not None for p in procs):
            break
        time.sleep(0.1)
    (gate / "go").touch()
    started = time.monotonic()
    totals = WriterTotals()
    for proc in procs:
        out, err = proc.communicate(timeout=seconds + 180)
        if proc.returncode != 0 or not out.strip():
            totals.errors.append(f"writer exited {proc.returncode}: {err.strip()[-2000:]}")
            continue
        report = json.loads(out.strip().splitlines()[-1])
        totals.per_writer.append(report)
        for key in ("saves", "publishes", "resolutions", "conflicts", "locked"):
            setattr(totals, key, getattr(totals, key) + report[key])
        totals.errors.extend(report["errors"])
        totals.resolution_pairs.update(report.pop("pairs", []))
    totals.seconds = time.monotonic() - started
    return totals


def stored_counts(db_path: Path, data_dir: Path) -> dict[str, int]:
    """What the database holds after the run (read in a child so this process keeps its own settings)."""
    env = child_env(db_path, data_dir)
    out = subprocess.run(
        [sys.executable, __file__, "count", str(db_path)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- child processes ---------------------------------------------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    import django

    django.setup()


def _setup_child() -> None:
    _django()
    from accounts.services import upsert_user
    from kb.articles import services
    from kb.tickets import services as tickets

    lead, _ = upsert_user(username=LEAD, role="lead", teams=["SG Creator Support"], password="writer-pass-42")
    services.create_category(actor=lead, code="PAYOUTS", name="Creator payouts")
    for i in range(ARTICLES):
        article = services.create_article(
            actor=lead,
            title=f"Payout hold playbook {i}",
            kind="sop",
            summary="What to check before releasing a held payout.",
            body=f"# Payout hold {i}\n\n1. Check the hold reason.\n2. Verify identity.\n",
            categories=["PAYOUTS"],
            tags=["payouts"],
            change_note="First draft",
        )
        services.publish_article(actor=lead, article=article, material=False)
    for i in range(20):
        tickets.upsert_ticket(external_id=f"ZD-{i}", category="PAYOUTS", subject=f"Payout held {i}")


def _writer_child(seconds: float, seed: int, gate: Path) -> None:
    _django()
    from django.db import OperationalError

    from accounts.models import User
    from kb.articles import services
    from kb.articles.models import Article
    from kb.lib.errors import DomainError, VersionConflict
    from kb.tickets import services as tickets

    rng = random.Random(seed)
    lead = User.objects.get(username=LEAD)
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    report: dict = {
        "seed": seed,
        "saves": 0,
        "publishes": 0,
        "resolutions": 0,
        "conflicts": 0,
        "locked": 0,
        "errors": [],
    }
    # Warm up (imports, index handle, connection), then wait for the parent's go.
    from kb.search.backends import get_backend

    get_backend()
    Article.objects.get(pk=ids[0])
    (gate / f"ready-{seed}").touch()
    while not (gate / "go").exists():
        time.sleep(0.05)
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        n += 1
        roll = rng.random()
        began = time.monotonic()
        try:
            article = Article.objects.get(pk=rng.choice(ids))
            if roll < 0.75:
                services.update_article(
                    actor=lead,
                    article=article,
                    base_version=article.version,
                    change_note=f"writer {seed} edit {n}",
                    body=f"# Payout hold\n\nWriter {seed}, edit {n}.\n\n1. Check the hold reason.\n",
                )
                report["saves"] += 1
            elif roll < 0.85:
                services.publish_article(actor=lead, article=article, material=False, note=f"w{seed}")
                report["publishes"] += 1
            else:
                ticket = f"ZD-{rng.randrange(20)}"
                tickets.record_resolution(actor=lead, ticket=ticket, article=article.pk, outcome="resolved")
                report["resolutions"] += 1
                report.setdefault("pairs", []).append(f"{ticket}/{article.pk}")
        except VersionConflict:
            report["conflicts"] += 1
        except OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                report["locked"] += 1
            else:
                report["errors"].append(f"OperationalError: {exc}")
        except DomainError as exc:  # e.g. publishing a version that is already published: a 4xx, not a fault
            report.setdefault("refused", 0)
            report["refused"] += 1
            if len(report.setdefault("refused_examples", [])) < 3:
                report["refused_examples"].append(f"{type(exc).__name__}: {exc}")
        except Exception as exc:
            report["errors"].append(f"{type(exc).__name__}: {exc}"[:500])
        took = time.monotonic() - began
        report["ops"] = n
        report["max_op_s"] = round(max(report.get("max_op_s", 0.0), took), 3)
        report["total_op_s"] = round(report.get("total_op_s", 0.0) + took, 3)
    print(json.dumps(report))


def _count_child() -> None:
    _django()
    from kb.articles.models import Article, HistoricalArticle, Publication
    from kb.tickets.models import Resolution

    print(
        json.dumps(
            {
                "versions": HistoricalArticle.objects.count(),
                "max_versions": sum(Article.objects.values_list("version", flat=True)),
                "publications": Publication.objects.count(),
                "resolutions": Resolution.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        _setup_child()
    elif command == "writer":
        _writer_child(float(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
    elif command == "count":
        _count_child()
    else:
        raise SystemExit(f"unknown command {command}")
else:
    import pytest

    @pytest.mark.slow
    def test_four_concurrent_sqlite_writers_never_hit_database_is_locked(tmp_path):
        db_path = tmp_path / "kb.sqlite3"
        prepare_database(db_path, tmp_path)
        before = stored_counts(db_path, tmp_path)

        totals = run_writers(db_path, tmp_path, writers=4, seconds=10)

        assert totals.errors == []
        assert totals.locked == 0
        assert len(totals.per_writer) == 4
        # Every writer really wrote while the others did (on a loaded 2-core machine a save can take ~1 s).
        assert all(w.get("ops", 0) > 0 for w in totals.per_writer), json.dumps(totals.per_writer)
        assert totals.saves > 0
        after = stored_counts(db_path, tmp_path)
        # Nothing lost: every save that returned is one more historical version, and only those.
        assert after["versions"] - before["versions"] == totals.saves
        assert after["max_versions"] - before["max_versions"] == totals.saves
        assert after["publications"] - before["publications"] == totals.publishes
        # One record per (ticket, article), however many writers linked the same pair.
        assert after["resolutions"] == len(totals.resolution_pairs)
