"""BM25F over a Whoosh index with arrays instead of Whoosh's matcher tree.

Whoosh stores and analyses; this module ranks. Whoosh's collector walks a tree of pure-Python
matchers one document at a time, which at 20,000 articles costs hundreds of milliseconds for a
three-word query whose words are common. Here each (field, term) posting list is read from the
index once, block by block, into two numpy arrays (document numbers and term frequencies), and a
query is a handful of vectorised operations over one score array per clause.

The score is Whoosh's BM25F, unchanged: ``idf = log(N / (df + 1)) + 1`` and
``idf · tf·(K1+1) / (tf + K1·(1 − B + B·len/avglen))`` with the field lengths Whoosh quantises to a
byte. Statistics (N, df, average lengths) are those of the searcher, deleted documents included,
as Whoosh counts them.

Caching follows the index's own structure. A segment never changes once written (deletions are
a separate bitmap), so posting arrays and field lengths are cached per segment and survive the
commits of other writers; a new searcher generation only reads what is new. The cache is bounded
by bytes (``settings.KB_SEARCH_POSTINGS_CACHE_MB``, default 48).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings

Ids = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float32]
Mask = npt.NDArray[np.bool_]

K1 = 1.2
B = 0.6

_EMPTY_IDS: Ids = np.zeros(0, np.int32)
_EMPTY_FLOATS: Floats = np.zeros(0, np.float32)


def _byte_to_length_table() -> Floats:
    from whoosh.util.numeric import byte_to_length  # noqa: TID251 (whoosh's own quantisation)

    return np.array([byte_to_length(i) for i in range(256)], np.float32)


class LRU:
    """Least recently used entries go first once the total weight passes ``limit``; thread-safe.

    ``weigh`` gives an entry's weight: 1 by default (a count), or its bytes. ``limit`` may be a
    function, read at each insertion (a setting, read at use rather than at import).
    """

    def __init__(
        self, limit: int | Callable[[], int], weigh: Callable[[Any], int] = lambda _value: 1
    ) -> None:
        self.limit = limit
        self.weigh = weigh
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Any, value: Any) -> None:
        limit = self.limit() if callable(self.limit) else self.limit
        if limit <= 0:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = value
            self._weight += self.weigh(value)
            while self._weight > limit and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._weight -= self.weigh(dropped)


def _posting_bytes(value: tuple[Ids, Floats]) -> int:
    return value[0].nbytes + value[1].nbytes


# (build, segment, field, term) → (local doc numbers, frequencies)
def _postings_cache_bytes() -> int:
    return int(settings.KB_SEARCH_POSTINGS_CACHE_MB * 2**20)


SEGMENT_POSTINGS = LRU(_postings_cache_bytes, _posting_bytes)
_SEGMENT_LENGTHS: dict[tuple[str, str], Floats] = {}
_LENGTHS_LOCK = threading.Lock()
_B2L: Floats | None = None


def _read_postings(matcher: Any) -> tuple[Ids, Floats]:
    """All (doc number, frequency) pairs of one segment's posting list, a block at a time."""
    ids: list[Any] = []
    weights: list[Any] = []
    # A segment with deletions wraps its lists in a filter; read the list itself (deleted documents
    # are dropped by the live mask, and the cached arrays stay valid as deletions accumulate).
    while not hasattr(matcher, "_read_ids") and hasattr(matcher, "child"):
        matcher = matcher.child
        matcher.reset()
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):  # whoosh3's block reader
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.append(np.asarray(matcher._ids, np.int32))
            weights.append(np.asarray(matcher._weights, np.float32))
            matcher._next_block()
        if not ids:
            return _EMPTY_IDS, _EMPTY_FLOATS
        return np.concatenate(ids), np.concatenate(weights)
    while matcher.is_active():  # inlined short lists and any other matcher
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, np.int32), np.asarray(weights, np.float32)


