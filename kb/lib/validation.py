"""Input checks shared by every app's services: one definition of "a clean piece of text"."""

from __future__ import annotations

from typing import Any

from kb.lib.errors import InvalidInput


def clean_text(
    value: Any,
    *,
    field: str,
    max_len: int,
    required: bool = False,
    strip: bool = True,
    single_line: bool = False,
) -> str:
    """Text without NUL bytes and with Unix line ends, within ``max_len``.

    ``single_line`` folds all whitespace to single spaces (titles); ``strip=False`` keeps leading and
    trailing whitespace where it is meaningful (Markdown bodies). ``None`` is the empty string.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput("Must be text.", field=field)
    value = value.replace("\x00", "").replace("\r\n", "\n")
    if single_line:
        value = " ".join(value.split())
    elif strip:
        value = value.strip()
    if required and not value.strip():
        raise InvalidInput("This field is required.", field=field)
    if len(value) > max_len:
        raise InvalidInput(f"At most {max_len:,} characters (got {len(value):,}).", field=field)
    return value
