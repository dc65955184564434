"""Where a load run's CPU went: seconds per process group read from /proc, and py-spy samples of the workers.

A run's throughput on 2 cores is bounded by the CPU every request costs in *all* the processes it touches
(gunicorn, PostgreSQL, the search worker, the load generator itself), so the load benchmark prints CPU
milliseconds per request per group beside its latencies. ``profile`` samples gunicorn's workers with
py-spy: once with every thread (``--idle``) to tell running from waiting (for a request, the database, a
lock) and once holding the GIL (``--gil``) to tell where Python itself spends the time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
PY_SPY = Path(sys.executable).parent / "py-spy"


def process_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 if it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _parents() -> dict[int, int]:
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            out[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    return out


def tree(*roots: int) -> list[int]:
    """The processes ``roots`` and all their descendants."""
    parents = _parents()
    found, frontier = set(roots), list(roots)
    while frontier:
        pid = frontier.pop()
        children = [c for c, p in parents.items() if p == pid and c not in found]
        found.update(children)
        frontier.extend(children)
    return sorted(found)


def named(comm: str) -> list[int]:
    """Every process whose command name is ``comm`` (e.g. all of PostgreSQL's)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == comm:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])
    return (total - idle) / TICKS, total / TICKS


class CpuMeter:
    """CPU seconds per named group of processes between ``start()`` and ``stop()``.

    A process that ends in between takes its CPU with it (PostgreSQL backends that close), so the
    figures are a lower bound; kb's servers, the worker and PostgreSQL's pooled connections live on.
    """

    def __init__(self, groups: dict[str, Callable[[], list[int]]]):
        self.groups = groups
        self.before: dict[str, dict[int, float]] = {}
        self.machine_before = (0.0, 0.0)

    def _snapshot(self) -> dict[str, dict[int, float]]:
        return {name: {pid: process_seconds(pid) for pid in pids()} for name, pids in self.groups.items()}

    def start(self) -> None:
        self.before = self._snapshot()
        self.machine_before = machine_busy()

    def stop(self) -> tuple[dict[str, float], float]:
        """CPU seconds per group, and the machine's busy share of all its cores over the interval."""
        after = self._snapshot()
        busy, total = machine_busy()
        self.per_process = {
            name: {pid: cpu - self.before.get(name, {}).get(pid, 0.0) for pid, cpu in pids.items()}
            for name, pids in after.items()
        }
        spent = {name: sum(pids.values()) for name, pids in self.per_process.items()}
        share = (busy - self.machine_before[0]) / max(total - self.machine_before[1], 1e-9)
        return spent, share

    def spread(self, name: str) -> list[float]:
        """The CPU seconds of the busy processes of one group, largest first: how evenly gunicorn's
        workers shared the work (a keep-alive connection stays with the worker that accepted it)."""
        found = sorted(self.per_process.get(name, {}).values(), reverse=True)
        return [secs for secs in found if secs > 0.05 * (found[0] if found else 0)]


def print_cpu(
    spent: dict[str, float], share: float, *, requests: int, seconds: float,
    workers: list[float] | None = None,
) -> None:  # fmt: skip
    cores = os.cpu_count() or 1
    print(f"    CPU per request (all {cores} cores {100 * share:.0f} % busy over the run):")
    for name, secs in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(
            f"      {name:18} {1000 * secs / max(requests, 1):6.2f} ms/request "
            f"({secs:6.1f} s, {100 * secs / max(seconds, 1e-9) / cores:4.0f} % of the machine)"
        )
    total = sum(spent.values())
    print(f"      {'all of them':18} {1000 * total / max(requests, 1):6.2f} ms/request")
    if workers and len(workers) > 1:
        shares = " / ".join(f"{100 * secs / max(sum(workers), 1e-9):.0f} %" for secs in workers)
        print(f"      the server's busy processes shared its CPU {shares}")


# -- py-spy -------------------------------------------------------------------------------------------

WAITS = (
    ("waiting for a request", ("gthread.py", "selectors.py", "_worker (concurrent/futures")),
    ("database", ("psycopg",)),
    ("lock or condition", ("threading.py",)),
)


def start_profile(pids: list[int], seconds: int, out_dir: Path) -> list[subprocess.Popen]:
    """py-spy on each worker, twice: every thread (``--idle``) and the GIL holder (``--gil``)."""
    procs = []
    for pid in pids:
        for mode in ("idle", "gil"):
            procs.append(
                subprocess.Popen(
                    [
                        str(PY_SPY), "record", "--nonblocking", f"--{mode}", "-r", "50", "-d", str(seconds),
                        "-f", "raw", "-o", str(out_dir / f"spy-{pid}-{mode}.txt"), "-p", str(pid),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
    return procs


def _stacks(path: Path) -> Counter:
    out: Counter = Counter()
    if not path.exists():
        return out
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if count.isdigit():
            out[stack] += int(count)
    return out


def _leaf(stack: str) -> str:
    return stack.rsplit(";", 1)[-1]


def print_profile(out_dir: Path, top: int = 18) -> None:
    every: Counter = Counter()
    gil: Counter = Counter()
    for path in out_dir.glob("spy-*-idle.txt"):
        every += _stacks(path)
    for path in out_dir.glob("spy-*-gil.txt"):
        gil += _stacks(path)
    if not every:
        print("    py-spy: no samples (is py-spy allowed to attach? run as root)")
        return
    states: Counter = Counter()
    for stack, n in every.items():
        leaf = _leaf(stack)
        waits = (name for name, marks in WAITS if any(m in leaf for m in marks))
        state = next(waits, "running or wanting the GIL")
        if state == "lock or condition" and "_worker (concurrent/futures" in stack:
            state = "waiting for a request"
        states[state] += n
    total = sum(states.values())
    print(f"    worker threads, by state ({total} samples of every thread):")
    for state, n in states.most_common():
        print(f"      {state:28} {100 * n / total:5.1f} %")
    held = sum(gil.values())
    running = states["running or wanting the GIL"]
    if held and running:
        print(f"    GIL: held in {held} samples against {running} running-or-wanting ones "
              f"({100 * (1 - held / running):.0f} % of the wanting time is waiting for the GIL)")  # fmt: skip
    own: Counter = Counter()
    inclusive: Counter = Counter()
    for stack, n in gil.items():
        frames = stack.split(";")
        own[frames[-1]] += n
        for frame in set(frames):
            if "(kb/" in frame or "(accounts/" in frame:
                inclusive[frame] += n
    print(f"    where the GIL holder is (self time, top {top}):")
    for frame, n in own.most_common(top):
        print(f"      {100 * n / held:5.1f} %  {frame[:120]}")
    print(f"    kb functions on the GIL holder's stack (inclusive, top {top}):")
    for frame, n in inclusive.most_common(top):
        print(f"      {100 * n / held:5.1f} %  {frame[:120]}")