class Snapshot:
    """One searcher generation as arrays: live documents, field lengths, posting lists, facet sets.

    Document numbers are the searcher's (segment offset + local number), so results map straight
    back to ``searcher.stored_fields``.
    """

    def __init__(self, searcher: Any, build_key: str, scored_fields: Sequence[str]) -> None:
        self.searcher = searcher
        self.build_key = build_key
        self.n = int(searcher.doc_count_all())
        self.leaves: list[tuple[Any, int, str]] = []
        live = np.ones(self.n, np.bool_)
        for reader, offset in searcher.reader().leaf_readers():
            segment = reader.segment() if hasattr(reader, "segment") else None
            seg_id = segment.segment_id() if segment is not None else f"leaf@{offset}"
            self.leaves.append((reader, int(offset), seg_id))
            if reader.has_deletions():
                deleted = getattr(reader, "deleted_docs_set", None)  # a cached property in whoosh3
                if callable(deleted):
                    deleted = deleted()
                if deleted is None:
                    deleted = [d for d in range(reader.doc_count_all()) if reader.is_deleted(d)]
                dels = deleted
                idx = np.fromiter(dels, np.int64) + offset
                live[idx] = False
        self.live = live
        self.lengths = {f: self._field_lengths(f) for f in scored_fields}
        self.avglen = {f: float(searcher.avg_field_length(f) or 1.0) or 1.0 for f in scored_fields}
        self._terms: dict[tuple[str, str], tuple[Ids, Floats]] = {}
        self._scores: dict[tuple[str, str], tuple[Ids, Floats]] = {}
        self._facets: dict[str, dict[str, Ids]] = {}
        self._lock = threading.Lock()
        # Finished result pages of this generation (Solr's queryResultCache): a support floor asks
        # the same few questions all day, and any commit makes a new generation, so none go stale.
        self.results = LRU(settings.KB_SEARCH_RESULT_CACHE)

    def _field_lengths(self, fieldname: str) -> Floats:
        global _B2L
        if _B2L is None:
            _B2L = _byte_to_length_table()
        parts = []
        for reader, _offset, seg_id in self.leaves:
            key = (f"{self.build_key}/{seg_id}", fieldname)
            with _LENGTHS_LOCK:
                cached = _SEGMENT_LENGTHS.get(key)
            if cached is None:
                count = reader.doc_count_all()
                cached = np.fromiter(
                    (reader.doc_field_length(d, fieldname, 0) or 0 for d in range(count)), np.float32, count
                )
                with _LENGTHS_LOCK:
                    if len(_SEGMENT_LENGTHS) > 256:
                        _SEGMENT_LENGTHS.clear()
                    _SEGMENT_LENGTHS[key] = cached
            parts.append(cached)
        return np.concatenate(parts) if parts else _EMPTY_FLOATS

    def postings(self, fieldname: str, term: str) -> tuple[Ids, Floats]:
        """Live documents containing ``term`` in ``fieldname`` and its frequency in each."""
        key = (fieldname, term)
        found = self._terms.get(key)
        if found is not None:
            return found
        ids_parts, w_parts = [], []
        for reader, offset, seg_id in self.leaves:
            ckey = (self.build_key, seg_id, fieldname, term)
            local = SEGMENT_POSTINGS.get(ckey)
            if local is None:
                try:
                    matcher = reader.postings(fieldname, term)
                except Exception:  # TermNotFound: not in this segment
                    local = (_EMPTY_IDS, _EMPTY_FLOATS)
                else:
                    local = _read_postings(matcher)
                SEGMENT_POSTINGS.put(ckey, local)
            if len(local[0]):
                ids_parts.append(local[0] + np.int32(offset))
                w_parts.append(local[1])
        if not ids_parts:
            found = (_EMPTY_IDS, _EMPTY_FLOATS)
        else:
            ids = np.concatenate(ids_parts)
            weights = np.concatenate(w_parts)
            keep = self.live[ids]
            found = (ids[keep], weights[keep]) if not keep.all() else (ids, weights)
        with self._lock:
            if len(self._terms) > 4096:
                self._terms.clear()
                self._scores.clear()
            self._terms[key] = found
        return found

    def term_scores(self, fieldname: str, term: str) -> tuple[Ids, Floats]:
        """BM25F of ``term`` in ``fieldname`` for every live document that contains it."""
        key = (fieldname, term)
        found = self._scores.get(key)
        if found is not None:
            return found
        ids, tf = self.postings(fieldname, term)
        if not len(ids):
            found = (ids, tf)
        else:
            df = self.searcher.doc_frequency(fieldname, term)
            idf = math.log(self.n / (df + 1)) + 1.0
            norm = (1.0 - B) + B * (self.lengths[fieldname][ids] / self.avglen[fieldname])
            found = (ids, (idf * tf * (K1 + 1.0) / (tf + K1 * norm)).astype(np.float32))
        with self._lock:
            self._scores[key] = found
        return found

    def mask(self, fieldname: str, terms: Sequence[str]) -> Mask:
        out = np.zeros(self.n, np.bool_)
        for term in terms:
            out[self.postings(fieldname, term)[0]] = True
        return out

    def facet_sets(self, fieldname: str) -> dict[str, Ids]:
        """Every value of a facet field → its live documents (read once per generation)."""
        found = self._facets.get(fieldname)
        if found is None:
            found = {}
            for term in list(self.searcher.lexicon(fieldname)):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                ids = self.postings(fieldname, text)[0]
                if len(ids):
                    found[text] = ids
            with self._lock:
                self._facets[fieldname] = found
        return found


