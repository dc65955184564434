"""A body in another generator's markdown → kb markdown, and the titles and summaries taken from it.

The passes run in order: Hugo shortcodes, Liquid tags, then (outside code fences only) comments, MDX
imports and JSX wrappers, Liquid output tags and Docusaurus admonitions; last the admonition markers
are turned into kb's ``!!!`` blocks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

from kb.articles.importing.admonitions import docusaurus_admonitions, finish_admonitions
from kb.articles.importing.common import RAW_CLOSE, RAW_OPEN, attrs
from kb.articles.importing.hugo import expand_hugo
from kb.articles.importing.liquid import LIQUID_TAG, expand_liquid, liquid_variable

SUMMARY_FALLBACK_CHARS = 200
SUMMARY_SCAN_CHARS = 20_000
FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})")
# A code span opens and closes with backtick runs of the same length (CommonMark) and is at most
# 10,000 characters: a long run without its closer costs one bounded scan, not one per backtick.
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`).{1,10000}?(?<!`)\1(?!`)", re.S)
# As ``liquid.LIQUID_TAG``: no span over another opener; the spaces are stripped by the callers, as
# ``\s*`` on both sides of a lazy group backtracks quadratically over a long run of spaces.
_LIQUID_VAR = re.compile(r"\{\{-?((?:(?!\}\}|\{\{).)*?)-?\}\}", re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|--!>|\Z)", re.S)
_MDX_IMPORT = re.compile(r"^(import\s+[\w{}\s,*]+\s+from\s+['\"][^'\"]+['\"];?|export\s+.*)$")
_JSX_LINE = re.compile(r"^\s*</?([A-Z][A-Za-z0-9.]*)(\s[^>]*)?/?>\s*$")
_WRAPPER_LINE = re.compile(r"^\s*</?(center|div|section|span)(\s[^>]*)?>\s*$", re.I)


def _split_fences(text: str) -> Iterator[tuple[bool, str]]:
    """Yield (is_code, chunk) so prose-only rules never touch fenced code."""
    lines = text.split("\n")
    buf: list[str] = []
    fence: str | None = None
    for line in lines:
        m = FENCE.match(line)
        if fence is None and m:
            if buf:
                yield False, "\n".join(buf)
            buf = [line]
            fence = m.group(2)
        elif (
            fence is not None
            and m
            and m.group(2)[0] == fence[0]
            and len(m.group(2)) >= len(fence)
            and not line[m.end() :].strip()
        ):
            buf.append(line)
            yield True, "\n".join(buf)
            buf, fence = [], None
        else:
            buf.append(line)
    if buf:
        yield fence is not None, "\n".join(buf)


def _prose(chunk: str) -> str:
    """Rules for text outside code fences."""
    chunk = _COMMENT.sub("", chunk)
    kept: list[str] = []
    for line in chunk.split("\n"):
        if _MDX_IMPORT.match(line) or _WRAPPER_LINE.match(line):
            continue
        jsx = _JSX_LINE.match(line)
        if jsx:
            label = attrs(jsx.group(2) or "").get("label")
            if label and not line.strip().startswith("</"):
                kept.append(f"**{label}**")
                kept.append("")
            continue
        kept.append(line)
    chunk = "\n".join(kept)
    # Liquid output tags outside inline code: variables become words, anything else goes.
    parts = []
    last = 0
    for code in _INLINE_CODE.finditer(chunk):
        parts.append(_LIQUID_VAR.sub(liquid_variable, chunk[last : code.start()]))
        parts.append(code.group(0))
        last = code.end()
    parts.append(_LIQUID_VAR.sub(liquid_variable, chunk[last:]))
    return "".join(parts)


def _dedent_fences(chunk: str) -> str:
    """Normalise a fenced block: ``yaml {title="x"}`` / ``js title="x"`` info strings become the bare
    language (Python-Markdown ignores fences with extra words), and a fence indented inside a removed
    JSX wrapper (``<TabItem>``) is moved back to the margin."""
    lines = chunk.split("\n")
    lines[0] = re.sub(r"^(\s*)(`{3,}|~{3,})\s*([\w#.+-]*).*$", r"\1\2\3", lines[0])
    m = FENCE.match(lines[0])
    indent = len(m.group(1)) if m else 0
    if indent == 0 or indent > 3:
        return "\n".join(lines)
    return "\n".join(line[indent:] if line[:indent].strip() == "" else line for line in lines)


def to_kb_markdown(text: str, reusable: Callable[[str], str | None] | None = None) -> str:
    """Another generator's markdown body → kb markdown (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = text.replace("\x02", "").replace("\x03", "")  # our private markers
    text = expand_hugo(text)  # first: ``{{% notice %}}`` contains what looks like a Liquid tag
    expanded = expand_liquid(text, reusable)
    if not re.search(r"\w", expanded) and re.search(r"\w", LIQUID_TAG.sub("", text)):
        expanded = expand_liquid(text, reusable, all_branches=True)
    text = expanded
    out: list[str] = []
    for is_code, chunk in _split_fences(text):
        if is_code:
            out.append(_dedent_fences(chunk))
        else:
            out.append("\n".join(docusaurus_admonitions(_prose(chunk).split("\n"))))
    text = finish_admonitions("\n".join(out))
    text = _placeholder_steps(text)
    text = text.replace(RAW_OPEN, "{").replace(RAW_CLOSE, "}")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"


