"""YAML (``---``) and TOML (``+++``) front matter, read with bounds an untrusted file cannot stretch.

A few hundred bytes of YAML anchors and aliases ("billion laughs") unfold into gigabytes as soon as the
result is walked or printed, so anchors and aliases are refused outright (kb's own export never writes
them, and help-centre front matter has no use for them). The block is at most ``FRONT_MATTER_MAX_BYTES``
and ``MAX_NESTING`` levels deep (PyYAML's composer and tomllib recurse per level), and every string in it
must be text a database can store: no lone surrogates (``"\\ud800"`` is a valid YAML escape) and no NUL.
Anything else that goes wrong while reading it (an impossible date, …) is an ``ImportFailure`` too.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from kb.articles.importing.common import ImportFailure

FRONT_MATTER_MAX_BYTES = 64 * 1024
MAX_NESTING = 32


class _StrictLoader(yaml.SafeLoader):
    """``SafeLoader`` that refuses anchors and aliases and bounds the nesting depth."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ImportFailure("front matter: YAML anchors and aliases are not allowed")
        self._depth += 1
        if self._depth > MAX_NESTING:
            raise ImportFailure(f"front matter is nested more than {MAX_NESTING} levels deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _load_yaml(source: str) -> Any:
    loader = _StrictLoader(source)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _check_values(value: Any, where: str = "front matter", depth: int = 0) -> None:
    """Refuse strings the database cannot store; TOML nesting is bounded here (after parsing)."""
    if depth > MAX_NESTING:
        raise ImportFailure(f"front matter is nested more than {MAX_NESTING} levels deep")
    if isinstance(value, str):
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
            raise ImportFailure(f"{where} holds a lone surrogate escape, which is not text")
        if "\0" in value:
            raise ImportFailure(f"{where} holds a NUL character")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_values(key, where, depth + 1)
            _check_values(item, f"front matter {key}" if depth == 0 else where, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_values(item, where, depth + 1)


def _parse(kind: str, source: str) -> Any:
    if len(source.encode("utf-8", "surrogatepass")) > FRONT_MATTER_MAX_BYTES:
        raise ImportFailure(f"front matter is larger than {FRONT_MATTER_MAX_BYTES // 1024} KiB")
    try:
        data = _load_yaml(source) if kind == "YAML" else tomllib.loads(source)
    except ImportFailure:
        raise
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise ImportFailure(f"front matter is not valid {kind} ({_first_line(exc)})") from None
    except RecursionError:
        raise ImportFailure(f"front matter is nested more than {MAX_NESTING} levels deep") from None
    except Exception as exc:  # e.g. ValueError for 2020-02-30: whatever it is, it is this file's fault
        raise ImportFailure(
            f"front matter cannot be read ({exc.__class__.__name__}: {_first_line(exc)})"
        ) from None
    _check_values(data)
    return data


_YAML_FM = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_YAML_FM_EMPTY = re.compile(r"\A---[ \t]*\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
_TOML_FM = re.compile(r"\A\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(metadata, body). A front matter block that does not parse is an ``ImportFailure``."""
    match = _YAML_FM_EMPTY.match(text)
    if match:
        return {}, text[match.end() :]
    match = _YAML_FM.match(text)
    if match:
        data = _parse("YAML", match.group(1))
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ImportFailure("front matter is not a YAML mapping")
        return data, text[match.end() :]
    match = _TOML_FM.match(text)
    if match:
        return _parse("TOML", match.group(1)), text[match.end() :]
    return {}, text


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
