"""The API's JSON parser: refuses what would crash or mislead the code behind it, naming the field.

DRF's JSONParser hands over whatever ``json.loads`` returns. Nested arrays 100,000 deep raise
RecursionError (a 500), and a JSON escape such as ``"\\ud800"`` or ``"\\u0000"`` puts a lone
surrogate or a NUL into a string: PostgreSQL, the sanitiser and the JSON encoder fail on them later.
This parser turns a RecursionError into a 400, refuses nesting past ``KB_JSON_MAX_DEPTH``, then
checks every string (keys included) with kb.lib.text_checks, and answers 400 in DRF's shape:
``{"field": ["message"]}`` for the top-level field that holds the problem, ``non_field_errors``
when there is no such field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

from kb.lib.text_checks import bad_character

NON_FIELD = "non_field_errors"
# A bad character can only arrive raw (strict=False lets control characters through) or as a \u escape.
_MAYBE_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\\u")
# Strings (with the ``:`` after a key) and brackets. Only used on a prefix that json.loads already
# read as valid (up to where it ran out of recursion), so every string in it is terminated.
_TOKEN = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"(\s*:)?|[\[\]{}]', re.DOTALL)


def _field_name(raw: str) -> str:
    try:
        name = json.loads(f'"{raw}"')
    except ValueError:
        return NON_FIELD
    if not isinstance(name, str) or bad_character(name):
        return NON_FIELD
    return name[:100]


def _deep_field_in_text(text: str, limit: int) -> str:
    """The top-level field of a body too deep for json.loads: the key open when depth passes ``limit``."""
    depth = 0
    top_is_object = False
    key = NON_FIELD
    for match in _TOKEN.finditer(text):
        bracket = match.group()
        if bracket in ("[", "{"):
            if depth == 0:
                top_is_object = bracket == "{"
            depth += 1
            if depth > limit:
                return key if depth > 1 else NON_FIELD
        elif bracket in ("]", "}"):
            depth -= 1
        elif depth == 1 and top_is_object and match.group(2):
            key = _field_name(match.group(1))
    return NON_FIELD


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _deep_field(data: Any, limit: int) -> str | None:
    """The top-level field whose value nests past ``limit`` (NON_FIELD for the body itself), or None."""
    if _depth(data) <= limit:
        return None
    if isinstance(data, dict):
        for key, value in data.items():
            if 1 + _depth(value) > limit:
                return key[:100] if not bad_character(key) else NON_FIELD
        return None
    return NON_FIELD if _depth(data) > limit else None


def _first_problem(value: Any) -> str | None:
    """The first bad character in any string of ``value`` (iterative: depth is already bounded)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            problem = bad_character(item)
            if problem:
                return problem
        elif isinstance(item, Mapping):
            for k, v in item.items():
                problem = bad_character(k)
                if problem:
                    return f"A key: {problem[0].lower()}{problem[1:]}"
                stack.append(v)
        elif isinstance(item, list):
            stack.extend(item)
    return None


def check_parsed(data: Any) -> dict[str, list[str]]:
    """Errors for every top-level field of ``data`` holding a bad character, DRF-shaped."""
    errors: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            key_problem = bad_character(key)
            if key_problem:
                errors.setdefault(NON_FIELD, []).append(
                    f"A field name: {key_problem[0].lower()}{key_problem[1:]}"
                )
                continue
            problem = _first_problem(value)
            if problem:
                errors[key[:100]] = [problem]
    else:
        problem = _first_problem(data)
        if problem:
            errors[NON_FIELD] = [problem]
    return errors


class SafeJSONParser(JSONParser):
    """JSON with nesting bounded and every string clean, or a 400 naming the field."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise exceptions.ParseError(f"The body is not valid {encoding} text.") from exc
        limit = settings.KB_JSON_MAX_DEPTH
        too_deep = f"Nested more than {limit} levels deep."
        try:
            data = json.loads(text, parse_constant=strict_constant if self.strict else None, strict=False)
        except RecursionError as exc:  # deeper than the interpreter's recursion limit (~1,000)
            raise exceptions.ValidationError({_deep_field_in_text(text, limit): [too_deep]}) from exc
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from exc
        if text.count("[") + text.count("{") > limit:
            deep = _deep_field(data, limit)
            if deep is not None:
                raise exceptions.ValidationError({deep: [too_deep]})
        errors = check_parsed(data) if _MAYBE_BAD.search(text) else {}
        if errors:
            raise exceptions.ValidationError(errors)
        return data
