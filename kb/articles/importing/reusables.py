"""GitHub Docs reusables: the files that ``{% data reusables.a.b %}`` inlines.

``reusables.a.b`` is ``data/reusables/a/b.md`` in the page's folder or one of the folders above it, up
to PATH and never above. The lookup goes through ``files.read_below`` (no links, nothing outside PATH);
a reference that spells a path (``reusables./etc/passwd``) or reaches a symbolic link fails the page
that holds it. Nesting is bounded by ``liquid.MAX_REUSABLE_DEPTH``; the total text one page pulls in by
``MAX_EXPANDED_CHARS`` and ``MAX_LOOKUPS``, so ten references to ten references to a large file cannot
multiply into gigabytes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

from kb.articles.importing.common import SUFFIXES, ImportFailure
from kb.articles.importing.files import LinkRefused, printable, read_below

MAX_EXPANDED_CHARS = 1_000_000
MAX_LOOKUPS = 10_000


def reusable_finder(root: Path, file: Path | str) -> Callable[[str], str | None]:
    """A lookup for one page (``file``: its path below ``root``, relative or not) with its own budget."""
    rel = PurePosixPath(Path(file).relative_to(root).as_posix() if Path(file).is_absolute() else file)
    folders = rel.parts[:-1]
    bases = [folders[:i] for i in range(len(folders), -1, -1)]
    cache: dict[str, str | None] = {}
    spent = {"chars": 0, "lookups": 0}

    def find(dotted: str) -> str | None:
        spent["lookups"] += 1
        if spent["lookups"] > MAX_LOOKUPS:
            raise ImportFailure(f"more than {MAX_LOOKUPS:,} shared-text references")
        if dotted not in cache:
            cache[dotted] = _lookup(root, bases, dotted)
        content = cache[dotted]
        if content is not None:
            spent["chars"] += len(content)
            if spent["chars"] > MAX_EXPANDED_CHARS:
                raise ImportFailure(f"shared text expands past {MAX_EXPANDED_CHARS:,} characters")
        return content

    return find


def _lookup(root: Path, bases: list[tuple[str, ...]], dotted: str) -> str | None:
    segments = dotted.split(".")
    if any("/" in s or "\\" in s or "\0" in s for s in segments):
        raise ImportFailure(f"shared text {printable(dotted)!r} points outside the folder")
    if not all(segments):
        return None  # "a..b": a typo, shown as the readable placeholder like any missing reusable
    names = [segments[-1] + suffix for suffix in SUFFIXES]
    for base in bases:
        try:
            data = read_below(root, (*base, "data", "reusables", *segments[:-1]), names)
        except LinkRefused:
            raise ImportFailure(f"shared text {printable(dotted)!r}: symbolic link, not followed") from None
        except ImportFailure as exc:
            raise ImportFailure(f"shared text {printable(dotted)!r}: {exc}") from None
        if data is None:
            continue
        if b"\0" in data:  # the page's own rule (document.py): NUL means binary
            raise ImportFailure(f"shared text {printable(dotted)!r}: binary content")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    return None
