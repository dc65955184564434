"""Typed readers for the KB_* environment variables (CONTRACT §2).

Every deploy-time value goes through these so a typo such as ``KB_DEBUG=yes`` is read the same
way everywhere and a bad number fails at start-up with the variable's name in the message.
"""

from __future__ import annotations

import os

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ImproperSetting(ValueError):
    """A KB_* variable holds a value that cannot be read."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperSetting(f"{name} must be 0 or 1, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperSetting(f"{name} must be a whole number, not {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ImproperSetting(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: str = "", *, sep: str = ",") -> list[str]:
    raw = os.environ.get(name, default)
    parts = raw.split(sep) if sep else raw.split()
    return [p.strip() for p in parts if p.strip()]
