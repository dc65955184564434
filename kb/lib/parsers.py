"""The API's JSON parser: refuses what would crash or mislead the code behind it, naming the field.

DRF's JSONParser hands over whatever ``json.loads`` returns. Nested arrays 100,000 deep raise
RecursionError (a 500), and a JSON escape such as ``"\\ud800"`` or ``"\\u0000"`` puts a lone
surrogate or a NUL into a string: PostgreSQL, the sanitiser and the JSON encoder fail on them later.
This parser checks nesting with a linear scan before decoding, then every string (keys included)
with kb.lib.text_checks, and answers 400 in DRF's shape: ``{"field": ["message"]}`` for the
top-level field that holds the problem, ``non_field_errors`` when there is no such field.
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
_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:)?|[\[\]{}]', re.DOTALL)


def _field_name(raw: str) -> str:
    try:
        name = json.loads(f'"{raw}"')
    except ValueError:
        return NON_FIELD
    if not isinstance(name, str) or bad_character(name):
        return NON_FIELD
    return name[:100]


def _too_deep(text: str, limit: int) -> str | None:
    """The top-level field whose value nests past ``limit`` (or NON_FIELD), None if none does."""
    if text.count("[") + text.count("{") <= limit:
        return None
    depth = 0
    top_is_object = False
    key = NON_FIELD
    for match in _TOKEN.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            if depth == 0:
                top_is_object = bracket == "{"
            depth += 1
            if depth > limit:
                return key if depth > 1 else NON_FIELD
        elif bracket in "]}":
            depth -= 1
        elif depth == 1 and top_is_object and match.group(2):
            key = _field_name(match.group(1))
    return None


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
        deep = _too_deep(text, limit)
        if deep is not None:
            raise exceptions.ValidationError({deep: [f"Nested more than {limit} levels deep."]})
        try:
            data = json.loads(text, parse_constant=strict_constant if self.strict else None, strict=False)
        except RecursionError as exc:  # the scan above should make this unreachable
            raise exceptions.ValidationError({NON_FIELD: [f"Nested more than {limit} levels deep."]}) from exc
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from exc
        errors = check_parsed(data)
        if errors:
            raise exceptions.ValidationError(errors)
        return data
