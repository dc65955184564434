"""Admonitions: Docusaurus ``:::kind`` blocks and the markers of the Liquid and Hugo passes become
MkDocs / Python-Markdown ``!!! kind "Title"`` blocks, which is kb's own syntax."""

from __future__ import annotations

import re

from kb.articles.importing.common import ADM_CLOSE, ADM_OPEN

ADMONITION_TYPES = {
    "note": "note",
    "info": "info",
    "information": "info",
    "tip": "tip",
    "hint": "hint",
    "success": "success",
    "warning": "warning",
    "warn": "warning",
    "caution": "caution",
    "danger": "danger",
    "error": "error",
    "important": "important",
    "question": "question",
    "example": "example",
    "quote": "quote",
    "bug": "bug",
    "abstract": "abstract",
    "seealso": "seealso",
}


_DOCUSAURUS = re.compile(r"^(?P<indent>[ \t]*):::(?P<kind>[a-zA-Z]+)(?:\[(?P<t1>[^\]]*)\])?[ \t]*(?P<t2>.*)$")
_DOCUSAURUS_END = re.compile(r"^[ \t]*:::[ \t]*$")


def docusaurus_admonitions(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        m = _DOCUSAURUS.match(line)
        if m:
            out.append(ADM_OPEN.format(m.group("kind"), (m.group("t1") or m.group("t2") or "").strip()))
        elif _DOCUSAURUS_END.match(line):
            out.append(ADM_CLOSE)
        else:
            out.append(line)
    return out


def _admonition_header(kind: str, title: str) -> str:
    kind = ADMONITION_TYPES.get(kind.strip().lower(), "note")
    title = " ".join(title.split()).replace('"', "'")
    return f'!!! {kind} "{title}"' if title else f"!!! {kind}"


def finish_admonitions(text: str) -> str:
    """Markers → Python-Markdown admonitions (``!!! kind "Title"`` + a 4-space indented body)."""
    pattern = re.compile(r"\x02ADM:([^:\x02]*):([^\x02]*)\x02((?:(?!\x02ADM:).)*?)\x02/ADM\x02", re.S)
    for _ in range(10):  # innermost first; nested admonitions indent again
        new = pattern.sub(_render_admonition, text)
        if new == text:
            break
        text = new
    # unmatched markers: drop them, keep the content
    return re.sub(r"\x02ADM:[^\x02]*\x02|\x02/ADM\x02", "", text)


def _render_admonition(m: re.Match[str]) -> str:
    body = m.group(3).strip("\n")
    lines = body.split("\n")
    # a common leading indentation (from nested list context) would make it a code block
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    inner = "\n".join(("    " + line[cut:]) if line.strip() else "" for line in lines)
    return f"\n\n{_admonition_header(m.group(1), m.group(2))}\n{inner}\n\n"
