"""Omni's schedule crons (AWS EventBridge style) and their next run times in a time zone.

Six fields: ``minutes hours day-of-month month day-of-week year``. Each takes ``*``, lists
(``1,15``), ranges (``MON-FRI``), steps (``*/15``, ``5/10``, ``1-31/2``); months also take
JAN to DEC and days of the week SUN to SAT, with 1 = Sunday … 7 = Saturday. ``?`` ("any") is
allowed in day-of-month or day-of-week, and at most one of the two may be restricted.
Also supported: ``L`` (last day of the month), ``LW``/``15W`` (the weekday nearest), ``6L``
(last Friday) and ``2#1`` (first Monday), as EventBridge defines them.

Daylight-saving time: a local time that does not exist that day (the spring-forward gap)
is skipped; one that happens twice (fall back) runs once, at its first occurrence.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class _Spec:
    name: str
    low: int
    high: int
    names: dict[str, int] = field(default_factory=dict)


_MINUTES = _Spec("minutes", 0, 59)
_HOURS = _Spec("hours", 0, 23)
_DOM = _Spec("day-of-month", 1, 31)
_MONTH = _Spec("month", 1, 12, {n.upper(): i for i, n in enumerate(calendar.month_abbr) if n})
_WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_DOW = _Spec("day-of-week", 1, 7, {n: i + 1 for i, n in enumerate(_WEEKDAYS)})
_YEAR = _Spec("year", 1970, 2199)
_NTH = re.compile(r"^(\w+)#([1-5])$")
_LAST_DOW = re.compile(r"^(\w+)L$")
_NEAREST = re.compile(r"^(\d{1,2})W$")


class CronError(ValueError):
    """A cron expression (or time zone) Omni would not run."""


@dataclass(frozen=True)
class _Days:
    """Day-of-month or day-of-week: plain values plus EventBridge's special forms."""

    any: bool = True
    values: frozenset[int] = frozenset()
    last: bool = False  # day-of-month L
    nearest_weekday: frozenset[int] = frozenset()  # day-of-month 15W; 0 stands for LW
    last_of: frozenset[int] = frozenset()  # day-of-week 6L: weekday numbers 1-7
    nth: frozenset[tuple[int, int]] = frozenset()  # day-of-week 2#1: (weekday, n)


