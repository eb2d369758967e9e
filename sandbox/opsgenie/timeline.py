"""Rotation arithmetic: who is on call when, in a schedule's time zone.

A rotation hands over every ``length`` units from its ``startDate``, to its
participants in order, round and round, until its ``endDate``:

- ``hourly`` turns are elapsed hours (``length`` * 60 minutes of absolute time);
- ``daily`` and ``weekly`` turns are wall-clock days in the schedule's time zone, so a
  daily hand-over at 09:00 Europe/Berlin stays at 09:00 local across a DST change
  (its UTC instant moves by an hour).

A ``none`` participant still takes its turn, but nobody is on call during it: it
yields no period (a gap in the timeline).

A time restriction masks each turn: only the parts that fall inside its windows
are on call, and turns still hand over on the rotation's own clock. Windows are
wall-clock times in the schedule's zone: ``time-of-day`` is one window every day,
``weekday-and-time-of-day`` one window per restriction every week (from startDay
startHour:startMin to endDay endHour:endMin). A window whose end is not after its
start wraps (over midnight, or over the week's end); equal start and end mean the
whole day (or week).

Overrides replace whoever is on call for their whole window (restrictions do not
cut them); a later override wins over an earlier one; an override to ``none``
leaves nobody on call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

_DAY = 24 * 60
_WEEK = 7 * _DAY
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Recipient:
    """Who is on call: an entity of ``type`` user, team or escalation, with its display name."""

    id: str
    type: str
    name: str


@dataclass(frozen=True)
class Period:
    """``recipient`` is on call over [start, end) (UTC); ``kind`` is "default" or "override"."""

    start: datetime
    end: datetime
    recipient: Recipient
    kind: str = "default"


@dataclass(frozen=True)
class Window:
    """A weekly wall-clock window: minutes from Monday 00:00 to its start and to its end.

    ``end`` may exceed one week (a window that wraps into the next week).
    """

    start: int
    end: int


@dataclass(frozen=True)
class Rotation:
    """The rules of one rotation (dates are aware; ``participants`` None stands for ``none``)."""

    start: datetime
    end: datetime | None
    type: str
    length: int
    participants: Sequence[Recipient | None]
    windows: Sequence[Window] | None = None


@dataclass(frozen=True)
class Override:
    """``recipient`` (None for ``none``) replaces the on-call person over [start, end)."""

    start: datetime
    end: datetime
    recipient: Recipient | None


def _span(start_minutes: int, end_minutes: int, whole: int) -> int:
    """End minute of a window starting at ``start_minutes`` (wrapping; equal = ``whole``)."""
    return end_minutes if end_minutes > start_minutes else end_minutes + whole


def time_of_day_windows(start: tuple[int, int], end: tuple[int, int]) -> list[Window]:
    """The weekly windows of a ``time-of-day`` restriction from ``(hour, min)`` to ``(hour, min)``."""
    first = start[0] * 60 + start[1]
    last = _span(first, end[0] * 60 + end[1], _DAY)
    return [Window(day * _DAY + first, day * _DAY + last) for day in range(7)]


def weekday_window(start_day: str, start: tuple[int, int], end_day: str, end: tuple[int, int]) -> Window:
    """The weekly window of one ``weekday-and-time-of-day`` restriction."""
    first = DAYS.index(start_day) * _DAY + start[0] * 60 + start[1]
    last = DAYS.index(end_day) * _DAY + end[0] * 60 + end[1]
    return Window(first, _span(first, last, _WEEK))


def localize(wall: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant of a naive wall-clock time in ``tz`` (the earlier one when ambiguous)."""
    return wall.replace(tzinfo=tz).astimezone(UTC)


def wall_clock(moment: datetime, tz: ZoneInfo) -> datetime:
    """The naive wall-clock time of an aware ``moment`` in ``tz``."""
    return moment.astimezone(tz).replace(tzinfo=None)


