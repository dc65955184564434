"""The embedded Whoosh backend: searching (``IndexFolders`` in ``whoosh_folders`` keeps the folders,
``whoosh_schema`` the analysis, ``whoosh_scoring`` ranks with arrays).

Each search is computed over the documents the caller may see (their visibility keys, less the
entries the database no longer confirms): hits, count, facets, and the vocabulary that typo
correction and prefix completion read (``Vocabulary``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from django.conf import settings
from whoosh.query import Or, Phrase  # noqa: TID251

from kb.search.backends import Filters, Hit, SearchPage
from kb.search.backends.whoosh_folders import OPEN_ATTEMPTS, POINTER, RACY_NS, IndexFolders
from kb.search.backends.whoosh_schema import FIELD_WEIGHTS, SCHEMA_VERSION, make_schema, stem
from kb.search.backends.whoosh_scoring import Snapshot, facet_counts, near_words, top
from kb.search.text import Clause, ParsedQuery, make_snippet, normalize, tokens

__all__ = [
    "FIELD_WEIGHTS",
    "OPEN_ATTEMPTS",
    "POINTER",
    "RACY_NS",
    "SCHEMA_VERSION",
    "WhooshBackend",
    "make_schema",
    "stem",
]


def __getattr__(name: str) -> Any:
    """``REBUILD_PROCESSES``: ``rebuild_search_index`` analyses in ``settings.KB_SEARCH_REBUILD_PROCS``
    forked processes, each writing its own segment; searching across a few segments costs nothing
    measurable. Other callers (the worker's automatic rebuild, tests) build in-process: forking a
    process that runs threads (gunicorn gthread, test servers) can deadlock the children. Read from
    the settings when asked, never at import."""
    if name == "REBUILD_PROCESSES":
        return settings.KB_SEARCH_REBUILD_PROCS
    raise AttributeError(name)


class WhooshBackend(IndexFolders):
    """Search over the live build, one query at a time per process."""

    name = "whoosh"

    def _arrays(self, searcher: Any) -> Snapshot:
        """The array view of ``searcher``, built once per searcher generation."""
        with self._lock:
            snap = self._snapshot
            if snap is None or snap.searcher is not searcher:
                build = self._open[0].name if self._open is not None else "?"
                snap = Snapshot(searcher, build, tuple(FIELD_WEIGHTS))
                self._snapshot = snap
            return snap

    def _corrections(self, vocab: Vocabulary, word: str) -> list[str]:
        """Close words of the caller's vocabulary, nearest then most frequent first (typo tolerance)."""
        if len(word) < 4 or not word.isalpha():
            return []
        near = near_words(vocab.snap, "exact", word, 1 if len(word) < 5 else 2)
        found = {w: (d, vocab.df(w)) for w, d in near.items()}
        found = {w: dn for w, dn in found.items() if dn[1] > 0}
        if not found:
            return []
        nearest = min(d for d, _n in found.values())
        best = sorted((-n, w) for w, (d, n) in found.items() if d == nearest)
        return [w for _n, w in best[:2]]

    def _expansions(self, vocab: Vocabulary, prefix: str) -> list[str]:
        """Completions of an unfinished last word in the caller's vocabulary, most frequent first, bounded."""
        seen: list[tuple[int, str]] = []
        for i, btext in enumerate(vocab.snap.searcher.reader().expand_prefix("exact", prefix)):
            if i >= 300:
                break
            word = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            if word != prefix:
                n = vocab.df(word)
                if n:
                    seen.append((n, word))
        seen.sort(reverse=True)
        return [w for _, w in seen[:6]]

    def _alternatives(
        self, vocab: Vocabulary, clause: Clause, corrected: dict[str, str]
    ) -> tuple[list[tuple[tuple[str, ...], float]], set[str]]:
        """What one clause may match, each with a weight: as typed, synonyms, completions of an
        unfinished word, corrections of an unknown one. Also the stemmed keys (for snippets)."""
        alts: list[tuple[tuple[str, ...], float]] = [(clause.typed, 1.0)]
        alts += [(a, 0.9) for a in clause.alternatives[1:]]
        if not clause.phrase and not clause.cjk and len(clause.typed) == 1:
            word = clause.typed[0]
            if clause.prefix:
                alts += [((w,), 0.7) for w in self._expansions(vocab, word)]
            if vocab.df(word) == 0 and len(clause.alternatives) == 1:
                fixes = self._corrections(vocab, word)
                if fixes:
                    corrected[word] = fixes[0]
                alts += [((w,), 0.8) for w in fixes]
        if clause.cjk and len(clause.typed) == 1 and len(clause.typed[0]) == 1:
            # a single CJK character: match the bigrams that start with it
            ch = clause.typed[0]
            alts += [((w,), 0.8) for w in self._expansions(vocab, ch)]
        keys = {stem(w) for alt, _ in alts for w in alt}
        return alts, keys

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
        # One search at a time per process: Whoosh readers seek and read shared file objects, so
        # two threads (gunicorn gthread) reading at once corrupt each other's reads. Searches are
        # CPU-bound Python, so threads would not run them in parallel anyway.
        with self._lock:
            searcher = self._searcher()
            if query.is_empty or not visibility_keys:
                return SearchPage(hits=[], count=0)
            snap = self._arrays(searcher)
            key = (
                tuple((tuple(c.alternatives), c.phrase, c.prefix, c.cjk) for c in query.clauses),
                query.text,
                tuple(visibility_keys),
                tuple(exclude),
                filters.category,
                filters.kind,
                limit,
                offset,
            )
            page = snap.results.get(key)
            if page is None:
                allowed = snap.live & snap.mask("visibility", list(visibility_keys))
                for article_id in exclude:
                    allowed[snap.postings("id", str(article_id))[0]] = False
                vocab = Vocabulary(snap, allowed)
                page = self._search(searcher, vocab, query, filters, (offset, offset + limit))
                snap.results.put(key, page)
            return page

    def _search(
        self, searcher: Any, vocab: Vocabulary, query: ParsedQuery, filters: Filters, window: tuple[int, int]
    ) -> SearchPage:
        """Hits ranked ``window[0]`` to ``window[1]`` (with snippets), the count, facets, suggestion,
        all from the documents ``vocab.allowed`` lets the caller see."""
        snap, allowed = vocab.snap, vocab.allowed
        corrected: dict[str, str] = {}
        total = np.zeros(snap.n, np.float32)
        coverage = np.zeros(snap.n, np.int16)
        all_keys: set[str] = set()
        for clause in query.clauses:
            clause_score, clause_hit, keys = self._clause_arrays(searcher, vocab, clause, corrected)
            total += clause_score
            coverage += clause_hit
            all_keys |= keys
        base = allowed & (coverage > 0)
        cat_mask = self._facet_mask(snap, "catpath", filters.category)
        kind_mask = self._facet_mask(snap, "kind", filters.kind)
        matched = base
        if cat_mask is not None:
            matched = matched & cat_mask
        if kind_mask is not None:
            matched = matched & kind_mask
        # facets: each counted with the other facet's filter only (so a count says what a click gives)
        facets = {
            "kind": facet_counts(base if cat_mask is None else base & cat_mask, snap.facet_sets("kind")),
            "category": facet_counts(
                base if kind_mask is None else base & kind_mask, snap.facet_sets("catpath")
            ),
        }
        candidates = np.flatnonzero(matched).astype(np.int32)
        n_clauses = len(query.clauses)
        if n_clauses > 1:
            # coordination: documents matching more of the clauses rank higher
            total *= ((0.35 + 0.65 * coverage / n_clauses) ** 2).astype(np.float32)
        hits = []
        for docnum, score in top(total, candidates, window[1])[window[0] :]:
            fields = searcher.stored_fields(docnum)
            hits.append(
                Hit(
                    article_id=int(fields["id"]),
                    score=round(score, 4),
                    snippet=self._snippet(fields, all_keys),
                )
            )
        suggestion = None
        if corrected:
            useful = {w: fix for w, fix in corrected.items() if allowed[snap.postings("exact", fix)[0]].any()}
            if useful:
                suggestion = _replace_words(query.text, useful)
        return SearchPage(hits=hits, count=len(candidates), facets=facets, suggestion=suggestion)

    @staticmethod
    def _facet_mask(snap: Snapshot, fieldname: str, value: str | None) -> Any:
        if not value:
            return None
        out = np.zeros(snap.n, np.bool_)
        ids = snap.facet_sets(fieldname).get(value)  # absent: no live document has that value
        if ids is not None:
            out[ids] = True
        return out

    def _clause_arrays(
        self, searcher: Any, vocab: Vocabulary, clause: Clause, corrected: dict[str, str]
    ) -> tuple[Any, Any, set[str]]:
        """One clause's score per document (alternatives summed over weighted fields), its matches
        and the stemmed keys it may match (for snippets)."""
        snap = vocab.snap
        score = np.zeros(snap.n, np.float32)
        hit = np.zeros(snap.n, np.bool_)
        alts, keys = self._alternatives(vocab, clause, corrected)
        for alt, boost in alts:
            stems = [stem(w) for w in alt]
            if len(stems) == 1:
                for fieldname, weight in FIELD_WEIGHTS.items():
                    ids, values = snap.term_scores(fieldname, stems[0])
                    if len(ids):
                        score[ids] += values * np.float32(weight * boost)
                        hit[ids] = True
                continue
            # phrases (quoted text, CJK runs, multi-word synonyms) need positions: Whoosh matches them
            phrase = Or([Phrase(f, stems, boost=w * boost) for f, w in FIELD_WEIGHTS.items()])
            for h in searcher.search(phrase, limit=None):
                score[h.docnum] += np.float32(h.score)
                hit[h.docnum] = True
        return score, hit, keys

    @staticmethod
    def _snippet(fields: dict[str, Any], keys: set[str]) -> str:
        def analyze(text: str) -> Iterator[tuple[int, int, str]]:
            norm = normalize(text)
            shift_ok = len(norm) == len(text)
            for tok in tokens(norm if shift_ok else text.lower()):
                yield tok.start, tok.end, tok.text

        def matches(key: str) -> bool:
            return key in keys or stem(key) in keys

        body = fields.get("body") or ""
        hints = sorted({k[:5] for k in keys if len(k) >= 2}, key=len, reverse=True)
        snippet = make_snippet(body, matches, analyze=analyze, hints=hints)
        if "<mark>" not in snippet:
            summary = fields.get("summary") or ""
            alt = make_snippet(summary, matches, analyze=analyze)
            if "<mark>" in alt or not snippet:
                return alt
        return snippet


class Vocabulary:
    """The words of the documents one caller may see (``allowed``), with their document frequency.

    Typo correction and completion read only this, so a word that exists only in an article the
    caller cannot read neither suppresses a correction nor crowds out a completion. When every
    document is visible (and none deleted), the index's own statistics are the same numbers.
    """

    def __init__(self, snap: Snapshot, allowed: Any) -> None:
        self.snap = snap
        self.allowed = allowed
        self._everything = bool(allowed.all())
        self._df: dict[str, int] = {}

    def df(self, word: str) -> int:
        found = self._df.get(word)
        if found is None:
            if self._everything:
                try:
                    found = int(self.snap.searcher.doc_frequency("exact", word))
                except Exception:
                    found = 0
            else:
                found = int(np.count_nonzero(self.allowed[self.snap.postings("exact", word)[0]]))
            self._df[word] = found
        return found


def _replace_words(text: str, fixes: dict[str, str]) -> str:
    out = []
    for word in text.split():
        key = normalize(word).strip("\"'()*?.,;:!")
        out.append(fixes.get(key, word))
    return " ".join(out)
