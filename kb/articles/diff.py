"""Word-level differences between two versions (CONTRACT §7: ``changes[].ops``), bounded on any input.

difflib's matcher is quadratic or worse on texts with many equal lines or words (two 200 KB versions
cost tens of seconds), so the alignment is a bit-parallel LCS (rapidfuzz's Indel, C++) whose work is
the product of the two sequence lengths, and every call is kept under ``KB_DIFF_MAX_CELLS``:

1. the common prefix and suffix are cut off (most edits touch a small part of a long SOP);
2. what is left is aligned word by word if it fits the cap, else line by line and then word by word
   inside each changed block that fits;
3. a block that still does not fit, or anything after the per-diff budget (twice the cap) is spent,
   is shown as one deletion and one insertion. The ops always spell both versions exactly.

Diffs of two saved versions are cached (Django's cache), keyed by the content of both sides.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Hashable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rapidfuzz.distance import Indel

from kb.lib.scripts import NOSPACE_CLASS

_TOKEN = re.compile(rf"\s+|[{NOSPACE_CLASS}]|\w+|[^\w\s]", re.UNICODE)
DIFF_FIELDS = ("title", "summary", "body", "categories", "tags")
_CACHE_SECONDS = 60 * 60 * 24


def tokenize(text: str) -> list[str]:
    """Words, spaces and punctuation; each CJK character on its own so CJK edits stay small."""
    return _TOKEN.findall(text or "")


def _opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[str, int, int, int, int]]:
    """LCS alignment; the caller keeps ``len(a) * len(b)`` under the cap (time and memory follow it)."""
    return [(o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end) for o in Indel.opcodes(a, b)]


class _Budget:
    """Cells (token pairs) one diff may still spend on alignment."""

    def __init__(self) -> None:
        self.cap = settings.KB_DIFF_MAX_CELLS
        self.left = 2 * self.cap

    def take(self, a: Sequence[Any], b: Sequence[Any]) -> bool:
        cells = len(a) * len(b)
        if cells > self.cap or cells > self.left:
            return False
        self.left -= cells
        return True


def _push(ops: list[list[str]], op: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1][0] == op:
        ops[-1][1] += text
    else:
        ops.append([op, text])


def _common_ends(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    limit = min(len(a), len(b))
    head = 0
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _replace(ops: list[list[str]], a: Sequence[str], b: Sequence[str]) -> None:
    _push(ops, "delete", "".join(a))
    _push(ops, "insert", "".join(b))


def _changed_runs(a: Sequence[Any], b: Sequence[Any]) -> list[tuple[bool, int, int, int, int]]:
    """(equal?, i1, i2, j1, j2) runs, each change between two equal runs merged into one, so that a
    replacement always reads as its deletion followed by its insertion."""
    runs: list[tuple[bool, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        equal = tag == "equal"
        if runs and not equal and not runs[-1][0]:
            _, p1, _, q1, _ = runs[-1]
            runs[-1] = (False, p1, i2, q1, j2)
        else:
            runs.append((equal, i1, i2, j1, j2))
    return runs


def _aligned(ops: list[list[str]], a: Sequence[str], b: Sequence[str]) -> None:
    for equal, i1, i2, j1, j2 in _changed_runs(a, b):
        if equal:
            _push(ops, "equal", "".join(a[i1:i2]))
        else:
            _replace(ops, a[i1:i2], b[j1:j2])


def _words(ops: list[list[str]], a: Sequence[str], b: Sequence[str], budget: _Budget) -> None:
    if not a or not b or not budget.take(a, b):
        _replace(ops, a, b)
    else:
        _aligned(ops, a, b)


def word_ops(old: str, new: str) -> list[list[str]]:
    """[[op, text], …] with op in equal/insert/delete; a replacement is a delete then an insert."""
    ops: list[list[str]] = []
    a, b = tokenize(old), tokenize(new)
    head, tail = _common_ends(a, b)
    _push(ops, "equal", "".join(a[:head]))
    mid_a, mid_b = a[head : len(a) - tail], b[head : len(b) - tail]
    budget = _Budget()
    if not mid_a or not mid_b or len(mid_a) * len(mid_b) <= budget.cap:
        _words(ops, mid_a, mid_b, budget)
    else:
        la = "".join(mid_a).splitlines(keepends=True)
        lb = "".join(mid_b).splitlines(keepends=True)
        if not budget.take(la, lb):
            _replace(ops, la, lb)
        else:
            for equal, i1, i2, j1, j2 in _changed_runs(la, lb):
                if equal:
                    _push(ops, "equal", "".join(la[i1:i2]))
                else:
                    _words(ops, tokenize("".join(la[i1:i2])), tokenize("".join(lb[j1:j2])), budget)
    _push(ops, "equal", "".join(a[len(a) - tail :]))
    return ops


def snapshot_fields(record: Any) -> dict[str, str]:
    """The diffable text of one historical record."""
    return {
        "title": record.title,
        "summary": record.summary,
        "body": record.body,
        "categories": ", ".join(record.category_codes or []),
        "tags": ", ".join(record.tag_names or []),
    }


def _cache_key(a: dict[str, str], b: dict[str, str]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for side in (a, b):
        for field in DIFF_FIELDS:
            value = side[field].encode("utf-8", "surrogatepass")
            digest.update(len(value).to_bytes(8, "big") + value)
    return f"kb:diff:v1:{digest.hexdigest()}"


def diff_records(old: Any, new: Any) -> list[dict[str, Any]]:
    """Every field, changed or not, with its ops; ``changed`` says whether anything moved.

    Two saved versions (both with a ``history_id``) are diffed once, then served from the cache.
    """
    a, b = snapshot_fields(old), snapshot_fields(new)
    saved = getattr(old, "history_id", None) is not None and getattr(new, "history_id", None) is not None
    key = _cache_key(a, b) if saved else ""
    if key:
        cached = cache.get(key)
        if cached is not None:
            return cached
    changes = []
    for field in DIFF_FIELDS:
        ops = word_ops(a[field], b[field])
        changes.append({"field": field, "changed": a[field] != b[field], "ops": ops})
    if key:
        cache.set(key, changes, _CACHE_SECONDS)
    return changes
