"""The only place the importer touches the file system: the walk below PATH and every file it reads.

PATH is untrusted (a folder someone sent, a checkout of someone else's docs), so the rules are:

* Nothing outside PATH is read. Every open is relative to a directory descriptor that was itself
  opened below PATH with ``O_NOFOLLOW``, one name at a time: a symbolic link (to a file or a folder,
  pointing inside PATH or not) is never followed, ``..`` and absolute paths cannot be spelled, and a
  folder swapped for a link while the import runs is refused too (no check-then-open race).
* Only regular files are read (a FIFO would block, a device would never end), and at most
  ``FILE_MAX_BYTES`` of them: a larger file is refused from its ``fstat`` size, before any byte is read,
  and a file that grows past the limit while it is read is refused too.
* Names that are not printable text (undecodable bytes, control characters, bidi controls) are
  refused: they would end up in ``source_path`` and in the one-line failure report.
* The walk is lazy (a generator, one folder listing at a time), in the order of the relative paths, so
  memory does not grow with the size of the folder.
"""

from __future__ import annotations

import errno
import os
import stat
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kb.articles.importing.common import SUFFIXES, ImportFailure

FILE_MAX_BYTES = 2 * 1024 * 1024  # 2 MiB: ten times the body limit, room for front matter and markup
MAX_FOLDER_DEPTH = 32
_READ_CHUNK = 64 * 1024
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
TOO_LARGE = f"file is larger than {FILE_MAX_BYTES // 2**20} MiB"


def is_markdown(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def printable(text: str) -> str:
    """``text`` on one line with undecodable bytes, control and bidi characters escaped (``\\xe9``,
    ``\\n``), so a hostile file name or error message cannot forge or reorder report lines."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape for a byte that is not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch in "\n\r\t":
            out.append(repr(ch)[1:-1])
        elif unicodedata.category(ch) in {"Cc", "Cs"} or ch in _BIDI_CONTROLS:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def name_problem(name: str, what: str = "file") -> str | None:
    """Why a directory entry's name cannot be imported, or None."""
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in name):
        return f"the {what} name is not valid UTF-8 text"
    if any(unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS for ch in name):
        return f"the {what} name holds control characters"
    return None


def _read_fd(fd: int) -> bytes:
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise ImportFailure("not a regular file")
    if info.st_size > FILE_MAX_BYTES:
        raise ImportFailure(f"{TOO_LARGE} ({info.st_size:,} bytes)")
    chunks: list[bytes] = []
    total = 0
    while chunk := os.read(fd, _READ_CHUNK):
        total += len(chunk)
        if total > FILE_MAX_BYTES:
            raise ImportFailure(f"{TOO_LARGE} (it grew while it was read)")
        chunks.append(chunk)
    return b"".join(chunks)


def _is_link(dir_fd: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


class LinkRefused(ImportFailure):
    """A path below PATH goes through a symbolic link."""

    def __init__(self) -> None:
        super().__init__("symbolic link, not followed")


class Vanished(ImportFailure):
    """The file was listed but is gone when it is opened."""

    def __init__(self) -> None:
        super().__init__("the file disappeared while importing")


def read_at(dir_fd: int, name: str) -> bytes:
    """The bytes of regular file ``name`` in the open folder ``dir_fd``, within the rules above."""
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except FileNotFoundError:
        raise Vanished from None
    except OSError as exc:
        if exc.errno == errno.ELOOP or _is_link(dir_fd, name):
            raise LinkRefused from None
        raise ImportFailure(f"cannot be read ({exc.strerror})") from None
    try:
        return _read_fd(fd)
    finally:
        os.close(fd)


def read_below(root: Path, folder: Sequence[str], names: Sequence[str]) -> bytes | None:
    """The first of ``names`` that exists in ``root/folder…``, opened one component at a time without
    following links.

    None when none exists (or a component is not a folder); ``LinkRefused`` when a component is a
    symbolic link; ``ImportFailure`` for a file that breaks the other rules.
    """
    if any(not p or p in {".", ".."} or "/" in p or "\0" in p for p in (*folder, *names)):
        raise ImportFailure("the path leaves the folder")
    fds = [os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)]
    try:
        for part in folder:
            try:
                fds.append(os.open(part, _DIR_FLAGS, dir_fd=fds[-1]))
            except (FileNotFoundError, NotADirectoryError):
                if _is_link(fds[-1], part):
                    raise LinkRefused from None
                return None
            except OSError as exc:
                if exc.errno == errno.ELOOP or _is_link(fds[-1], part):
                    raise LinkRefused from None
                raise ImportFailure(f"cannot be read ({exc.strerror})") from None
        for name in names:
            try:
                return read_at(fds[-1], name)
            except Vanished:
                continue
        return None
    finally:
        for fd in fds:
            os.close(fd)


