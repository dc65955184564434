"""Whoosh index folders: one folder per build, a ``current`` pointer, bounded lock waits, rebuilds.

Layout under ``settings.KB_SEARCH_INDEX_DIR``::

    current            text file naming the live build, replaced atomically (os.replace)
    index-<stamp>/     a complete Whoosh index + kb-schema.json (our schema version)
    rebuild.lock       flock held by whoever builds a fresh index

Readers open whatever ``current`` names; ``rebuild`` builds a new folder beside it and swaps the
pointer, so search never goes down. Writers take Whoosh's write lock with a bounded timeout and
retry; after getting it they re-read the pointer so that an update never lands in a build that was
just swapped out (the rebuild holds the old build's write lock while it reads the database).
Searching lives in ``kb.search.backends.whoosh``, which builds on ``IndexFolders``.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from whoosh import index as windex  # noqa: TID251
from whoosh.filedb.filestore import FileStorage  # noqa: TID251
from whoosh.index import LockError  # noqa: TID251
from whoosh.scoring import BM25F  # noqa: TID251

from kb.search.backends import BackendUnavailable, SearchDoc
from kb.search.backends.whoosh_schema import SCHEMA_FILE, SCHEMA_VERSION, _doc_fields, make_schema
from kb.search.backends.whoosh_scoring import Snapshot

POINTER = "current"
# A build folder modified less than this long ago is listed again on every search (_is_current).
RACY_NS = 1_000_000_000
# A writer opening the index while another process commits may find files gone; it tries this often.
OPEN_ATTEMPTS = 5


def _lock_wait() -> float:
    return float(settings.KB_SEARCH_LOCK_WAIT)


def _rebuild_writer_options(processes: int) -> dict[str, Any]:
    limit_mb = settings.KB_SEARCH_REBUILD_MB  # memory per process before spilling to disk
    if processes > 1:
        return {"procs": processes, "multisegment": True, "limitmb": limit_mb}
    return {"limitmb": limit_mb}


class IndexFolders:
    """Whoosh index folders under ``settings.KB_SEARCH_INDEX_DIR`` (read on every call: tests move it):
    opening, writing, rebuilding and health. ``WhooshBackend`` adds searching."""

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


def _held_digests(writer: Any, ids: Sequence[str]) -> dict[str, str | None]:
    """id → stored digest, for the ids that the writer's build holds."""
    out: dict[str, str | None] = {}
    with writer.searcher() as searcher:
        for i in ids:
            docnum = searcher.document_number(id=i)
            if docnum is not None:
                out[i] = searcher.stored_fields(docnum).get("digest")
    return out


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
