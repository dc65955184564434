"""What characters a piece of user text may hold: one definition for forms, serializers and services.

Text fields refuse what no person types and what breaks later layers: NUL and other control
characters (PostgreSQL refuses NUL, terminals and CSV exports misread the rest), lone surrogates
(not encodable as UTF-8: the sanitiser, the database driver and the JSON encoder all fail on them).
Tab, newline and carriage return stay allowed. Names (titles, tags, categories, teams, list titles)
also refuse bidirectional controls, which can make a title read differently from what it says
("Trojan Source"), and text made only of invisible characters, which looks empty but is not.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# Letters that render as nothing although Unicode does not class them as format characters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u034f")


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def bad_character(value: str) -> str | None:
    """Why ``value`` cannot be stored as text (a lone surrogate, NUL, a control character), or None."""
    match = _SURROGATE.search(value)
    if match:
        return f"Contains an invalid character ({_codepoint(match.group())}, a lone surrogate)."
    match = _CONTROL.search(value)
    if match:
        char = match.group()
        kind = "a NUL character" if char == "\x00" else "a control character"
        return f"Contains {kind} ({_codepoint(char)}); only tab and newline are allowed."
    return None


def _invisible(char: str) -> bool:
    return char.isspace() or char in _BLANK_LETTERS or unicodedata.category(char) in {"Cf", "Cc", "Zs"}


def bad_name(value: str) -> str | None:
    """Why ``value`` cannot be a name (title, tag, category or team name), or None."""
    problem = bad_character(value)
    if problem:
        return problem
    match = _BIDI.search(value)
    if match:
        return (
            f"Contains a bidirectional control character ({_codepoint(match.group())}), "
            "which can make the text display differently from what it says."
        )
    if value.strip() and all(_invisible(char) for char in value):  # blank is "required"'s business
        return "Contains only invisible characters."
    return None


def validate_text(value: Any) -> None:
    """Django/DRF validator for free text (bodies, descriptions, comments)."""
    if isinstance(value, str):
        problem = bad_character(value)
        if problem:
            raise ValidationError(problem, code="invalid_character")


def validate_name(value: Any) -> None:
    """Django/DRF validator for names; DRF turns the Django error into ``{"field": [message]}``."""
    if isinstance(value, str):
        problem = bad_name(value)
        if problem:
            raise ValidationError(problem, code="invalid_name")


def split_names(value: str) -> list[str]:
    """The names in a comma- or newline-separated field (the editor's tags box)."""
    return [part for part in re.split(r"[,\n]", value) if part.strip()]


def validate_name_list(value: Any) -> None:
    """Validator for a comma-separated list of names: each one is held to ``bad_name``."""
    if isinstance(value, str):
        for part in split_names(value):
            problem = bad_name(part)
            if problem:
                raise ValidationError(problem, code="invalid_name")


class TextChecksFormMixin:
    """Every text field of the form refuses bad characters; ``name_fields`` are held to names' rule,
    ``name_list_fields`` (comma-separated) to it for each item."""

    name_fields: tuple[str, ...] = ()
    name_list_fields: tuple[str, ...] = ()
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField):
                continue
            if name in self.name_fields:
                field.validators.append(validate_name)
            elif name in self.name_list_fields:
                field.validators.append(validate_name_list)
            else:
                field.validators.append(validate_text)
