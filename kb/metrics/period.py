"""The period every metric covers: whole days in KB_TIME_ZONE, parsed from ``?since=&until=``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from kb.lib.errors import InvalidInput

DEFAULT_DAYS = 30
MAX_DAYS = 3_660


@dataclass(frozen=True)
class Period:
    """Whole days ``since``..``until`` (both included) in KB_TIME_ZONE, as a half-open instant range."""

    since: date
    until: date

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(settings.TIME_ZONE)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.since, time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=self.zone)

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def as_dict(self) -> dict[str, str]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "time_zone": settings.TIME_ZONE,
        }


def today() -> date:
    return datetime.now(ZoneInfo(settings.TIME_ZONE)).date()


def _parse_day(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return (
            date.fromisoformat(str(value)[:10]) if len(str(value)) == 10 else date.fromisoformat(str(value))
        )
    except ValueError:
        raise InvalidInput("Use a date as YYYY-MM-DD.", field=field) from None


def parse_period(since: Any = None, until: Any = None, *, default_days: int = DEFAULT_DAYS) -> Period:
    """The period from ``?since=&until=``; default: the last ``default_days`` days up to today."""
    end = _parse_day(until, "until") or today()
    start = _parse_day(since, "since") or end - timedelta(days=default_days - 1)
    if start > end:
        raise InvalidInput("'since' must not be after 'until'.", field="since")
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput(f"A period covers at most {MAX_DAYS:,} days.", field="since")
    return Period(start, end)
