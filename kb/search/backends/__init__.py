"""The search backend protocol and the cached choice of engine (STYLE §3).

A backend stores ``SearchDoc`` objects (built from the *published* version of an article) and answers
``ParsedQuery`` objects with article ids, scores, snippets, a total and facet counts, all restricted to
the caller's visibility keys (the vocabulary for typo correction and completion too).
``kb.search.selectors`` hydrates the ids through the access layer, which has the last word.
Nothing is built at import time: ``get_backend()`` picks the engine from
``settings.KB_SEARCH_BACKEND`` on first use, the way Django picks a cache backend.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings

from kb.lib.caches import register_reset
from kb.search.text import ParsedQuery


class BackendUnavailable(Exception):
    """The index cannot answer (missing, corrupt, schema out of date); callers fall back to the database."""


@dataclass
class SearchDoc:
    """What the index knows about one article: its published version, flattened to text."""

    article_id: int
    version: int
    title: str
    summary: str
    headings: str
    body: str
    tags: list[str]
    category_codes: list[str]  # direct categories
    category_paths: list[str]  # direct categories and all their ancestors (for filters and facets)
    category_names: list[str]
    kind: str
    visibility: list[str]  # "public" or "team:<id>" per team the article is restricted to
    status: str = "published"


@dataclass
class Filters:
    category: str | None = None  # a category code: matches it and every category below it
    kind: str | None = None


@dataclass
class Hit:
    article_id: int
    score: float
    snippet: str  # safe HTML: escaped text, matches in <mark>


@dataclass
class SearchPage:
    hits: list[Hit]
    count: int
    facets: dict[str, dict[str, int]] = field(default_factory=lambda: {"kind": {}, "category": {}})
    suggestion: str | None = None  # a corrected query that finds visible articles, or None


class SearchBackend(Protocol):
    name: str

    def upsert(self, docs: Sequence[SearchDoc]) -> None: ...

    def delete(self, article_ids: Sequence[int]) -> None: ...

    def search(
        self,
        query: ParsedQuery,
        *,
        visibility_keys: Sequence[str],
        filters: Filters,
        limit: int,
        offset: int,
        exclude: Sequence[int] = (),
    ) -> SearchPage:
        """Matches among the documents carrying one of ``visibility_keys``, less the articles in
        ``exclude`` (entries the database no longer confirms): hits, count, facets and the typo and
        completion vocabulary all come from that same set."""
        ...

    def health(self) -> str: ...

    def indexed_state(self) -> dict[int, tuple[int, tuple[str, ...]]]: ...

    def rebuild(self, docs: Sequence[SearchDoc] | object, *, processes: int = 1) -> None: ...

    def create_if_missing(self, docs: Any, *, repair: bool = False, blocking: bool = True) -> bool: ...


_lock = threading.Lock()
_backend: Any = None  # a SearchBackend once chosen


def get_backend() -> SearchBackend:
    """The configured backend, created on first call and cached for the process."""
    global _backend
    with _lock:
        if _backend is None:
            if settings.KB_SEARCH_BACKEND == "postgres":
                from kb.search.backends.postgres import PostgresBackend

                _backend = PostgresBackend()
            else:
                from kb.search.backends.whoosh import WhooshBackend

                _backend = WhooshBackend()
        return _backend


@register_reset
def reset_backend() -> None:
    global _backend
    with _lock:
        if _backend is not None and hasattr(_backend, "close"):
            _backend.close()
        _backend = None