def add_interval(start: datetime, tz: ZoneInfo, amount: int, unit: str) -> datetime:
    """``start`` plus ``amount`` days, weeks or months of wall-clock time in ``tz``."""
    wall = wall_clock(start, tz)
    if unit == "months":
        months = wall.year * 12 + wall.month - 1 + amount
        year, month = divmod(months, 12)
        next_month = datetime(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
        last_day = (next_month - timedelta(days=1)).day
        wall = wall.replace(year=year, month=month + 1, day=min(wall.day, last_day))
    else:
        wall += timedelta(days=amount * (7 if unit == "weeks" else 1))
    return localize(wall, tz)


def _turn_start(rotation: Rotation, tz: ZoneInfo, index: int) -> datetime:
    if rotation.type == "hourly":
        return rotation.start + timedelta(hours=index * rotation.length)
    days = index * rotation.length * (7 if rotation.type == "weekly" else 1)
    return localize(wall_clock(rotation.start, tz) + timedelta(days=days), tz)


def _first_turn(rotation: Rotation, tz: ZoneInfo, moment: datetime) -> int:
    """Index of the turn in progress at ``moment`` (``moment`` ≥ the rotation's start)."""
    hours = {"hourly": 1, "daily": 24, "weekly": 168}[rotation.type] * rotation.length
    index = max(0, int((moment - rotation.start) / timedelta(hours=hours)))
    while index > 0 and _turn_start(rotation, tz, index) > moment:
        index -= 1
    while _turn_start(rotation, tz, index + 1) <= moment:
        index += 1
    return index


def restriction_spans(
    windows: Sequence[Window], tz: ZoneInfo, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The restriction windows as UTC spans, merged, clipped to [start, end)."""
    wall = wall_clock(start, tz)
    # Begin a week early: a window of last week can wrap into this one.
    monday = datetime(wall.year, wall.month, wall.day) - timedelta(days=wall.weekday() + 7)
    spans: list[tuple[datetime, datetime]] = []
    while localize(monday, tz) < end:
        for window in windows:
            first = localize(monday + timedelta(minutes=window.start), tz)
            last = localize(monday + timedelta(minutes=window.end), tz)
            if last > start and first < end:
                spans.append((max(first, start), min(last, end)))
        monday += timedelta(days=7)
    return _union(spans)


def _union(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        elif first < last:
            merged.append((first, last))
    return merged


def merge_adjacent(periods: Iterable[Period]) -> list[Period]:
    """Periods sorted by start, with back-to-back periods of the same recipient and kind joined."""
    joined: list[Period] = []
    for period in sorted(periods, key=lambda p: (p.start, p.end)):
        last = joined[-1] if joined else None
        if (
            last
            and last.end == period.start
            and (last.recipient, last.kind) == (period.recipient, period.kind)
        ):
            joined[-1] = replace(last, end=period.end)
        else:
            joined.append(period)
    return joined


def rotation_periods(rotation: Rotation, tz: ZoneInfo, start: datetime, end: datetime) -> list[Period]:
    """Who the rotation puts on call over [start, end), before overrides."""
    first = max(start, rotation.start)
    last = min(end, rotation.end) if rotation.end else end
    if first >= last or not rotation.participants:
        return []
    allowed = [(first, last)]
    if rotation.windows is not None:
        allowed = restriction_spans(rotation.windows, tz, first, last)
    periods: list[Period] = []
    index = _first_turn(rotation, tz, first)
    turn_start = _turn_start(rotation, tz, index)
    while turn_start < last:
        turn_end = _turn_start(rotation, tz, index + 1)
        who = rotation.participants[index % len(rotation.participants)]
        if who is not None:
            for span_start, span_end in allowed:
                lo, hi = max(span_start, turn_start), min(span_end, turn_end)
                if lo < hi:
                    periods.append(Period(lo, hi, who))
        index += 1
        turn_start = turn_end
    return merge_adjacent(periods)


def _cut(periods: Iterable[Period], start: datetime, end: datetime) -> list[Period]:
    """``periods`` minus [start, end)."""
    kept: list[Period] = []
    for period in periods:
        if period.end <= start or period.start >= end:
            kept.append(period)
            continue
        if period.start < start:
            kept.append(replace(period, end=start))
        if period.end > end:
            kept.append(replace(period, start=end))
    return kept


def override_periods(overrides: Iterable[Override], start: datetime, end: datetime) -> list[Period]:
    """The overrides (oldest first) as "override" periods clipped to [start, end); later ones win."""
    periods: list[Period] = []
    for override in overrides:
        lo, hi = max(override.start, start), min(override.end, end)
        if lo >= hi:
            continue
        periods = _cut(periods, lo, hi)
        if override.recipient is not None:
            periods.append(Period(lo, hi, override.recipient, "override"))
    return merge_adjacent(periods)


def final_periods(
    base: Iterable[Period], overrides: Iterable[Override], start: datetime, end: datetime
) -> list[Period]:
    """The base periods with every override window given to the override's recipient."""
    periods = list(base)
    for override in overrides:
        lo, hi = max(override.start, start), min(override.end, end)
        if lo < hi:
            periods = _cut(periods, lo, hi)
    return merge_adjacent(periods + override_periods(overrides, start, end))
