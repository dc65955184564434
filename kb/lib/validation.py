"""Input checks shared by every app's services: one definition of "a clean piece of text"."""

from __future__ import annotations

from typing import Any

from kb.lib.errors import InvalidInput
from kb.lib.text_checks import bad_character, bad_name


def clean_text(
    value: Any,
    *,
    field: str,
    max_len: int,
    required: bool = False,
    strip: bool = True,
    single_line: bool = False,
    name: bool = False,
) -> str:
    """Text without NUL bytes or lone surrogates, with Unix line ends, within ``max_len``.

    ``single_line`` folds all whitespace to single spaces (titles); ``strip=False`` keeps leading and
    trailing whitespace where it is meaningful (Markdown bodies). ``None`` is the empty string.
    A single-line text or a ``name`` is also held to kb.lib.text_checks.bad_name (no bidi controls,
    not invisible-only), the same rule the forms and serializers apply.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput("Must be text.", field=field)
    value = value.replace("\x00", "").replace("\r\n", "\n")
    # Free text keeps what an import may carry (a form feed in an old page): the forms and the API
    # parser refuse control characters at the door; a lone surrogate can never be stored.
    problem = bad_name(value) if (single_line or name) else bad_character(value)
    if problem and (single_line or name or "surrogate" in problem):
        raise InvalidInput(problem, field=field)
    if single_line:
        value = " ".join(value.split())
    elif strip:
        value = value.strip()
    if required and not value.strip():
        raise InvalidInput("This field is required.", field=field)
    if len(value) > max_len:
        raise InvalidInput(f"At most {max_len:,} characters (got {len(value):,}).", field=field)
    return value
