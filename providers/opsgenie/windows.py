"""Rotation arithmetic in a schedule's time zone: turn boundaries and time-restriction windows.

Written from Opsgenie's docs (Schedule Rotation and Time Restriction fields), independently of
the sandbox's emulation. The rules the docs leave open are registered in
``docs/api-assumptions.md`` (O11-O13):

- ``hourly`` turns are elapsed hours; ``daily`` and ``weekly`` turns keep the local wall-clock
  time of ``start_date`` (a turn across a DST change lasts 23 or 25 hours);
- restriction windows are local wall-clock times; a wall time that does not exist (spring
  forward) or exists twice (fall back) is read with the offset in force before the change
  (``fold=0``, as Java's ``ZonedDateTime.of`` does);
- a window whose end is before its start wraps midnight (``time-of-day``) or the week
  (``weekday-and-time-of-day``); overlapping windows add up.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

Day = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DAYS: tuple[Day, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

Span = tuple[datetime, datetime]
"""A half-open stretch ``[start, end)`` of aware UTC datetimes."""

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = timedelta(weeks=1)


def wall(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time (``fold=0``: the offset before a DST change)."""
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


# The shapes this module reads. The models (providers.opsgenie.models) validate with this module's
# arithmetic (never_open), so it names what it reads instead of importing them back.
class DailyWindow(Protocol):
    """A window of a day: ``TimeOfDayRestriction``."""

    @property
    def start_hour(self) -> int: ...  # noqa: D102
    @property
    def start_min(self) -> int: ...  # noqa: D102
    @property
    def end_hour(self) -> int: ...  # noqa: D102
    @property
    def end_min(self) -> int: ...  # noqa: D102


class WeeklyWindow(DailyWindow, Protocol):
    """A window of a week: ``WeekdayRestriction``."""

    @property
    def start_day(self) -> Day: ...  # noqa: D102
    @property
    def end_day(self) -> Day: ...  # noqa: D102


class Restriction(Protocol):
    """A rotation's time restriction: ``TimeRestriction``."""

    @property
    def type(self) -> str: ...  # noqa: D102
    @property
    def restriction(self) -> DailyWindow | None: ...  # noqa: D102
    @property
    def restrictions(self) -> Sequence[WeeklyWindow] | None: ...  # noqa: D102


class Rotation(Protocol):
    """What turns and windows read of a rotation: ``RotationInputs``."""

    @property
    def start_date(self) -> str: ...  # noqa: D102
    @property
    def end_date(self) -> str | None: ...  # noqa: D102
    @property
    def type(self) -> str: ...  # noqa: D102
    @property
    def length(self) -> int: ...  # noqa: D102
    @property
    def time_restriction(self) -> Restriction | None: ...  # noqa: D102


