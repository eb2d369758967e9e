"""A stored schedule's on-call periods over a window, and their OAS ``ScheduleTimeline`` shape.

Per rotation (``order`` = its position, from 1) there are three lists of periods:
``base`` (the rotation alone, ``type`` "default"), ``override`` (the overrides that
apply to it, ``type`` "override") and ``final`` (base with the overrides laid over
it). Periods are clipped to the window. In the final timeline a period that has
already ended is ``historical`` and carries ``flattenedRecipients`` (docs: "returned
when the period is historical, i.e. period must [have] finished"). A ``none``
participant or override leaves a gap: no period. The sandbox has no forwarding
rules, so the forwarding timeline is always empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sandbox.opsgenie.clock import format_instant, parse_instant, zone
from sandbox.opsgenie.records import recipient_of, schedule_meta
from sandbox.opsgenie.timeline import (
    Override,
    Period,
    Rotation,
    Window,
    final_periods,
    override_periods,
    rotation_periods,
    time_of_day_windows,
    weekday_window,
)
from sandbox.store import Doc, Tx

EXPANDABLE = ["base", "forwarding", "override"]


@dataclass(frozen=True)
class RotationTimeline:
    """One rotation's periods over the window: alone, its overrides, and the result."""

    id: str
    name: str
    order: int
    base: list[Period]
    overrides: list[Period]
    final: list[Period]


def _instant(value: str) -> datetime:
    moment = parse_instant(value)
    assert moment is not None, value  # stored dates are always valid
    return moment


def _windows(restriction: Doc | None) -> list[Window] | None:
    if not restriction:
        return None
    if restriction["type"] == "time-of-day":
        r = restriction["restriction"]
        return time_of_day_windows((r["startHour"], r["startMin"]), (r["endHour"], r["endMin"]))
    return [
        weekday_window(
            r["startDay"], (r["startHour"], r["startMin"]), r["endDay"], (r["endHour"], r["endMin"])
        )
        for r in restriction["restrictions"]
    ]


def rotation_rule(tx: Tx, rotation: Doc) -> Rotation:
    """A stored rotation as the arithmetic's :class:`~sandbox.opsgenie.timeline.Rotation`."""
    return Rotation(
        start=_instant(rotation["startDate"]),
        end=_instant(rotation["endDate"]) if "endDate" in rotation else None,
        type=rotation["type"],
        length=rotation["length"],
        participants=[recipient_of(tx, p) for p in rotation.get("participants", [])],
        windows=_windows(rotation.get("timeRestriction")),
    )


def _overrides_of(tx: Tx, schedule: Doc, rotation_id: str) -> list[Override]:
    return [
        Override(_instant(o["startDate"]), _instant(o["endDate"]), recipient_of(tx, o["user"]))
        for o in schedule.get("overrides", [])
        if not o["rotations"] or rotation_id in o["rotations"]
    ]


def compute(tx: Tx, schedule: Doc, start: datetime, end: datetime) -> list[RotationTimeline]:
    """Every rotation's periods over [start, end)."""
    tz = zone(schedule["timezone"])
    result = []
    for order, rotation in enumerate(schedule.get("rotations", []), start=1):
        base = rotation_periods(rotation_rule(tx, rotation), tz, start, end)
        overrides = _overrides_of(tx, schedule, rotation["id"])
        result.append(
            RotationTimeline(
                id=rotation["id"],
                name=rotation.get("name", ""),
                order=order,
                base=base,
                overrides=override_periods(overrides, start, end),
                final=final_periods(base, overrides, start, end),
            )
        )
    return result


def _period(period: Period, now: datetime | None) -> Doc:
    recipient = {"id": period.recipient.id, "type": period.recipient.type, "name": period.recipient.name}
    shown: Doc = {
        "startDate": format_instant(period.start),
        "endDate": format_instant(period.end),
        "type": period.kind,
        "recipient": recipient,
    }
    if now is not None and period.end <= now:
        shown["type"] = "historical"
        shown["flattenedRecipients"] = [recipient]
    return shown


def _timeline(rotations: list[RotationTimeline], pick: str, now: datetime | None = None) -> Doc:
    return {
        "rotations": [
            {
                "id": r.id,
                "name": r.name,
                "order": r.order,
                "periods": [_period(p, now) for p in getattr(r, pick)],
            }
            for r in rotations
        ]
    }


def timeline_body(
    schedule: Doc,
    rotations: list[RotationTimeline],
    start: datetime,
    end: datetime,
    now: datetime,
    expand: set[str],
) -> Doc:
    """The ``data`` of a Get Schedule Timeline answer."""
    data: Doc = {
        "_parent": schedule_meta(schedule),
        "startDate": format_instant(start),
        "endDate": format_instant(end),
        "finalTimeline": _timeline(rotations, "final", now),
    }
    if "base" in expand:
        data["baseTimeline"] = _timeline(rotations, "base")
    if "override" in expand:
        data["overrideTimeline"] = _timeline(rotations, "overrides")
    if "forwarding" in expand:
        data["forwardingTimeline"] = {"rotations": []}
    return data
