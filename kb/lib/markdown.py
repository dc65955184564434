"""Markdown → sanitised HTML, bounded in time.

Rendering happens once per version (the HTML is stored); pages never call this. Python-Markdown is
quadratic on some shapes (runs of ``[``: 8,000 take ~8 s; 5,000 short headings ~3 s), so every
render is bounded in two ways: shapes known to be slow are refused up front with a message that
says what to change (kb.lib.render_limits), and anything beyond a small envelope of size and markup
(where the worst case measured is a few tenths of a second) renders in a forked child with a hard
time limit; a timeout or a parser crash is a clear refusal naming the body, never a hung request
or a 500. Everything is then sanitised with an allow-list (nh3): whatever the parser lets through,
only known tags, attributes and URL schemes survive. See docs/rendering.md.
"""

from __future__ import annotations

import html
import logging
import math
import multiprocessing
import os
import re
import resource
import unicodedata
from dataclasses import dataclass

import markdown
import nh3
from django.conf import settings

from kb.lib.errors import InvalidInput
from kb.lib.render_limits import check_shape
from kb.lib.text_checks import bad_character

logger = logging.getLogger(__name__)

HEADING_PREFIX = "h-"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "input": {"type", "checked", "disabled"},
    "details": {"open"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_SAFE_CLASS = re.compile(
    r"^(admonition|admonition-title|note|info|tip|hint|success|warning|caution|danger|error|important|"
    r"question|example|quote|bug|abstract|seealso|task-list|task-list-item|task-list-control|"
    r"task-list-indicator|toc|language-[a-z0-9_+-]{1,30}|highlight|footnote|footnote-ref|footnote-backref|"
    r"headerlink)$"
)

# The inline envelope: within all of these, the slowest shape found by generating runs and pairs
# of every ASCII punctuation character took ~0.3 s. Anything larger renders in the timed child
# (a fork costs ~10 ms, once per saved version).
_INLINE_MAX_CHARS = 6_000
_INLINE_MAX_LINES = 200
_INLINE_MAX_BRACKETS = 40
_INLINE_MAX_MARKUP = 300
_MARKUP_CHARS = re.compile(r"[\[\]()<>`*_!\\&|~#]")

_TOO_SLOW = (
    "The body could not be rendered in time: its shape is too costly for the Markdown renderer "
    "(for example thousands of unmatched brackets or headings). Please simplify it."
)
_FAILED = "The body could not be rendered as Markdown (the renderer failed on its shape). Please simplify it."


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    headings: list[str]


def _slugify_heading(value: str, separator: str) -> str:
    value = unicodedata.normalize("NFKC", value).lower()
    value = re.sub(r"[^\w\s-]", "", value, flags=re.UNICODE)
    value = re.sub(r"[\s_-]+", separator, value).strip(separator)
    return HEADING_PREFIX + (value or "section")


def _build() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            "tables",
            "fenced_code",
            "sane_lists",
            "admonition",
            "footnotes",
            "def_list",
            "pymdownx.tasklist",
            "pymdownx.details",
            "pymdownx.tilde",
            "toc",
        ],
        extension_configs={
            "toc": {"slugify": _slugify_heading, "toc_depth": "2-4"},
            "pymdownx.tasklist": {"custom_checkbox": False},
            "footnotes": {"UNIQUE_IDS": True},
        },
        output_format="html",
    )


