"""What every dialect pass shares: the failure type and the private markers passed between passes.

The markers are control characters (``\x02``, ``\x03``) that ``to_kb_markdown`` strips from the input
first, so a file cannot forge them.
"""

from __future__ import annotations

import re

SUFFIXES = (".md", ".markdown")


class ImportFailure(Exception):
    """A file that cannot become an article; the message names the reason."""


ADM_OPEN = "\x02ADM:{}:{}\x02"
ADM_CLOSE = "\x02/ADM\x02"
RAW_OPEN = "\x03("
RAW_CLOSE = "\x03)"


def attrs(text: str) -> dict[str, str]:
    return {m.group(1): m.group(3) for m in re.finditer(r'([\w-]+)\s*=\s*(["\'])(.*?)\2', text, re.S)}
