"""A schedule's on-call periods as an iCalendar file (the Export Schedule answer).

The export covers a fixed window around the day of the request, in the schedule's
time zone: from midnight 7 days before today to midnight 91 days after (13 weeks
ahead). It holds one ``VEVENT`` per period of the final timeline (overrides
included), named after the person on call and the rotation, with times in UTC.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from urllib.parse import quote

from icalendar import Calendar, Event

from sandbox.opsgenie.clock import zone
from sandbox.opsgenie.oncall import RotationTimeline
from sandbox.opsgenie.timeline import localize, wall_clock

DAYS_BEFORE = 7
DAYS_AFTER = 91
PRODID = "-//Schedules sandbox//Opsgenie schedule export//EN"


def export_window(timezone: str, now: datetime) -> tuple[datetime, datetime]:
    """The [start, end) the export of a schedule in ``timezone`` covers at ``now``."""
    tz = zone(timezone)
    today = wall_clock(now, tz).replace(hour=0, minute=0, second=0, microsecond=0)
    return localize(today - timedelta(days=DAYS_BEFORE), tz), localize(today + timedelta(days=DAYS_AFTER), tz)


def calendar(schedule: dict[str, object], rotations: list[RotationTimeline], stamp: datetime) -> bytes:
    """The iCalendar document of the final periods of ``rotations``."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", str(schedule["name"]))
    cal.add("x-wr-timezone", str(schedule["timezone"]))
    for rotation in rotations:
        for period in rotation.final:
            event = Event()
            key = f"{schedule['id']}/{rotation.id}/{period.start.isoformat()}/{period.recipient.id}"
            event.add("uid", hashlib.sha1(key.encode()).hexdigest() + "@opsgenie.sandbox")
            event.add("dtstamp", stamp)
            event.add("dtstart", period.start)
            event.add("dtend", period.end)
            event.add("summary", f"{period.recipient.name} - {rotation.name}")
            event.add("description", f"On call for {schedule['name']} ({rotation.name}, {period.kind})")
            event.add("categories", [period.kind])
            cal.add_component(event)
    return bytes(cal.to_ical())


def content_disposition(name: str) -> str:
    """An attachment header naming the file after the schedule (non-ASCII names percent-encoded)."""
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "'")
    return f"attachment; filename=\"{ascii_name}.ics\"; filename*=UTF-8''{quote(name)}.ics"
