"""Template filters for showing an article's stored, sanitised HTML on a page."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])")


@register.filter
def article_headings(html: str) -> SafeString:
    """Keep the page's one ``<h1>`` (the title): if the body has h1s, shift every heading down a level.

    ``html`` is the stored body, already sanitised by nh3, so a literal ``<h1`` can only be a tag (text
    is escaped to ``&lt;h1``). Bodies without an h1 keep their levels: their h2s sit under the title.
    The heading ids, and so the table of contents' links, do not change. h6 stays h6.
    """
    html = html or ""
    if "<h1" not in html:
        return mark_safe(html)  # stored HTML, sanitised when the version was saved
    shifted = _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}", html)
    return mark_safe(shifted)  # the same HTML, only heading levels changed
