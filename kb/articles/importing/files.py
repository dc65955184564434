"""Finding the files to import below PATH."""

from __future__ import annotations

from pathlib import Path

from kb.articles.importing.common import SUFFIXES


def find_markdown_files(root: Path) -> list[Path]:
    """Every .md/.markdown file below ``root`` in a stable order (hidden folders skipped)."""
    files = [
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())