_SEGMENT_WORDS: dict[tuple[str, str], dict[tuple[str, int], list[str]]] = {}


def near_words(snap: Snapshot, fieldname: str, word: str, maxdist: int) -> dict[str, int]:
    """Words of ``fieldname``'s vocabulary within ``maxdist`` edits of ``word`` → their distance.

    Edits are optimal string alignment (a swap of neighbours is one edit, as a typist makes it).
    Candidates share the first letter and have a length within ``maxdist``: the vocabulary is kept
    in (first letter, length) buckets per segment, so a lookup compares a few hundred words in C
    (rapidfuzz) instead of walking the term dictionary in Python.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    candidates: set[str] = set()
    for reader, _offset, seg_id in snap.leaves:
        key = (f"{snap.build_key}/{seg_id}", fieldname)
        buckets = _SEGMENT_WORDS.get(key)
        if buckets is None:
            buckets = {}
            for term in reader.lexicon(fieldname):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                if len(text) >= 3 and text.isalpha():
                    buckets.setdefault((text[0], len(text)), []).append(text)
            if len(_SEGMENT_WORDS) > 64:
                _SEGMENT_WORDS.clear()
            _SEGMENT_WORDS[key] = buckets
        for length in range(len(word) - maxdist, len(word) + maxdist + 1):
            candidates.update(buckets.get((word[0], length), ()))
    candidates.discard(word)
    found = process.extract(word, list(candidates), scorer=OSA.distance, score_cutoff=maxdist, limit=None)
    return {choice: int(dist) for choice, dist, _ in found}


def facet_counts(matched: Mask, sets: dict[str, Ids]) -> dict[str, int]:
    """value → number of matched documents with it, largest first, zeros left out."""
    out = {}
    for value, ids in sets.items():
        n = int(np.count_nonzero(matched[ids]))
        if n:
            out[value] = n
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def top(scores: Floats, candidates: Ids, k: int) -> list[tuple[int, float]]:
    """The ``k`` best (doc number, score) pairs: score descending, then doc number ascending."""
    if k <= 0 or not len(candidates):
        return []
    values = scores[candidates]
    if len(candidates) > k:
        # everything scoring at least the k-th best, so ties at the boundary are broken by doc number
        kth = np.partition(values, len(values) - k)[len(values) - k]
        keep = values >= kth
        candidates, values = candidates[keep], values[keep]
    order = np.lexsort((candidates, -values))[:k]
    return [(int(candidates[i]), float(values[i])) for i in order]
