"""YAML (``---``) and TOML (``+++``) front matter."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from kb.articles.importing.common import ImportFailure

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
        try:
            data = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            raise ImportFailure(f"front matter is not valid YAML ({_first_line(exc)})") from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ImportFailure("front matter is not a YAML mapping")
        return data, text[match.end() :]
    match = _TOML_FM.match(text)
    if match:
        try:
            data = tomllib.loads(match.group(1))
        except tomllib.TOMLDecodeError as exc:
            raise ImportFailure(f"front matter is not valid TOML ({_first_line(exc)})") from None
        return data, text[match.end() :]
    return {}, text


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
