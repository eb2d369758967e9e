"""Dates as Opsgenie reads and writes them, and its rounding to whole and half hours.

Input dates follow ``yyyy-MM-dd'T'HH:mm:ssZ``: an offset is required, written ``Z``,
``+02:00`` or Java's ``+0200``; fractions of a second are accepted and dropped.
Output dates are UTC with ``Z`` (``2017-02-06T05:00:00Z``), with milliseconds only
when the instant has them (``2017-05-17T14:56:34.603Z``, as in the timeline sample).

Rotation dates and restriction minutes "may take 0 or 30 as value. Otherwise they
will be converted to nearest 0 or 30 automatically" (docs). The sandbox rounds to
the nearest half hour with ties upwards: minutes 0-14 → :00, 15-44 → :30, 45-59 →
:00 of the next hour, so :15 → :30 and :45 → the next full hour. Seconds are
dropped first (09:14:59 → 09:00). Instants are rounded in UTC.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, datetime, timedelta
from functools import lru_cache

# How the docs write the date format, for error messages.
FORMAT_HINT = "yyyy-MM-dd'T'HH:mm:ssZ (e.g. 2017-01-15T08:00:00+02:00)"

_INSTANT = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?"
    r"(Z|z|[+-]\d{2}:?\d{2})$"
)


def parse_instant(value: object) -> datetime | None:
    """``value`` as an aware UTC datetime (seconds precision), or None when it is not a valid date."""
    if not isinstance(value, str):
        return None
    match = _INSTANT.match(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    if offset in ("Z", "z"):
        shift = timedelta(0)
    else:
        digits = offset[1:].replace(":", "")
        shift = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if offset[0] == "-":
            shift = -shift
    try:
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    return (local - shift).replace(tzinfo=UTC)


def format_instant(moment: datetime) -> str:
    """``moment`` in UTC as Opsgenie prints it."""
    utc = moment.astimezone(UTC)
    if utc.microsecond:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def round_minutes(minute: int) -> tuple[int, int]:
    """``(carry_hours, minute)``: ``minute`` rounded to 0 or 30, ties up (see module doc)."""
    if minute < 15:
        return 0, 0
    if minute < 45:
        return 0, 30
    return 1, 0


def round_instant(moment: datetime) -> datetime:
    """``moment`` without seconds and rounded to the nearest half hour (see module doc)."""
    carry, minute = round_minutes(moment.minute)
    whole = moment.replace(minute=minute, second=0, microsecond=0)
    return whole + timedelta(hours=carry)


@lru_cache(maxsize=1)
def _zone_ids() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_zone(name: object) -> bool:
    """True for an IANA time zone id known to this machine's tz database."""
    return isinstance(name, str) and name in _zone_ids()


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The :class:`~zoneinfo.ZoneInfo` of a valid id (check with :func:`is_zone` first)."""
    return zoneinfo.ZoneInfo(name)


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)
