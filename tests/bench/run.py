"""Benchmark runner: ``python tests/bench/run.py [group]`` (``make bench ONLY=<group>``).

Each group is a module ``tests/bench/bench_<group>.py`` with a ``main()`` that prints figures and never
asserts anything about time. With a group name, the runner prepares Django (``kb.settings``,
``KB_DEBUG=1``, a throw-away ``KB_DATA_DIR`` and SQLite database under /tmp unless ``DATABASE_URL`` is
set), migrates, and calls that group's ``main()``. Without one, it runs every group in name order, each
in its own process so that one group's state (or crash) cannot spoil the next; a failing group is
reported and the others still run; the exit status is non-zero if any group failed.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def groups() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def setup_django() -> None:
    """Settings for a benchmark process; an existing DATABASE_URL (e.g. PostgreSQL) is respected."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    os.environ.setdefault("KB_DEBUG", "1")
    if "KB_DATA_DIR" not in os.environ:
        os.environ["KB_DATA_DIR"] = tempfile.mkdtemp(prefix="kb-bench-")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{os.environ['KB_DATA_DIR']}/bench.sqlite3"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def run_one(group: str) -> int:
    if group not in groups():
        print(f"unknown benchmark group {group!r}; known: {', '.join(groups())}", file=sys.stderr)
        return 2
    print(f"== bench {group}", flush=True)
    start = time.perf_counter()
    try:
        setup_django()
        module = importlib.import_module(f"tests.bench.bench_{group}")
        module.main()
    except SystemExit as exc:  # a group may sys.exit(); only a non-zero code is a failure
        if exc.code not in (None, 0):
            print(f"== bench {group} exited with {exc.code}", flush=True)
            return 1
    except Exception:
        traceback.print_exc()
        print(f"== bench {group} FAILED after {time.perf_counter() - start:.1f} s", flush=True)
        return 1
    print(f"== bench {group} done in {time.perf_counter() - start:.1f} s", flush=True)
    return 0


def run_all() -> int:
    failed = []
    for group in groups():
        code = subprocess.call([sys.executable, str(Path(__file__).resolve()), group], cwd=ROOT)
        if code:
            failed.append(group)
    if failed:
        print(f"benchmark groups failed: {', '.join(failed)}", flush=True)
        return 1
    print(f"all {len(groups())} benchmark groups ran", flush=True)
    return 0


def main(argv: list[str]) -> int:
    if len(argv) > 1 and argv[1]:
        return run_one(argv[1])
    return run_all()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