# Characters a browser may ignore or that hide a scheme from a naive check ("java\tscript:").
_URL_NOISE = re.compile(r"[\s\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


def _unsafe_url(value: str) -> bool:
    """True if the URL names a scheme outside ``URL_SCHEMES`` once entities and noise are removed.

    nh3 already drops javascript:/data: URLs; this second, stricter look also refuses spellings a
    browser would not run today (tabs turned to spaces, U+2028 inside the scheme) so that no surface
    ever carries something that merely *looks* harmless.
    """
    probe = _URL_NOISE.sub("", html.unescape(value)).lower()
    match = _SCHEME.match(probe)
    return match is not None and match.group(1) not in URL_SCHEMES


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr in {"href", "src"} and _unsafe_url(value):
        return None
    if attr == "id":
        # Prefix every id so article content can never collide with the page's own ids.
        return value if value.startswith(HEADING_PREFIX) else HEADING_PREFIX + value
    if attr == "href" and value.startswith("#"):
        return value if value.startswith("#" + HEADING_PREFIX) else "#" + HEADING_PREFIX + value[1:]
    if attr == "class":
        kept = [c for c in value.split() if _SAFE_CLASS.match(c)]
        return " ".join(kept) or None
    if tag == "input":
        if attr == "type":
            return "checkbox" if value == "checkbox" else None
        if attr in {"checked", "disabled"}:
            return attr  # task-list checkboxes are display only
    return value


def sanitize(html: str) -> str:
    """Allow-list sanitising; also used for any HTML that did not come from our renderer."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_attribute_filter,
        # the only inputs we render are task-list checkboxes: whatever the source said, that is all
        # an <input> can be (never a text box or a button)
        set_tag_attribute_values={"input": {"type": "checkbox", "disabled": "disabled"}},
    )
    return cleaned


def _render_unbounded(text: str) -> tuple[str, str, list[str]]:
    md = _build()
    html = md.convert(text)
    tokens = getattr(md, "toc_tokens", [])
    headings: list[str] = []

    def walk(items: list[dict]) -> None:
        for item in items:
            headings.append(item.get("name", ""))
            walk(item.get("children", []))

    walk(tokens)
    return html, getattr(md, "toc", ""), headings


def _child(conn, text: str, timeout: float) -> None:  # pragma: no cover - runs in the forked child
    try:
        # A hostile body must not slow the requests beside it: lower priority, and a CPU limit
        # that ends the child even if the parent died before it could kill it.
        os.nice(10)
        cpu = math.ceil(timeout) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        conn.send(("ok", _render_unbounded(text)))
    except Exception as exc:
        conn.send(("error", repr(exc)))
    finally:
        conn.close()
        os._exit(0)


def _render_in_child(text: str, timeout: float) -> tuple[str, str, list[str]]:
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, text, timeout), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise InvalidInput(_TOO_SLOW, field="body")
        state, payload = parent.recv()
    except EOFError as exc:
        raise InvalidInput(_FAILED, field="body") from exc
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()
    if state != "ok":
        logger.warning("markdown renderer failed in the child: %s", payload)
        raise InvalidInput(_FAILED, field="body")
    return payload


def _render_inline(text: str) -> tuple[str, str, list[str]]:
    try:
        return _render_unbounded(text)
    except Exception as exc:  # RecursionError and friends: the input's fault, never a 500
        logger.warning("markdown renderer failed: %r", exc)
        raise InvalidInput(_FAILED, field="body") from exc


def needs_isolation(text: str) -> bool:
    """True unless ``text`` is inside the small envelope whose worst case is known to be fast."""
    return (
        len(text) > _INLINE_MAX_CHARS
        or text.count("\n") > _INLINE_MAX_LINES
        or text.count("[") > _INLINE_MAX_BRACKETS
        or len(_MARKUP_CHARS.findall(text)) > _INLINE_MAX_MARKUP
    )


def render_markdown(text: str) -> Rendered:
    """Render and sanitise ``text``; raises InvalidInput (field ``body``) if it is refused.

    Refused: too long, an invalid character, a shape known to be slow, a render that overran the
    time limit or crashed the parser. Bounded for any input.
    """
    limit = settings.KB_MARKDOWN_MAX_CHARS
    if len(text) > limit:
        raise InvalidInput(f"The body is {len(text):,} characters; the limit is {limit:,}.", field="body")
    text = text.replace("\x00", "")
    problem = bad_character(text)
    if problem and "surrogate" in problem:
        raise InvalidInput(f"The body {problem[0].lower()}{problem[1:]}", field="body")
    check_shape(text)
    if needs_isolation(text):
        html, toc, headings = _render_in_child(text, settings.KB_MARKDOWN_TIMEOUT_SECONDS)
    else:
        html, toc, headings = _render_inline(text)
    return Rendered(html=sanitize(html), toc_html=sanitize(toc), headings=headings)
