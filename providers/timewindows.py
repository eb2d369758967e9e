"""Weekly windows and calendar weeks in a time zone, and spans as people read them.

The time arithmetic of the policy pack's time rules beside the on-call prediction
(:mod:`providers.opsgenie.oncall`): the hours a schedule must cover ("Mon-Fri 09:00-18:00
Europe/Berlin"), freeze windows, the weeks hours are summed over, and a gap written in local
time (``Sat 2026-12-12 00:00 - Mon 2026-12-14 09:00 Europe/Berlin``, with an en dash), and the
runs of a job (an iMBRACE scheduler or an Omni schedule) in a window. Pure functions, no API.

Local wall times are read as the prediction reads restriction windows
(:func:`providers.opsgenie.windows.wall`: a time skipped or repeated by a DST change takes the
offset before it), so required hours and predicted periods line up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from providers._fields import DefinitionError
from providers.imbrace.firings import next_firings
from providers.omni.cron import runs_between
from providers.opsgenie.windows import Span, merge, wall

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day names as windows take them (Monday first, as ISO weeks)."""
_CLOCK = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")
WEEK = timedelta(weeks=1)
EN_DASH = "\u2013"


class WindowError(DefinitionError):
    """A window or zone that cannot be read; ``field`` names it (``requiredHours[0].windows[1].end``)."""


@dataclass(frozen=True)
class WeeklyWindow:
    """From ``start`` to ``end`` (minutes after local midnight) on each of ``days`` (0 = Monday).

    An ``end`` at or before ``start`` is on the next day (equal: 24 hours), so 18:00-08:00 covers
    the night after each day named.
    """

    days: frozenset[int]
    start: int
    end: int


