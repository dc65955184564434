"""Markdown rendering: the corpus (normal pages) and hostile shapes (refused or rendered, and how fast).

``make bench ONLY=render``. Prints figures, asserts nothing about time (docs/rendering.md).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path


def _corpus() -> list[str]:
    from django.conf import settings

    root = Path(settings.BASE_DIR).parent / "shared" / "corpus"
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(root.rglob("*.md"))]


def main() -> None:
    from kb.lib.errors import InvalidInput
    from kb.lib.markdown import render_markdown

    texts = _corpus()
    times = []
    refused = 0
    for text in texts:
        start = time.perf_counter()
        try:
            render_markdown(text)
        except InvalidInput:
            refused += 1
        times.append(time.perf_counter() - start)
    if times:
        times.sort()
        median, p95 = statistics.median(times) * 1000, times[int(len(times) * 0.95)] * 1000
        print(
            f"corpus: {len(texts)} pages, total {sum(times):.2f} s, median {median:.1f} ms, "
            f"p95 {p95:.1f} ms, max {times[-1] * 1000:.0f} ms, refused {refused}"
        )
    hostile = {
        "5,000 # headings": "# a\n" * 5_000,
        "10,000 setext lines": "a\n=\n" * 5_000,
        "[ x 50,000": "[" * 50_000,
        "> x 5,000": ">" * 5_000 + " x",
        "definition list x 3,000": "a\n: b\n" * 3_000,
        "380 [ before 15 KB": "[ a\n" * 380 + "b" * 15_000,
        "*a x 20,000": "*a" * 20_000,
    }
    for name, text in hostile.items():
        start = time.perf_counter()
        try:
            render_markdown(text)
            outcome = "rendered"
        except InvalidInput as exc:
            outcome = f"refused: {exc.message[:60]}…"
        print(f"hostile {name:24} {time.perf_counter() - start:6.2f} s  {outcome}")
