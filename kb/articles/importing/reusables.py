"""GitHub Docs reusables: the files that ``{% data reusables.a.b %}`` inlines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kb.articles.importing.common import SUFFIXES


def reusable_finder(root: Path, file: Path) -> Callable[[str], str | None]:
    """GitHub Docs reusables (``data/reusables/a/b.md``) looked up in the folders above ``file``."""
    bases = [d for d in [file.parent, *file.parents] if d == root or root in d.parents]

    def find(dotted: str) -> str | None:
        rel = Path("data", "reusables", *dotted.split("."))
        for base in bases:
            for suffix in SUFFIXES:
                candidate = base / rel.with_suffix(suffix)
                if candidate.is_file():
                    try:
                        return candidate.read_text("utf-8-sig")
                    except (OSError, UnicodeDecodeError):
                        return None
        return None

    return find
