"""Cheap checks on the shape of a Markdown body, before any parser sees it.

Python-Markdown is quadratic on a few shapes: many headings or setext underlines (each one splits
the block and re-scans the rest), runs of ``[`` (each bracket scans ahead for its match) and deep
nesting. Counting these is linear and lets kb refuse with a message that says what to change,
instead of spending the render time limit to say "too slow". The time limit in kb.lib.markdown
stays the backstop for any shape not listed here. Figures and reasons: docs/rendering.md.
"""

from __future__ import annotations

import re

from django.conf import settings

from kb.lib.errors import InvalidInput

# ATX headings ("# x") and setext underlines ("===" / "---" right under a line that is not blank;
# a "---" after a blank line is a rule). The lookahead keeps the match linear on very long lines.
_HEADING_LINE = re.compile(
    r"^ {0,3}#{1,6}(?:[ \t]|$)|^(?=[^\n]*\S)[^\n]*\n {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE
)
# A quote nested past N levels, or a list item indented past 2N columns (filled in with N).
_QUOTE_DEPTH = r"^(?:[ \t]{0,3}>){%d}"
_LIST_DEPTH = r"^[ \t]{%d,}(?:[-*+]|\d{1,9}[.)])[ \t]"


def check_shape(text: str) -> None:
    """Raise InvalidInput (field ``body``) if ``text`` has a shape known to be slow to render."""
    headings = len(_HEADING_LINE.findall(text))
    if headings > settings.KB_MARKDOWN_MAX_HEADINGS:
        raise InvalidInput(
            f"The body has {headings:,} headings (or heading underlines); "
            f"at most {settings.KB_MARKDOWN_MAX_HEADINGS:,} are allowed. Please simplify it.",
            field="body",
        )
    brackets = text.count("[")
    if brackets > settings.KB_MARKDOWN_MAX_BRACKETS:
        raise InvalidInput(
            f"The body has {brackets:,} square brackets; at most {settings.KB_MARKDOWN_MAX_BRACKETS:,} "
            "are allowed (each link uses one). Please simplify it.",
            field="body",
        )
    depth = settings.KB_MARKDOWN_MAX_NESTING
    if re.search(_QUOTE_DEPTH % (depth + 1), text, re.MULTILINE) or re.search(
        _LIST_DEPTH % (2 * (depth + 1)), text, re.MULTILINE
    ):
        raise InvalidInput(
            f"The body has quotes or lists nested more than {depth} levels deep. Please simplify it.",
            field="body",
        )
