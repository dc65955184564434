"""Reading markdown files from other help centres (and kb's own export) into kb articles.

Two halves:

* ``parse_document`` (``document.py``) is pure: bytes + path → an ``ImportDocument`` (title, summary,
  body in kb's markdown dialect, kind, status, tags, categories, teams…). It reads YAML and TOML front
  matter (``frontmatter.py``), Liquid as Jekyll / GitHub Docs write it (``liquid.py``), Hugo shortcodes
  (``hugo.py``), Docusaurus ``:::`` and MkDocs ``!!!`` admonitions (``admonitions.py``) and MDX bits
  (``convert.py``, which runs the passes in order). Files written by ``kb_export`` (front matter with a
  kb ``kind``) are taken verbatim so that export → import is lossless.
* ``import_tree`` (``saving.py``) walks a folder (``files.py``) and saves each file through
  ``kb.articles.services``, one transaction per file, so a failing file leaves nothing half-saved and
  the others still import. GitHub Docs reusables are looked up by ``reusables.py``.

Re-importing is idempotent: each article remembers ``source_path`` and ``source_hash`` (sha256 of the
file bytes *and* the options that shape the result), so an unchanged file is skipped without a write.
See docs/import-export.md for the mapping rules and the limits.
"""

from kb.articles.importing.common import SUFFIXES, ImportFailure
from kb.articles.importing.convert import (
    first_heading,
    plain_text,
    summary_from_body,
    title_from_filename,
    to_kb_markdown,
)
from kb.articles.importing.document import ImportDocument, parse_document
from kb.articles.importing.files import FILE_MAX_BYTES, find_markdown_files, walk
from kb.articles.importing.frontmatter import split_front_matter
from kb.articles.importing.hugo import expand_hugo
from kb.articles.importing.liquid import expand_liquid, variable_text
from kb.articles.importing.reusables import reusable_finder
from kb.articles.importing.saving import (
    ImportReport,
    default_importer,
    import_file,
    import_tree,
    source_hash,
)

__all__ = [
    "FILE_MAX_BYTES",
    "SUFFIXES",
    "ImportDocument",
    "ImportFailure",
    "ImportReport",
    "default_importer",
    "expand_hugo",
    "expand_liquid",
    "find_markdown_files",
    "first_heading",
    "import_file",
    "import_tree",
    "parse_document",
    "plain_text",
    "reusable_finder",
    "source_hash",
    "split_front_matter",
    "summary_from_body",
    "title_from_filename",
    "to_kb_markdown",
    "variable_text",
    "walk",
]
