"""The embedded Whoosh backend: one index folder per build, a ``current`` pointer, bounded lock waits.

Layout under ``settings.KB_SEARCH_INDEX_DIR``::

    current            text file naming the live build, replaced atomically (os.replace)
    index-<stamp>/     a complete Whoosh index + kb-schema.json (our schema version)
    rebuild.lock       flock held by whoever builds a fresh index

Readers open whatever ``current`` names; ``rebuild`` builds a new folder beside it and swaps the
pointer, so search never goes down. Writers take Whoosh's write lock with a bounded timeout and
retry; after getting it they re-read the pointer so that an update never lands in a build that was
just swapped out (the rebuild holds the old build's write lock while it reads the database).

Analysis (the same chain at index and query time): NFKC + case folding (``kb.search.text``), words
for alphabetic scripts and overlapping bigrams for CJK/Thai, then the Snowball English stemmer for
the ranked fields. ``exact`` keeps unstemmed words: it is the vocabulary for typo correction and
for prefix expansion while typing.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import gc
import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from whoosh import index as windex  # noqa: TID251
from whoosh.analysis import Token, Tokenizer  # noqa: TID251
from whoosh.fields import ID, KEYWORD, STORED, TEXT, FieldType, Schema  # noqa: TID251
from whoosh.filedb.filestore import FileStorage  # noqa: TID251
from whoosh.formats import Existence, Positions  # noqa: TID251
from whoosh.index import LockError  # noqa: TID251
from whoosh.lang import stemmer_for_language  # noqa: TID251
from whoosh.query import Or, Phrase  # noqa: TID251
from whoosh.scoring import BM25F  # noqa: TID251

from kb.search.backends import BackendUnavailable, Filters, Hit, SearchDoc, SearchPage
from kb.search.backends.whoosh_scoring import Snapshot, facet_counts, near_words, top
from kb.search.text import Clause, ParsedQuery, make_snippet, normalize, tokens, word_list

SCHEMA_VERSION = 5
SCHEMA_FILE = "kb-schema.json"
POINTER = "current"

# field → weight. Title words matter most; summary, headings, tags and category names next.
FIELD_WEIGHTS = {"title": 4.0, "meta": 2.0, "body": 1.0}
# A build folder modified less than this long ago is listed again on every search (_is_current).
RACY_NS = 1_000_000_000
# A writer opening the index while another process commits may find files gone; it tries this often.
OPEN_ATTEMPTS = 5


def __getattr__(name: str) -> Any:
    """``REBUILD_PROCESSES``: ``rebuild_search_index`` analyses in ``settings.KB_SEARCH_REBUILD_PROCS``
    forked processes, each writing its own segment; searching across a few segments costs nothing
    measurable. Other callers (the worker's automatic rebuild, tests) build in-process: forking a
    process that runs threads (gunicorn gthread, test servers) can deadlock the children. Read from
    the settings when asked, never at import."""
    if name == "REBUILD_PROCESSES":
        return settings.KB_SEARCH_REBUILD_PROCS
    raise AttributeError(name)


def _lock_wait() -> float:
    return float(settings.KB_SEARCH_LOCK_WAIT)


def _rebuild_writer_options(processes: int) -> dict[str, Any]:
    limit_mb = settings.KB_SEARCH_REBUILD_MB  # memory per process before spilling to disk
    if processes > 1:
        return {"procs": processes, "multisegment": True, "limitmb": limit_mb}
    return {"limitmb": limit_mb}


_stem = stemmer_for_language("en")


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Snowball English for words of Latin script; CJK bigrams and numbers pass through."""
    if not word.isascii() or not word.isalpha():
        return word
    return _stem(word)


# Indexing analyses each document's title, meta and body for the ranked fields and again, whole, for
# ``exact``. The last few analyses are memoised so each text is tokenised once per process.
_MEMO: dict[str, list[str]] = {}
_MEMO_SIZE = 16
PART_SEP = "\x1f"  # joins a document's parts in ``exact`` (a control character: never a token)


def _analysed(value: str) -> list[str]:
    found = _MEMO.get(value)
    if found is None:
        found = word_list(normalize(value))
        if len(_MEMO) >= _MEMO_SIZE:
            del _MEMO[next(iter(_MEMO))]  # the oldest: the document before this one
        _MEMO[value] = found
    return found


class KBTokenizer(Tokenizer):
    """Words and CJK/Thai bigrams from ``kb.search.text.tokens`` after NFKC + case folding.

    Indexing does not call it token by token: the formats below ask ``words`` for the whole list.
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def words(self, value: str) -> list[str]:
        return _analysed(value)

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        spans = tokens(normalize(value))
        for i, (text, span) in enumerate(zip(self.words(value), spans, strict=False)):
            t.text = text
            if keeporiginal:
                t.original = text  # type: ignore[attr-defined]
            if positions:
                t.pos = start_pos + i
            if chars:
                t.startchar = start_char + span.start
                t.endchar = start_char + span.end
            yield t


class VocabularyTokenizer(KBTokenizer):
    """Each distinct word of a document once (``exact`` records presence, not counts or positions).

    Indexing splits the value on ``PART_SEP`` so that each part reuses the ranked fields' analysis.
    """

    def words(self, value: str) -> list[str]:
        seen: dict[str, None] = {}
        for part in value.split(PART_SEP):
            seen.update(dict.fromkeys(_analysed(part)))
        return list(seen)


class StemmingTokenizer(KBTokenizer):
    """The ranked fields' analyser: KBTokenizer's words, stemmed, in one step (a separate Whoosh
    filter would add a generator hop for each of millions of tokens)."""

    def words(self, value: str) -> list[str]:
        return [stem(w) for w in _analysed(value)]


class KBPositions(Positions):
    """Whoosh's positions format, fed straight from our token lists (no Token objects, no
    generator chain per token: indexing spends most of its time here)."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        # (word, frequency, weight, encoded value); Whoosh's annotation says bytes, it yields str
        if not isinstance(analyzer, KBTokenizer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        poses: dict[str, list[int]] = {}
        for i, text in enumerate(analyzer.words(value)):
            poses.setdefault(text, []).append(i)
        fb = self.field_boost
        for word, poslist in poses.items():
            yield word, len(poslist), len(poslist) * fb, self.encode(poslist)


class KBExistence(Existence):
    """Whoosh's presence-only format, fed straight from our token lists."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        # (word, frequency, weight, encoded value); Whoosh's annotation says bytes, it yields str
        if not isinstance(analyzer, KBTokenizer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        fb = self.field_boost
        for word in set(analyzer.words(value)):
            yield word, 1, fb, b""


STEMMED: Any = StemmingTokenizer()  # a lone tokenizer is a whole analyser in Whoosh
PLAIN: Any = VocabularyTokenizer()


def _ranked(*, stored: bool = False) -> TEXT:
    field = TEXT(analyzer=STEMMED, stored=stored, phrase=True)
    field.format = KBPositions()
    return field


def make_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        version=STORED(),
        digest=STORED(),  # of the fields below: an unchanged document is not written again
        title=_ranked(stored=True),
        meta=_ranked(),
        body=_ranked(stored=True),
        summary=STORED(),
        # the vocabulary for typo correction and prefix expansion: presence only, never scored
        exact=FieldType(KBExistence(), analyzer=PLAIN, scorable=False),
        kind=ID(stored=True),
        catpath=KEYWORD(),
        visibility=KEYWORD(stored=True),
    )


def _doc_fields(doc: SearchDoc) -> dict[str, Any]:
    meta = "\n".join([doc.summary, doc.headings, " ".join(doc.tags), " ".join(doc.category_names)])
    fields = {
        "id": str(doc.article_id),
        "version": doc.version,
        "title": doc.title,
        "meta": meta,
        "body": doc.body,
        "summary": doc.summary,
        "exact": PART_SEP.join([doc.title, meta, doc.body]),
        "kind": doc.kind,
        "catpath": " ".join(doc.category_paths),
        "visibility": " ".join(doc.visibility),
    }
    fields["digest"] = hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:32]
    return fields


class WhooshBackend:
    """Whoosh index folders under ``settings.KB_SEARCH_INDEX_DIR`` (read on every call: tests move it)."""

    name = "whoosh"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._open: tuple[Path, Any, Any] | None = None  # (build dir, index, searcher)
        self._snapshot: Snapshot | None = None  # arrays for the open searcher (whoosh_scoring)
        # (build dir, its mtime) when the open searcher was last found current; see _is_current.
        self._checked: tuple[Path, int] | None = None
        # size and mtime of the open build's files when it was opened; see health().
        self._files: dict[str, tuple[int, int]] = {}

    # -- locations ------------------------------------------------------------------------------

    @property
    def root(self) -> Path:
        return Path(settings.KB_SEARCH_INDEX_DIR)

    def _current_dir(self) -> Path:
        try:
            name = (self.root / POINTER).read_text().strip()
        except FileNotFoundError:
            raise BackendUnavailable("index missing") from None
        path = self.root / name
        if not name or "/" in name or not path.is_dir():
            raise BackendUnavailable("index missing")
        return path

    def _open_index(self, path: Path) -> Any:
        try:
            meta = json.loads((path / SCHEMA_FILE).read_text())
        except (OSError, ValueError):
            raise BackendUnavailable("index corrupt: no schema version") from None
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise BackendUnavailable("index schema out of date; run rebuild_search_index")
        try:
            # No mmap: a file overwritten under a live server would kill the process with SIGBUS;
            # plain reads turn the same damage into an exception, and so into the database fallback.
            return FileStorage(str(path), supports_mmap=False).open_index()
        except Exception as exc:  # any Whoosh/OS error here means the files are not a usable index
            raise BackendUnavailable(f"index corrupt: {type(exc).__name__}") from None

    def close(self) -> None:
        with self._lock:
            self._checked = None
            self._files = {}
            if self._open is not None:
                with contextlib.suppress(Exception):
                    self._open[2].close()
            self._open = None
            self._snapshot = None

    def _searcher(self) -> Any:
        """A searcher on the live build, refreshed when a writer committed since the last call."""
        path = self._current_dir()
        with self._lock:
            if self._open is not None and self._open[0] == path:
                _, ix, searcher = self._open
                try:
                    if self._is_current(path, ix, searcher):
                        return searcher
                    fresh = ix.searcher(weighting=BM25F(B=0.6, K1=1.2))
                    with contextlib.suppress(Exception):
                        searcher.close()
                except Exception as exc:
                    self.close()
                    raise BackendUnavailable(f"index corrupt: {type(exc).__name__}") from None
                if fresh is not searcher:
                    self._snapshot = None
                    self._open = (path, ix, fresh)
                    self._files = _file_stamps(path)
                return fresh
            self.close()
            ix = self._open_index(path)
            try:
                searcher = ix.searcher(weighting=BM25F(B=0.6, K1=1.2))
            except Exception as exc:
                raise BackendUnavailable(f"index corrupt: {type(exc).__name__}") from None
            self._open = (path, ix, searcher)
            self._files = _file_stamps(path)
            return searcher

    def _is_current(self, path: Path, ix: Any, searcher: Any) -> bool:
        """Whether no writer committed since ``searcher`` opened; usually one stat() instead of listing.

        Every commit writes a new TOC file, so the build folder's mtime moves. Listing the folder and
        parsing every file name (``latest_generation``) costs more than the rest of a cached search, so
        it runs only when the mtime moved, or while the mtime is too recent to trust: timestamps are
        coarse (a clock tick), and a commit in the same tick as our check would leave it unchanged
        (git's "racy" index entries, same rule).
        """
        stamp = os.stat(path).st_mtime_ns
        if self._checked == (path, stamp) and time.time_ns() - stamp > RACY_NS:
            return True
        # Not searcher.refresh(): it reuses segment readers and misses deletion-only commits.
        current = bool(ix.latest_generation() == searcher.reader().generation())
        self._checked = (path, stamp) if current else None
        return current

    # -- writing --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _writer(self, wait: float | None = None) -> Iterator[Any]:
        """Whoosh's single writer, waited for with a bounded timeout, on the build that is live now."""
        deadline = time.monotonic() + (_lock_wait() if wait is None else wait)
        failed_opens = 0
        while True:
            path = self._current_dir()
            try:
                ix = self._open_index(path)
            except BackendUnavailable:
                # Opening reads the newest TOC before the lock is ours, and another process's commit
                # may delete that generation's files meanwhile (FileNotFoundError): try again. A few
                # failures in a row mean the index really is damaged.
                failed_opens += 1
                if failed_opens >= OPEN_ATTEMPTS or time.monotonic() >= deadline:
                    raise
                time.sleep(0.02 * failed_opens)
                continue
            remaining = deadline - time.monotonic()
            try:
                writer = ix.writer(timeout=max(0.05, min(remaining, 1.0)), delay=0.02)
            except LockError:
                if time.monotonic() >= deadline:
                    raise
                continue
            if self._current_dir() != path:  # a rebuild swapped builds while we waited
                writer.cancel()
                continue
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            else:
                if getattr(writer, "kb_unchanged", False):
                    # Nothing written: no new generation, every cache stays warm. Whoosh's cancel()
                    # leaves the new segment's empty files behind until the next commit cleans up;
                    # they are this writer's alone, so remove them here.
                    segment_id = writer.newsegment.segment_id()
                    writer.cancel()
                    _remove_segment_files(path, segment_id)
                else:
                    writer.commit()
            return

    def upsert(self, docs: Sequence[SearchDoc], *, wait: float | None = None) -> None:
        """Write the documents that differ from what the live build holds.

        The comparison happens under the write lock, on the build the write goes to (a rebuild may
        have swapped builds meanwhile). A commit makes a new generation, which empties every
        process's caches; a draft saved on a published article changes nothing and commits nothing.
        """
        if not docs:
            return
        fields = [_doc_fields(doc) for doc in docs]
        with self._writer(wait) as writer:
            held = _held_digests(writer, [f["id"] for f in fields])
            changed = [f for f in fields if held.get(f["id"]) != f["digest"]]
            for f in changed:
                writer.update_document(**f)
            writer.kb_unchanged = not changed

    def delete(self, article_ids: Sequence[int], *, wait: float | None = None) -> None:
        if not article_ids:
            return
        with self._writer(wait) as writer:
            held = _held_digests(writer, [str(i) for i in article_ids])
            for article_id in held:
                writer.delete_by_term("id", article_id)
            writer.kb_unchanged = not held

    def rebuild(self, docs: Iterable[SearchDoc], *, processes: int = 1) -> Path:  # type: ignore[override]
        """Build a fresh index beside the live one, then swap the pointer. Returns the new folder.

        While building, the old build's write lock is held so no update is applied to a build that
        is about to be replaced; those updates wait in the outbox and reach the new build.
        """
        root = self.root
        root.mkdir(parents=True, exist_ok=True)
        with open(root / "rebuild.lock", "w") as lockfile:
            fcntl.flock(lockfile, fcntl.LOCK_EX)
            return self._build(docs, processes=processes)

    def create_if_missing(
        self,
        docs: Iterable[SearchDoc] | Callable[[], Iterable[SearchDoc]],
        *,
        repair: bool = False,
        blocking: bool = True,
    ) -> bool:
        """Build the index from ``docs`` if there is no usable one (none yet, or an older schema; with
        ``repair`` also a damaged one). True if this call built it.

        Safe under concurrency: builders take ``rebuild.lock`` (an flock, so other processes and
        threads alike) and look again once they hold it, so of many processes finding no index at
        the same moment one builds and the rest find it built. ``blocking=False`` returns at once
        when someone else is building.
        """
        if self._unusable(repair=repair) is None:
            return False
        root = self.root
        root.mkdir(parents=True, exist_ok=True)
        with open(root / "rebuild.lock", "w") as lockfile:
            try:
                fcntl.flock(lockfile, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                return False
            if self._unusable(repair=repair) is None:
                return False
            self._build(docs, processes=1)
            return True

    def _unusable(self, *, repair: bool) -> str | None:
        """Why the live build cannot be used and should be built again, or None."""
        try:
            self._open_index(self._current_dir())
        except BackendUnavailable as exc:
            reason = str(exc)
            if repair or not reason.startswith("index corrupt"):
                return reason
        return None

    def _build(
        self, docs: Iterable[SearchDoc] | Callable[[], Iterable[SearchDoc]], *, processes: int
    ) -> Path:
        """Build a new folder and swap the pointer; the caller holds ``rebuild.lock``."""
        root = self.root
        old_writer = None
        old_path: Path | None = None
        try:
            old_path = self._current_dir()
            old_ix = self._open_index(old_path)
            old_writer = old_ix.writer(timeout=_lock_wait(), delay=0.05)
        except (BackendUnavailable, LockError):
            old_writer = None
        try:
            stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{time.time_ns() % 10**9:09d}"
            new_path = root / f"index-{stamp}"
            new_path.mkdir()
            ix = windex.create_in(str(new_path), make_schema())
            if processes > 1:
                # Forked analysers inherit this process's heap; frozen objects are left out of
                # their garbage collections, which would otherwise walk (and copy) all of it.
                gc.freeze()
            try:
                writer = ix.writer(**_rebuild_writer_options(processes))
                try:
                    for doc in docs() if callable(docs) else docs:
                        writer.add_document(**_doc_fields(doc))
                    writer.commit()
                except BaseException:
                    writer.cancel()
                    shutil.rmtree(new_path, ignore_errors=True)
                    raise
            finally:
                if processes > 1:
                    gc.unfreeze()
            (new_path / SCHEMA_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
            tmp = root / f".{POINTER}.{os.getpid()}"
            tmp.write_text(new_path.name)
            os.replace(tmp, root / POINTER)
        finally:
            if old_writer is not None:
                with contextlib.suppress(Exception):
                    old_writer.cancel()
        self.close()
        for child in root.iterdir():
            if child.is_dir() and child.name.startswith("index-") and child != new_path:
                shutil.rmtree(child, ignore_errors=True)
        return new_path

    # -- reading --------------------------------------------------------------------------------

    def health(self) -> str:
        """``ok``, or why search cannot be trusted. Besides opening the index, checks that the files the
        open searcher reads were not rewritten in place (a ``cp``/``rsync`` over the folder): a process
        answering from memory would not notice otherwise, and a fresh one would fail. If they were,
        the searcher is dropped and the index opened again, which fails on damaged files (searches
        then fall back) and succeeds after a legitimate commit."""
        try:
            with self._lock:
                self._searcher()
                if self._open is not None and self._files_changed(self._open[0]):
                    self.close()
                    self._searcher()
        except BackendUnavailable as exc:
            return f"unavailable: {exc}"
        return "ok"

    def _files_changed(self, path: Path) -> bool:
        now = _file_stamps(path)
        return any(now.get(name) != stamp for name, stamp in self._files.items())

    def indexed_state(self) -> dict[int, tuple[int, tuple[str, ...]]]:
        """article id → (version, visibility keys) for every document in the live build."""
        with self._lock:
            searcher = self._searcher()
            return {
                int(f["id"]): (int(f["version"]), tuple(sorted((f.get("visibility") or "").split())))
                for f in searcher.all_stored_fields()
            }

    def size_bytes(self) -> int:
        path = self._current_dir()
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())

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


def _held_digests(writer: Any, ids: Sequence[str]) -> dict[str, str | None]:
    """id → stored digest, for the ids that the writer's build holds."""
    out: dict[str, str | None] = {}
    with writer.searcher() as searcher:
        for i in ids:
            docnum = searcher.document_number(id=i)
            if docnum is not None:
                out[i] = searcher.stored_fields(docnum).get("digest")
    return out


def _replace_words(text: str, fixes: dict[str, str]) -> str:
    out = []
    for word in text.split():
        key = normalize(word).strip("\"'()*?.,;:!")
        out.append(fixes.get(key, word))
    return " ".join(out)


def _file_stamps(path: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of a build's files but its locks: Whoosh writes new files and deletes old ones,
    and never rewrites one in place."""
    out: dict[str, tuple[int, int]] = {}
    try:
        entries = list(os.scandir(path))
    except OSError:
        return out
    for entry in entries:
        if "LOCK" not in entry.name.upper() and entry.is_file():
            try:
                st = entry.stat()
            except OSError:
                continue
            out[entry.name] = (st.st_size, st.st_mtime_ns)
    return out


def _remove_segment_files(path: Path, segment_id: str) -> None:
    for entry in os.scandir(path):
        if entry.name.startswith(segment_id + "."):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