@dataclass(frozen=True)
class Cron:
    """A parsed cron: the values each field allows."""

    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    months: frozenset[int]
    years: frozenset[int]
    dom: _Days = field(default_factory=_Days)
    dow: _Days = field(default_factory=_Days)

    @classmethod
    def parse(cls, text: str) -> Cron:
        """Parse a 6-field EventBridge cron; CronError names the field that is wrong."""
        parts = text.split()
        if len(parts) != 6:
            raise CronError(
                f"cron '{text}' has {len(parts)} fields; Omni's have 6: "
                "minutes hours day-of-month month day-of-week year"
            )
        minutes, hours, dom, months, dow, years = parts
        parsed_dom, parsed_dow = _dom(dom), _dow(dow)
        if not parsed_dom.any and not parsed_dow.any:
            raise CronError(f"cron '{text}': use ? in day-of-month or in day-of-week (not both restricted)")
        return cls(
            text,
            minutes=_values(minutes, _MINUTES),
            hours=_values(hours, _HOURS),
            months=_values(months, _MONTH),
            years=_values(years, _YEAR),
            dom=parsed_dom,
            dow=parsed_dow,
        )

    def days(self, year: int, month: int) -> list[int]:
        """The days of that month on which the cron runs."""
        length = calendar.monthrange(year, month)[1]
        return [d for d in range(1, length + 1) if self._day_matches(year, month, d, length)]

    def _day_matches(self, year: int, month: int, day: int, length: int) -> bool:
        weekday = (calendar.weekday(year, month, day) + 1) % 7 + 1  # Monday=0 → 2, Sunday=6 → 1
        dom, dow = self.dom, self.dow
        if not dom.any:
            return (
                day in dom.values
                or (dom.last and day == length)
                or any(_nearest_weekday(year, month, n or length, length) == day for n in dom.nearest_weekday)
            )
        if not dow.any:
            return (
                weekday in dow.values
                or (weekday in dow.last_of and day + 7 > length)
                or (weekday, (day - 1) // 7 + 1) in dow.nth
            )
        return True

    def runs(self, after: datetime, tz: ZoneInfo) -> Iterator[datetime]:
        """The run times strictly after ``after``, in time order, as aware datetimes in ``tz``."""
        start = after.astimezone(tz)
        first_day = (start.year, start.month, start.day)
        clock = [(h, m) for h in sorted(self.hours) for m in sorted(self.minutes)]
        for year in sorted(y for y in self.years if y >= start.year):
            for month in sorted(m for m in self.months if (year, m) >= (start.year, start.month)):
                for day in self.days(year, month):
                    if (year, month, day) < first_day:
                        continue
                    # Only a day whose clocks change needs each run checked for the DST gap.
                    steady = _steady(year, month, day, tz)
                    for hour, minute in clock:
                        when = (
                            datetime(year, month, day, hour, minute, tzinfo=tz)
                            if steady
                            else _local(year, month, day, hour, minute, tz)
                        )
                        if when is not None and (when > after if (year, month, day) == first_day else True):
                            yield when

    def next_runs(self, after: datetime, tz: ZoneInfo, count: int) -> list[datetime]:
        """The next ``count`` run times strictly after ``after``, as aware datetimes in ``tz``."""
        return list(itertools.islice(self.runs(after, tz), count))


def _values(text: str, spec: _Spec) -> frozenset[int]:
    if text == "?":
        raise CronError(f"{spec.name} '?': ? is only allowed in day-of-month or day-of-week")
    values: set[int] = set()
    for item in text.upper().split(","):
        values.update(_range(item, spec))
    return frozenset(values)


def _dom(text: str) -> _Days:
    if text in ("?", "*"):
        return _Days()
    values: set[int] = set()
    nearest: set[int] = set()
    last = False
    for item in text.upper().split(","):
        if item == "L":
            last = True
        elif item == "LW":
            nearest.add(0)
        elif m := _NEAREST.match(item):
            nearest.add(_number(m.group(1), _DOM))
        else:
            values.update(_range(item, _DOM))
    return _Days(any=False, values=frozenset(values), last=last, nearest_weekday=frozenset(nearest))


def _dow(text: str) -> _Days:
    if text in ("?", "*"):
        return _Days()
    values: set[int] = set()
    last_of: set[int] = set()
    nth: set[tuple[int, int]] = set()
    for item in text.upper().split(","):
        if m := _LAST_DOW.match(item):
            last_of.add(_number(m.group(1), _DOW))
        elif m := _NTH.match(item):
            nth.add((_number(m.group(1), _DOW), int(m.group(2))))
        else:
            values.update(_range(item, _DOW))
    return _Days(any=False, values=frozenset(values), last_of=frozenset(last_of), nth=frozenset(nth))


def _range(item: str, spec: _Spec) -> range:
    base, _, step_text = item.partition("/")
    step = 1
    if step_text:
        if not step_text.isdigit() or int(step_text) < 1:
            raise CronError(f"{spec.name} '{item}': the step after / must be a whole number ≥ 1")
        step = int(step_text)
    if base == "*":
        first, last = spec.low, spec.high
    elif "-" in base:
        a, _, b = base.partition("-")
        first, last = _number(a, spec), _number(b, spec)
        if first > last:
            raise CronError(f"{spec.name} '{item}': the range runs backwards")
    else:
        first = _number(base, spec)
        last = spec.high if step_text else first  # "5/10" is 5, 15, 25 … up to the field's end
    return range(first, last + 1, step)


def _number(text: str, spec: _Spec) -> int:
    if text in spec.names:
        return spec.names[text]
    if not text.isdigit():
        if any(c in text for c in "LW#"):
            raise CronError(f"{spec.name} '{text}': L, W and # are not allowed here")
        raise CronError(f"{spec.name} '{text}' is not a number from {spec.low} to {spec.high}")
    value = int(text)
    if not spec.low <= value <= spec.high:
        raise CronError(f"{spec.name} '{text}' is out of range {spec.low}-{spec.high}")
    return value


def _nearest_weekday(year: int, month: int, day: int, length: int) -> int:
    """EventBridge's ``W``: the weekday nearest ``day`` without leaving the month."""
    day = min(day, length)
    weekday = calendar.weekday(year, month, day)  # Monday = 0
    if weekday == 5:  # Saturday → Friday, or Monday when the 1st is a Saturday
        return day - 1 if day > 1 else day + 2
    if weekday == 6:  # Sunday → Monday, or Friday when it is the month's last day
        return day + 1 if day < length else day - 2
    return day


def _steady(year: int, month: int, day: int, tz: ZoneInfo) -> bool:
    """Whether the offset of ``tz`` is the same all that day (no DST change on it)."""
    return (
        datetime(year, month, day, tzinfo=tz).utcoffset()
        == datetime(year, month, day, 23, 59, tzinfo=tz).utcoffset()
        == datetime(year, month, day, 23, 59, fold=1, tzinfo=tz).utcoffset()
    )


def _local(year: int, month: int, day: int, hour: int, minute: int, tz: ZoneInfo) -> datetime | None:
    """That wall-clock time in ``tz``; None when the clocks skip it (DST gap)."""
    when = datetime(year, month, day, hour, minute, tzinfo=tz)  # fold=0: the first of two
    # PEP 495: in a gap, fold=0 takes the offset before the change and fold=1 the one after (larger).
    before, after = when.utcoffset(), when.replace(fold=1).utcoffset()
    return None if before is not None and after is not None and before < after else when


def zone(name: str) -> ZoneInfo:
    """The IANA time zone; CronError when it does not exist."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CronError(f"unknown time zone '{name}': expected an IANA name like America/New_York") from None


def moment_of(after: datetime | str | None, name: str = "after") -> datetime:
    """``after`` as an aware datetime: a datetime with an offset, an ISO 8601 string with one
    (``2026-01-01T00:00:00Z``), or None for now; CronError naming the argument ``name`` otherwise."""
    if after is None:
        return datetime.now(UTC)
    if isinstance(after, str):
        try:
            after = datetime.fromisoformat(after.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            example = "2026-01-01T00:00:00Z"
            raise CronError(f"`{name}` '{after}' is not an ISO 8601 date-time (e.g. {example})") from None
    if not isinstance(after, datetime):
        raise CronError(f"`{name}` must be a datetime or an ISO 8601 string, not {type(after).__name__}")
    if after.tzinfo is None:
        raise CronError(f"`{name}` must be timezone-aware (give an offset, e.g. 2026-01-01T00:00:00Z)")
    return after


def next_runs(
    text: str, timezone: str = "UTC", count: int = 5, after: datetime | str | None = None
) -> list[datetime]:
    """The next ``count`` run times of a cron in ``timezone``, after ``after`` (default: now).

    Calls no API: computed from the definition alone.
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise CronError(f"count must be a whole number of at least 1, not {count!r}")
    if not isinstance(text, str) or not isinstance(timezone, str):
        raise CronError("the cron expression and the time zone must be strings")
    return Cron.parse(text).next_runs(moment_of(after), zone(timezone), count)


def runs_between(
    text: str, timezone: str, start: datetime | str, end: datetime | str, limit: int = 10_000
) -> list[datetime]:
    """The run times of a cron in ``timezone`` within ``[start, end)``, at most ``limit``, as aware
    datetimes in that zone: the deliveries of an Omni schedule from its ``schedule`` and ``timezone``.

    Calls no API: computed from the definition alone.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise CronError(f"limit must be a whole number of at least 1, not {limit!r}")
    if not isinstance(text, str) or not isinstance(timezone, str):
        raise CronError("the cron expression and the time zone must be strings")
    begin, finish = moment_of(start, "start"), moment_of(end, "end")
    found: list[datetime] = []
    # Runs fall on whole minutes: "after a microsecond before start" includes start itself.
    for when in Cron.parse(text).runs(begin - timedelta(microseconds=1), zone(timezone)):
        if when >= finish or len(found) == limit:
            break
        found.append(when)
    return found
