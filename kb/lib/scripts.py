"""Scripts written without spaces between words (Thai, Lao, Han, Hiragana, Katakana, Hangul).

The one definition of those Unicode ranges: search cuts them into character bigrams
(``kb.search.text``), the word diff compares them a character at a time (``kb.articles.diff``).
"""

from __future__ import annotations

import re

NOSPACE_RANGES = (
    (0x0E00, 0x0E7F),  # Thai
    (0x0E80, 0x0EFF),  # Lao
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul Jamo extended A
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xD7B0, 0xD7FF),  # Hangul Jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9D),  # half-width Katakana
    (0x20000, 0x2FA1F),  # CJK extensions B–F and compatibility supplement
)

# Any text whose largest character is below this has no character of those scripts (a fast test).
NOSPACE_MIN = chr(NOSPACE_RANGES[0][0])

# A regular-expression character class of every range, e.g. for ``re.compile(f"[{NOSPACE_CLASS}]+")``.
NOSPACE_CLASS = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in NOSPACE_RANGES)


def is_nospace(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in NOSPACE_RANGES)


NOSPACE_RE = re.compile(f"[{NOSPACE_CLASS}]+")
