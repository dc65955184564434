"""Word-level differences between two versions (CONTRACT §7: ``changes[].ops``)."""

from __future__ import annotations

import difflib
import re
from typing import Any

from kb.lib.scripts import NOSPACE_CLASS

_TOKEN = re.compile(rf"\s+|[{NOSPACE_CLASS}]|\w+|[^\w\s]", re.UNICODE)
DIFF_FIELDS = ("title", "summary", "body", "categories", "tags")


def tokenize(text: str) -> list[str]:
    """Words, spaces and punctuation; each CJK character on its own so CJK edits stay small."""
    return _TOKEN.findall(text or "")


_WORD_DIFF_MAX_TOKENS = 8_000


def word_ops(old: str, new: str) -> list[list[str]]:
    """[[op, text], …] with op in equal/insert/delete; a replacement is a delete then an insert.

    Long texts are first aligned line by line and only changed line blocks are compared word by word,
    which keeps the matcher's worst case (quadratic) off whole 200 KB bodies.
    """
    ops: list[list[str]] = []
    a, b = tokenize(old), tokenize(new)
    if len(a) + len(b) <= _WORD_DIFF_MAX_TOKENS:
        _word_blocks(a, b, ops)
        return ops
    la, lb = (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, la, lb, autojunk=False).get_opcodes():
        if tag == "equal":
            _push(ops, "equal", "".join(la[i1:i2]))
        else:
            ta, tb = tokenize("".join(la[i1:i2])), tokenize("".join(lb[j1:j2]))
            if len(ta) + len(tb) <= _WORD_DIFF_MAX_TOKENS:
                _word_blocks(ta, tb, ops)
            else:
                _push(ops, "delete", "".join(ta))
                _push(ops, "insert", "".join(tb))
    return ops


def _push(ops: list[list[str]], op: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1][0] == op:
        ops[-1][1] += text
    else:
        ops.append([op, text])


def _word_blocks(a: list[str], b: list[str], ops: list[list[str]]) -> None:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _push(ops, "equal", "".join(a[i1:i2]))
        else:
            _push(ops, "delete", "".join(a[i1:i2]))
            _push(ops, "insert", "".join(b[j1:j2]))


def snapshot_fields(record: Any) -> dict[str, str]:
    """The diffable text of one historical record."""
    return {
        "title": record.title,
        "summary": record.summary,
        "body": record.body,
        "categories": ", ".join(record.category_codes or []),
        "tags": ", ".join(record.tag_names or []),
    }


def diff_records(old: Any, new: Any) -> list[dict[str, Any]]:
    """Every field, changed or not, with its ops; ``changed`` says whether anything moved."""
    a, b = snapshot_fields(old), snapshot_fields(new)
    changes = []
    for field in DIFF_FIELDS:
        ops = word_ops(a[field], b[field])
        changes.append({"field": field, "changed": a[field] != b[field], "ops": ops})
    return changes