def utc(moment: datetime) -> datetime:
    """An aware datetime in UTC (a naive one is read as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# ---------------------------------------------------------------- turns


class Turns:
    """The turns of a rotation: turn ``k`` starts at :meth:`start` ``(k)``, participant ``k mod n``."""

    def __init__(self, rotation: Rotation, zone: ZoneInfo) -> None:
        self.origin = datetime.fromisoformat(rotation.start_date)
        self.zone = zone
        self.hourly = rotation.type == "hourly"
        unit = {"hourly": HOUR, "daily": DAY, "weekly": WEEK}[rotation.type]
        self.step = unit * rotation.length
        self.local = self.origin.astimezone(zone)

    def start(self, k: int) -> datetime:
        """When turn ``k`` starts (UTC)."""
        if k == 0 or self.hourly:
            return self.origin + self.step * k
        # Calendar days in the zone: the same wall-clock time, whatever the offset then.
        return wall(self.local.date() + self.step * k, self.local.hour, self.local.minute, self.zone)

    def index_at(self, moment: datetime) -> int:
        """The turn running at ``moment`` (negative before the origin)."""
        k = (moment - self.origin) // self.step  # exact for hourly, within a turn otherwise
        while self.start(k) > moment:
            k -= 1
        while self.start(k + 1) <= moment:
            k += 1
        return k

    def spans(self, lo: datetime, hi: datetime) -> Iterator[tuple[int, Span]]:
        """``(k, [start, end))`` of every turn meeting ``[lo, hi)``, clipped to it."""
        k = self.index_at(lo)
        begin = self.start(k)
        while begin < hi:
            end = self.start(k + 1)
            yield k, (max(begin, lo), min(end, hi))
            k, begin = k + 1, end


# ---------------------------------------------------------------- restriction windows


def _weekly_minutes(day: Day, hour: int, minute: int) -> int:
    return DAYS.index(day) * 1440 + hour * 60 + minute


def restriction_windows(restriction: Restriction, zone: ZoneInfo, lo: datetime, hi: datetime) -> list[Span]:
    """The windows of a time restriction meeting ``[lo, hi)``, clipped, merged and in time order."""
    first = lo.astimezone(zone).date() - WEEK - DAY  # a window may have started a week before
    last = hi.astimezone(zone).date() + DAY
    raw: list[Span] = []
    if restriction.type == "time-of-day":
        window = restriction.restriction
        assert window is not None  # the model's shape check
        start_min = window.start_hour * 60 + window.start_min
        end_min = window.end_hour * 60 + window.end_min
        # An end at or before the start is on the next day (equal: the whole day).
        end_day = 1 if end_min <= start_min else 0
        day = first
        while day <= last:
            raw.append(
                (
                    wall(day, window.start_hour, window.start_min, zone),
                    wall(day + timedelta(days=end_day), window.end_hour, window.end_min, zone),
                )
            )
            day += DAY
    else:
        monday = first - timedelta(days=first.weekday())
        while monday <= last:
            for item in restriction.restrictions or ():
                start_off = _weekly_minutes(item.start_day, item.start_hour, item.start_min)
                end_off = _weekly_minutes(item.end_day, item.end_hour, item.end_min)
                if end_off <= start_off:  # wraps the week (equal: the whole week)
                    end_off += 7 * 1440
                raw.append((_at(monday, start_off, zone), _at(monday, end_off, zone)))
            monday += WEEK
    return merge([(max(a, lo), min(b, hi)) for a, b in raw if a < hi and b > lo])


def _at(monday: date, minutes: int, zone: ZoneInfo) -> datetime:
    days, rest = divmod(minutes, 1440)
    return wall(monday + timedelta(days=days), rest // 60, rest % 60, zone)


def merge(spans: list[Span]) -> list[Span]:
    """Spans in time order, empty ones dropped, overlapping or touching ones joined."""
    out: list[Span] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def intersect(span: Span, windows: list[Span]) -> list[Span]:
    """The parts of ``span`` inside ``windows`` (merged, in time order)."""
    start, end = span
    return [(max(a, start), min(b, end)) for a, b in windows if a < end and b > start]


def subtract(spans: list[Span], holes: list[Span]) -> list[Span]:
    """``spans`` without ``holes`` (both merged and in time order)."""
    out: list[Span] = []
    for start, end in spans:
        cursor = start
        for a, b in holes:
            if b <= cursor or a >= end:
                continue
            if a > cursor:
                out.append((cursor, a))
            cursor = max(cursor, b)
        if cursor < end:
            out.append((cursor, end))
    return out


def never_open(rotation: Rotation, zone: ZoneInfo) -> bool:
    """Whether a rotation's time restriction opens no window between its start and end dates.

    Only short rotations can be so (each window of a restriction recurs every day or week): one
    of more than 8 days is open some time.
    """
    if rotation.end_date is None or rotation.time_restriction is None:
        return False
    start, end = datetime.fromisoformat(rotation.start_date), datetime.fromisoformat(rotation.end_date)
    return end - start <= WEEK + DAY and not restriction_windows(rotation.time_restriction, zone, start, end)
