"""Weekly windows read the slow, obvious way: is this moment's local day and time inside one?"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from providers.timewindows import WeeklyWindow


def in_windows(moment: datetime, windows: Sequence[WeeklyWindow], tz: ZoneInfo) -> bool:
    """Whether ``moment``'s wall-clock day and time in ``tz`` falls inside one of ``windows``."""
    local = moment.astimezone(tz)
    minute = local.hour * 60 + local.minute
    for window in windows:
        if window.end > window.start:  # within the day named
            if local.weekday() in window.days and window.start <= minute < window.end:
                return True
        else:  # from the day named into the next
            if local.weekday() in window.days and minute >= window.start:
                return True
            if (local.weekday() - 1) % 7 in window.days and minute < window.end:
                return True
    return False