_PLACEHOLDER_LINE = re.compile(r"^(\s*)\*\(shared text: (.*)\)\*\s*$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s")


def _placeholder_steps(text: str) -> str:
    """A missing reusable that was step 1 of a numbered list becomes "1. (shared step …)"."""
    lines = text.split("\n")
    # the next non-blank line after each line, in one backward pass (slicing per line was quadratic)
    following = [""] * len(lines)
    for i in range(len(lines) - 2, -1, -1):
        following[i] = lines[i + 1] if lines[i + 1].strip() else following[i + 1]
    previous = ""  # the previous non-blank line, as already rewritten (a run of placeholders chains)
    for i, line in enumerate(lines):
        m = _PLACEHOLDER_LINE.match(line)
        if m and (_NUMBERED.match(following[i]) or _NUMBERED.match(previous)):
            lines[i] = f"{m.group(1)}1. *(shared step: {m.group(2)})*"
        if lines[i].strip():
            previous = lines[i]
    return "\n".join(lines)


HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")


def plain_text(markdown_text: str) -> str:
    """Markdown inline syntax → readable plain text (for titles and summaries, which are escaped)."""
    # bounded spans: an unclosed "[a](" must not scan to the end of the text from every "["
    text = re.sub(r"!\[([^\[\]]{0,1000})\]\([^)]{0,1000}\)", r"\1", markdown_text)
    text = re.sub(r"\[([^\[\]]{0,1000})\]\([^)]{0,1000}\)", r"\1", text)
    text = re.sub(r"\[([^\[\]]{0,1000})\]\[[^\[\]]{0,1000}\]", r"\1", text)
    text = re.sub(r"<[^>]{0,200}>", "", text)
    text = re.sub(r"(\*\*|__|\*|`|~~)", "", text)
    text = html.unescape(text)
    return " ".join(text.split())


def title_from_filename(path: str) -> str:
    """``recovering-your-account.md`` → ``Recovering your account``; ``x/index.md`` uses ``x``."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    stem = re.sub(r"\.(md|markdown)$", "", parts[-1] if parts else "", flags=re.I)
    if stem.lower() in {"index", "_index", "readme"} and len(parts) > 1:
        stem = parts[-2]
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem)
    words = re.sub(r"[_\-.]+", " ", stem).strip() or "Untitled"
    return words[:1].upper() + words[1:]


def first_heading(body: str) -> tuple[str | None, str]:
    """(title, body): the first heading; removed from the body when it is the first line."""
    lines = body.split("\n")
    in_code = False
    first_content = next((i for i, line in enumerate(lines) if line.strip()), None)
    for i, line in enumerate(lines):
        if FENCE.match(line):
            in_code = not in_code
        if in_code:
            continue
        m = HEADING.match(line)
        setext = (
            line.strip()
            and not line.startswith("    ")
            and i + 1 < len(lines)
            and re.match(r"^\s{0,3}(=+|-+)\s*$", lines[i + 1])
            and (i == 0 or not lines[i - 1].strip())
        )
        if m or setext:
            title = plain_text(m.group(2) if m else line)
            if not title:
                continue
            if i == first_content:
                body = "\n".join(lines[i + (1 if m else 2) :]).lstrip("\n")
            return title, body
    return None, body


def summary_from_body(body: str, limit: int = SUMMARY_FALLBACK_CHARS) -> str:
    """The first prose paragraph as plain text, cut at a word boundary near ``limit``."""
    para: list[str] = []
    in_code = False
    for line in body.split("\n"):
        stripped = line.strip()
        if FENCE.match(line):
            in_code = not in_code
            if para:
                break
            continue
        if in_code:
            continue
        if not stripped:
            if para:
                break
            continue
        if re.match(r"^\s{0,3}(=+|-+)\s*$", line) and para:
            para = []  # the paragraph was a setext heading
            continue
        if para or (
            not re.match(r"^(#|!!!|\?\?\?|\||>|<|!\[|[-*+] |\d+[.)] |\*\(shared|[-=]{3,}|\[\^)", stripped)
            and not line.startswith("    ")
        ):
            para.append(stripped)
        elif para:
            break
    # a summary needs a few hundred characters: a one-paragraph 2 MiB page is not stripped whole
    para_text = " ".join(para)[:SUMMARY_SCAN_CHARS]
    text = plain_text(re.sub(r"\*\(shared (text|step): [^)]{0,1000}\)\*", "", para_text))
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