def zone(name: str, field: str = "timezone") -> ZoneInfo:
    """The IANA time zone ``name``; :class:`WindowError` naming ``field`` when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise WindowError(field, f"unknown time zone {name!r} (e.g. Europe/Berlin, UTC)") from None


def _days(value: Any, field: str) -> frozenset[int]:
    """``"mon-fri"``, ``"fri-mon"``, ``"sat,sun"``, ``["mon", "wed"]`` or ``"daily"`` as day numbers."""

    def number(name: str) -> int:
        if name[:3] not in WEEKDAYS:
            raise WindowError(field, f"{value!r}: days are mon … sun, ranges (mon-fri), lists or daily")
        return WEEKDAYS.index(name[:3])

    days: set[int] = set()
    for item in value if isinstance(value, list) else str(value).split(","):
        text = str(item).strip().lower()
        if text in ("*", "daily"):
            return frozenset(range(7))
        first, _, last = text.partition("-")
        a = number(first)
        b = number(last) if last else a
        days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
    return frozenset(days)


def _clock(value: Any, field: str) -> int:
    found = _CLOCK.match(str(value))
    if not found or (found.group(1) == "24" and found.group(2) != "00"):
        raise WindowError(field, f"{value!r} is not a time of day HH:MM (00:00 to 24:00)")
    return int(found.group(1)) * 60 + int(found.group(2))


def parse_windows(raw: Any, field: str) -> list[WeeklyWindow]:
    """Windows from config: ``[{"days": "mon-fri", "start": "09:00", "end": "18:00"}, …]``."""
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise WindowError(
            field, "expected a list of windows like {days: mon-fri, start: '09:00', end: '18:00'}"
        )
    out = []
    for i, item in enumerate(raw):
        where = f"{field}[{i}]"
        if not isinstance(item, Mapping):
            raise WindowError(where, "expected {days, start, end}")
        start = _clock(item.get("start", "00:00"), f"{where}.start")
        end = _clock(item.get("end", "24:00"), f"{where}.end")
        out.append(WeeklyWindow(_days(item.get("days", "*"), f"{where}.days"), start % 1440, end))
    return out


def occurrences(windows: Sequence[WeeklyWindow], tz: ZoneInfo, start: datetime, end: datetime) -> list[Span]:
    """The stretches of ``[start, end)`` inside the windows, in UTC, merged and in time order."""
    first = start.astimezone(tz).date() - timedelta(days=1)  # a night window may have begun the day before
    spans: list[Span] = []
    for n in range((end.astimezone(tz).date() - first).days + 1):
        day = first + timedelta(days=n)
        for window in windows:
            if day.weekday() in window.days:
                begin = _at(day, window.start, tz)
                finish = _at(day + timedelta(days=1 if window.end <= window.start else 0), window.end, tz)
                spans.append((max(begin, start), min(finish, end)))
    return merge(spans)


def _at(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    extra, rest = divmod(minutes, 1440)  # 24:00 is the next day's midnight
    return wall(day + timedelta(days=extra), rest // 60, rest % 60, tz)


def weeks(tz: ZoneInfo, start: datetime, count: int) -> list[Span]:
    """``count`` local calendar weeks (Monday 00:00 to Monday 00:00, 167 to 169 hours across a DST
    change), the first one holding ``start``."""
    monday = start.astimezone(tz).date()
    monday -= timedelta(days=monday.weekday())
    return [
        (wall(monday + WEEK * i, 0, 0, tz), wall(monday + WEEK * (i + 1), 0, 0, tz)) for i in range(count)
    ]


def hours(spans: Sequence[Span]) -> float:
    """The hours the spans last (overlaps counted once)."""
    return sum(((b - a) for a, b in merge(list(spans))), timedelta()) / timedelta(hours=1)


def local(moment: datetime, tz: ZoneInfo) -> str:
    """``Sat 2026-12-12 00:00`` in ``tz``."""
    return moment.astimezone(tz).strftime("%a %Y-%m-%d %H:%M")


def describe(span: Span, tz: ZoneInfo) -> str:
    """A span as people read it: ``Sat 2026-12-12 00:00 - Mon 2026-12-14 09:00 Europe/Berlin`` (en dash)."""
    return f"{local(span[0], tz)} {EN_DASH} {local(span[1], tz)} {tz.key}"


def utc_instant(value: Any, field: str) -> datetime:
    """An ISO 8601 date-time with an offset (``2026-12-24T00:00:00Z``) as aware UTC."""
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise WindowError(
            field, f"{value!r} is not an ISO 8601 date-time (e.g. 2026-12-24T00:00:00Z)"
        ) from None
    if moment.tzinfo is None:
        raise WindowError(field, f"{value!r} has no offset (e.g. 2026-12-24T00:00:00Z or +01:00)")
    return moment.astimezone(UTC)


JobKind = Literal["imbrace", "omni"]
RUNS_LIMIT = 10_000
"""The most runs :func:`job_runs` computes by default (a job every minute for a week stays below)."""


def job_runs(
    kind: JobKind, props: Mapping[str, Any], start: datetime, end: datetime, limit: int = RUNS_LIMIT
) -> list[datetime]:
    """The runs of a job in ``[start, end)``, at most ``limit``, in time order.

    ``imbrace``: ``props`` are a ``Scheduler``'s inputs; the runs are aware UTC
    (:func:`providers.imbrace.firings.next_firings`). ``omni``: ``props`` are an Omni schedule's
    ``schedule`` (the cron), ``timezone`` (UTC when absent) and ``paused``; the runs are aware, in
    that zone (:func:`providers.omni.cron.runs_between`). A paused job, or an Omni schedule
    without a cron, runs never. Raises :class:`~providers.imbrace.firings.FiringError` or
    :class:`~providers.omni.cron.CronError` for a definition whose runs cannot be computed.

    Calls no API: computed from the definition alone.
    """
    if kind == "imbrace":
        return next_firings(props, start, end, limit=limit)
    cron = props.get("schedule")
    if props.get("paused") is True or not cron:
        return []
    return runs_between(str(cron), str(props.get("timezone") or "UTC"), start, end, limit)
