"""Markdown → sanitised HTML, bounded in time.

Rendering happens once per version (the HTML is stored); pages never call this. Python-Markdown is
quadratic on some shapes (runs of ``[``: 8,000 take ~8 s), so input that is large or dense in markup
characters is rendered in a forked child with a hard time limit; a timeout is a clear refusal, not a
hung request. Everything is then sanitised with an allow-list (nh3): whatever the parser lets through,
only known tags, attributes and URL schemes survive. See docs/rendering.md.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import re
import unicodedata
from dataclasses import dataclass

import markdown
import nh3
from django.conf import settings

from kb.lib.errors import InvalidInput

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

# Above these, a pathological input could take seconds: render it in a child with a time limit.
_INLINE_MAX_CHARS = 20_000
_INLINE_MAX_MARKUP = 400
_MARKUP_CHARS = re.compile(r"[\[\]()<>`*_!\\&|]")


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


def _child(conn, text: str) -> None:  # pragma: no cover - runs in the forked child
    try:
        conn.send(("ok", _render_unbounded(text)))
    except Exception as exc:
        conn.send(("error", repr(exc)))
    finally:
        conn.close()
        os._exit(0)


def _render_in_child(text: str, timeout: float) -> tuple[str, str, list[str]]:
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, text), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise InvalidInput(
                "This text has a shape the Markdown renderer cannot handle in time (for example thousands of "
                "unmatched brackets). Please simplify it.",
                field="body",
            )
        state, payload = parent.recv()
    except EOFError as exc:
        raise InvalidInput("The Markdown renderer failed on this text.", field="body") from exc
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()
    if state != "ok":
        raise InvalidInput("The Markdown renderer failed on this text.", field="body")
    return payload


def needs_isolation(text: str) -> bool:
    return len(text) > _INLINE_MAX_CHARS or len(_MARKUP_CHARS.findall(text)) > _INLINE_MAX_MARKUP


def render_markdown(text: str) -> Rendered:
    """Render and sanitise ``text``; raises InvalidInput if it is too large or too slow to render."""
    limit = settings.KB_MARKDOWN_MAX_CHARS
    if len(text) > limit:
        raise InvalidInput(f"The body is {len(text):,} characters; the limit is {limit:,}.", field="body")
    text = text.replace("\x00", "")
    if needs_isolation(text):
        html, toc, headings = _render_in_child(text, settings.KB_MARKDOWN_TIMEOUT_SECONDS)
    else:
        html, toc, headings = _render_unbounded(text)
    return Rendered(html=sanitize(html), toc_html=sanitize(toc), headings=headings)
