"""When an iMBRACE scheduler fires, computed from its definition (no API call).

Read from the docs' Schedule APIs (and the official ``imbrace`` SDK 1.3.1's fields), independently of
the sandbox. Every trigger field is an instant in UTC (the API stores ``…Z`` date-times); only
part of each counts:

- ``minutes``: every ``trigger_frequency_value`` minutes from ``start_datetime`` itself;
- ``days``: every N days at ``trigger_time``'s time of day, the first time at or after the start;
- ``weeks``: every N weeks on ``trigger_day_of_week`` (0 = Sunday) at that time of day;
- ``months``: every N months on ``trigger_day_of_month`` (a month without that day is skipped);
- ``years``: every N years on ``trigger_month_and_day``'s month and day (29 February: leap years);
- ``non_recurring``: once, at ``start_datetime``; a paused scheduler never fires.

A time of day, weekday or day left out is the start's. A recurring scheduler without
``start_datetime`` starts when it is created: here, at the window's ``start``. These readings
are the register's I11 (docs/api-assumptions.md).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

from providers._fields import DefinitionError
from providers.imbrace.models import parse_datetime

UNITS = ("minutes", "days", "weeks", "months", "years")
"""The frequency units the docs show."""


class FiringError(DefinitionError):
    """A definition whose firings cannot be computed; ``field`` names the input."""


def _moment(scheduler: Mapping[str, Any], field: str) -> datetime | None:
    value = scheduler.get(field)
    if value is None:
        return None
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise FiringError(field, str(exc)) from None


def _whole(scheduler: Mapping[str, Any], field: str, low: int, high: int) -> int | None:
    """A whole number in ``[low, high]``; numbers reach policies as floats (protobuf Struct)."""
    value = scheduler.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise FiringError(field, f"must be a whole number, not {value!r}")
    if not low <= int(value) <= high:
        raise FiringError(field, f"must be {low} to {high}, got {int(value)}")
    return int(value)


def _aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"{what} must be timezone-aware (e.g. datetime(2026, 1, 1, tzinfo=UTC))")
    return moment.astimezone(UTC)


def next_firings(
    scheduler: Mapping[str, Any], start: datetime, end: datetime, *, limit: int = 10_000
) -> list[datetime]:
    """The firings (aware, UTC) of a ``Scheduler`` resource's inputs in ``[start, end)``, at most
    ``limit``; a paused scheduler fires never, a one-time one at most once.

    ``scheduler`` holds the inputs as the program gives them (snake_case, as
    :class:`~providers.imbrace.models.SchedulerInputs`). Raises :class:`FiringError` naming the
    field for a definition whose firings cannot be computed.

    Calls no API: computed from the definition alone.
    """
    start, end = _aware(start, "start"), _aware(end, "end")
    if scheduler.get("paused") is True or end <= start or limit < 1:
        return []
    found: list[datetime] = []
    for when in _firings(scheduler, start):
        if when >= end:
            break
        if when >= start:
            found.append(when)
            if len(found) == limit:
                break
    return found


def _firings(scheduler: Mapping[str, Any], window_start: datetime) -> Iterator[datetime]:
    """The firings in time order, from the first one at or shortly before ``window_start``."""
    kind = scheduler.get("type") or "recurring"
    begin = _moment(scheduler, "start_datetime")
    if kind == "non_recurring":
        if begin is None:
            raise FiringError("start_datetime", "is required for a one-time (non_recurring) scheduler")
        yield begin
        return
    if kind != "recurring":
        raise FiringError("type", f"'{kind}' is not recurring or non_recurring")
    unit = scheduler.get("trigger_frequency_unit")
    if unit not in UNITS:
        raise FiringError("trigger_frequency_unit", f"{unit!r} is not one of {', '.join(UNITS)}")
    every = _whole(scheduler, "trigger_frequency_value", 1, 10**9)
    if every is None:
        raise FiringError("trigger_frequency_value", "is required for a recurring scheduler")
    begin = begin or window_start  # no start: it starts when it is created (I11)
    if unit == "minutes":
        step = timedelta(minutes=every)
        yield from _steps(begin, step, window_start)
        return
    at = _moment(scheduler, "trigger_time")
    clock = (at or begin).time()
    if unit == "days":
        first = _first_on_or_after(begin, clock, lambda d: True)
        yield from _steps(first, timedelta(days=every), window_start)
    elif unit == "weeks":
        weekday = _whole(scheduler, "trigger_day_of_week", 0, 6)
        wanted = _sunday_based(begin) if weekday is None else weekday
        first = _first_on_or_after(begin, clock, lambda d: _sunday_based(d) == wanted)
        yield from _steps(first, timedelta(weeks=every), window_start)
    elif unit == "months":
        day = _whole(scheduler, "trigger_day_of_month", 1, 31) or begin.day
        yield from _monthly(begin, clock, day, every, window_start)
    else:
        month_day = _moment(scheduler, "trigger_month_and_day")
        if month_day is None:
            raise FiringError("trigger_month_and_day", "is required when trigger_frequency_unit is years")
        yield from _yearly(begin, clock, (month_day.month, month_day.day), every, window_start)


def _sunday_based(day: datetime) -> int:
    """The weekday with 0 = Sunday … 6 = Saturday, as ``trigger_day_of_week`` counts."""
    return (day.weekday() + 1) % 7


def _first_on_or_after(begin: datetime, clock: time, matches: Callable[[datetime], bool]) -> datetime:
    """The first instant at ``clock`` (UTC) on a day that ``matches``, at or after ``begin``."""
    day = datetime.combine(begin.date(), clock, tzinfo=UTC)
    while day < begin or not matches(day):
        day += timedelta(days=1)
    return day


def _steps(first: datetime, step: timedelta, window_start: datetime) -> Iterator[datetime]:
    """``first``, ``first + step``, … from the last one before ``window_start`` on (no walk there)."""
    skipped = max(0, (window_start - first) // step)
    when = first + skipped * step
    while True:
        yield when
        when += step


def _on(year: int, month: int, day: int, clock: time) -> datetime | None:
    """That day at ``clock`` in UTC; None when the month has no such day."""
    if day > calendar.monthrange(year, month)[1]:
        return None
    return datetime(year, month, day, clock.hour, clock.minute, clock.second, clock.microsecond, tzinfo=UTC)


def _monthly(
    begin: datetime, clock: time, day: int, every: int, window_start: datetime
) -> Iterator[datetime]:
    # The first month is the start's when its firing (were the day there) is not before the start.
    first = begin.year * 12 + begin.month - 1
    if (day, clock) < (begin.day, begin.time()):
        first += 1
    target = window_start.year * 12 + window_start.month - 1 - 1  # a month early: nothing missed
    index = first + max(0, (target - first) // every) * every
    while index <= 9999 * 12:
        when = _on(index // 12, index % 12 + 1, day, clock)
        if when is not None:
            yield when
        index += every


def _yearly(
    begin: datetime, clock: time, month_day: tuple[int, int], every: int, window_start: datetime
) -> Iterator[datetime]:
    first = begin.year
    if (*month_day, clock) < (begin.month, begin.day, begin.time()):
        first += 1
    year = first + max(0, (window_start.year - 1 - first) // every) * every
    while year <= 9999:
        when = _on(year, *month_day, clock)
        if when is not None:
            yield when
        year += every
