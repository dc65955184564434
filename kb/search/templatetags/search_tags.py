"""Small template helpers for the search pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag
def query_with(**params: Any) -> str:
    """A query string of the non-empty parameters (links for facets and pages)."""
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
