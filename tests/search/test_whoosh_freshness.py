"""A Whoosh searcher notices another process's commit at once, even though it skips listing the
index folder while the folder's mtime stands still (``IndexFolders._is_current`` in
kb.search.backends.whoosh_folders)."""

from __future__ import annotations

import os
import time

from kb.search.backends import Filters
from kb.search.backends.whoosh import WhooshBackend
from kb.search.text import parse_query
from tests.search.test_outbox import _doc


def _count(backend: WhooshBackend, q: str) -> int:
    return backend.search(
        parse_query(q), visibility_keys=["public"], filters=Filters(), limit=20, offset=0
    ).count


def _backdate(folder: os.PathLike[str], seconds: float) -> None:
    then = time.time() - seconds
    os.utime(folder, (then, then))


def test_a_commit_by_another_process_is_seen_after_the_cheap_check_took_over(settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = tmp_path / "index"
    reader, writer = WhooshBackend(), WhooshBackend()  # two processes, as two gunicorn workers
    build = writer.rebuild([_doc(1, 1)])
    _backdate(build, 60)  # old enough that the next checks trust the mtime
    assert _count(reader, "word1") == 1
    assert _count(reader, "word1") == 1  # checked in full once; from now on a stat() suffices
    assert reader._checked is not None

    writer.upsert([_doc(2, 1)])
    _backdate(build, 30)  # moved, and old again: only the changed mtime tells
    assert _count(reader, "word2") == 1


def test_a_folder_changed_within_the_racy_window_is_always_listed(settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = tmp_path / "index"
    reader, writer = WhooshBackend(), WhooshBackend()
    build = writer.rebuild([_doc(1, 1)])
    assert _count(reader, "word1") == 1
    assert _count(reader, "word1") == 1
    assert reader._checked is not None
    stamp = reader._checked[1]
    writer.upsert([_doc(2, 1)])
    # The commit landed in the same clock tick as the reader's last check: the mtime did not move.
    os.utime(build, ns=(stamp, stamp))
    assert _count(reader, "word2") == 1


def test_a_writer_retries_an_index_whose_files_another_commit_just_removed(settings, tmp_path, monkeypatch):
    import pytest

    from kb.search.backends import BackendUnavailable
    from kb.search.backends import whoosh as wb

    settings.KB_SEARCH_INDEX_DIR = tmp_path / "index"
    backend = WhooshBackend()
    backend.rebuild([_doc(1, 1)])
    real_open = WhooshBackend._open_index
    failures = {"left": 2}

    def flaky_open(self, path):  # type: ignore[no-untyped-def]
        if failures["left"] > 0:
            failures["left"] -= 1
            raise BackendUnavailable("index corrupt: FileNotFoundError")
        return real_open(self, path)

    monkeypatch.setattr(WhooshBackend, "_open_index", flaky_open)
    backend.upsert([_doc(2, 1)])
    assert failures["left"] == 0
    monkeypatch.setattr(WhooshBackend, "_open_index", real_open)
    assert _count(backend, "word2") == 1

    calls = {"n": 0}

    def broken_open(self, path):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        raise BackendUnavailable("index corrupt: IndexError")

    monkeypatch.setattr(WhooshBackend, "_open_index", broken_open)
    with pytest.raises(BackendUnavailable):
        backend.upsert([_doc(3, 1)], wait=5)
    assert calls["n"] == wb.OPEN_ATTEMPTS  # a damaged index is reported, not retried until the deadline


def test_a_write_that_changes_nothing_leaves_no_files_behind(settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = tmp_path / "index"
    backend = WhooshBackend()
    build = backend.rebuild([_doc(1, 1)])
    before = sorted(p.name for p in build.iterdir())
    for _ in range(5):
        backend.upsert([_doc(1, 1)])  # the same document: cancelled, not committed
        backend.delete([42])  # nothing held: cancelled too
    assert sorted(p.name for p in build.iterdir()) == before
    assert _count(backend, "word1") == 1


def test_health_notices_files_rewritten_under_a_live_searcher(settings, tmp_path):
    settings.KB_SEARCH_INDEX_DIR = tmp_path / "index"
    backend, writer = WhooshBackend(), WhooshBackend()
    build = writer.rebuild([_doc(1, 1)])
    assert _count(backend, "word1") == 1 and backend.health() == "ok"
    writer.upsert([_doc(2, 1)])  # an ordinary commit by another process is no damage
    assert backend.health() == "ok"
    for path in build.iterdir():
        if path.is_file() and path.name != "kb-schema.json":
            path.write_bytes(b"\x00garbage\xff" * 64)
    assert backend.health().startswith("unavailable: ")