@dataclass
class Entry:
    """One markdown file found below PATH, or (``problem`` set) one that is refused and why.

    ``read()`` works while the walk that yielded the entry is at that entry (it holds the folder open).
    """

    rel: str
    problem: str | None = None
    _dir_fd: int = -1
    _name: str = ""

    def read(self) -> bytes:
        if self.problem:
            raise ImportFailure(self.problem)
        return read_at(self._dir_fd, self._name)


def _kind(entry: os.DirEntry[str]) -> str:
    if entry.is_symlink():
        return "link"
    if entry.is_dir(follow_symlinks=False):
        return "dir"
    if entry.is_file(follow_symlinks=False):
        return "file"
    return "other"


def walk(root: Path) -> Iterator[Entry]:
    """Every ``.md``/``.markdown`` file below ``root`` (hidden names skipped), sorted by relative path,
    plus one refused entry per link, special file or bad name that would otherwise be imported."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        yield from _walk(fd, ())
    finally:
        os.close(fd)


def _walk(dir_fd: int, prefix: tuple[str, ...]) -> Iterator[Entry]:
    try:
        with os.scandir(dir_fd) as listing:
            entries = [(e.name, _kind(e)) for e in listing if not e.name.startswith(".")]
    except OSError as exc:  # e.g. removed or unreadable: that folder fails, the walk goes on
        yield Entry("/".join(prefix) or ".", f"folder cannot be listed ({exc.strerror})")
        return
    # a folder sorts as "name/": the order of the full relative paths, without listing them all first
    entries.sort(key=lambda item: item[0] + "/" if item[1] == "dir" else item[0])
    for name, kind in entries:
        rel = "/".join((*prefix, name))
        if kind == "dir":
            problem = name_problem(name, "folder")
            if problem is None and len(prefix) + 1 >= MAX_FOLDER_DEPTH:
                problem = f"folders nested deeper than {MAX_FOLDER_DEPTH} levels are not read"
            if problem:
                yield Entry(rel, problem)
                continue
            try:
                sub = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
            except FileNotFoundError:
                continue  # removed since the listing: nothing of it was going to be imported yet
            except OSError as exc:
                link = _is_link(dir_fd, name)
                yield Entry(
                    rel, "symbolic link, not followed" if link else f"cannot be read ({exc.strerror})"
                )
                continue
            try:
                yield from _walk(sub, (*prefix, name))
            finally:
                os.close(sub)
        elif kind == "link":
            # Reported when it may stand for a page or a folder; its target is never looked at (not
            # even stat'ed). Other links (``logo.png -> …``) are left out like any other file.
            if is_markdown(name) or "." not in name:
                yield Entry(rel, "symbolic link, not followed")
        elif is_markdown(name):
            problem = name_problem(name) or (None if kind == "file" else "not a regular file")
            yield Entry(rel, problem, dir_fd, name)


def find_markdown_files(root: Path) -> list[Path]:
    """The files ``walk`` would import (refused ones left out), as paths; for counting and benchmarks."""
    return [root / entry.rel for entry in walk(root) if entry.problem is None]
