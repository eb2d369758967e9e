"""Get Schedule Timeline and Export Schedule (``.ics``).

The timeline covers [date, date + interval * intervalUnit), the units counted on
the wall clock of the schedule's time zone (a day across a DST change is 23 or 25
hours); ``date`` defaults to the moment of the request. ``expand`` adds
``baseTimeline``, ``overrideTimeline`` and ``forwardingTimeline``; ``expandable`` is
always ``["base", "forwarding", "override"]``.

``/v2/schedules/{identifier}.ics`` is registered before ``/v2/schedules/{identifier}``
so that the export wins for any identifier ending in ``.ics`` — as on Opsgenie,
where a schedule whose name ends in ".ics" cannot be fetched by that name.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from sandbox.deps import StoreDep
from sandbox.opsgenie.clock import FORMAT_HINT, now, parse_instant, zone
from sandbox.opsgenie.errors import answer, meta_of, standard_headers, unprocessable
from sandbox.opsgenie.ics import calendar, content_disposition, export_window
from sandbox.opsgenie.oncall import EXPANDABLE, compute, timeline_body
from sandbox.opsgenie.repository import find_schedule, identifier_type
from sandbox.opsgenie.routing import IdentifierType, OpsgenieRoute, expansions
from sandbox.opsgenie.timeline import add_interval

UNITS = ("days", "weeks", "months")
IntervalUnit = Annotated[str | None, Query(alias="intervalUnit")]

# Registered before the schedule CRUD routes (see the module docstring).
router = APIRouter(route_class=OpsgenieRoute)


def _interval(value: str | None) -> int:
    if value is None or value == "":
        return 1
    try:
        amount = int(value)
    except ValueError:
        amount = 0
    if amount < 1:
        raise unprocessable(f"Invalid interval [{value}]: should be a positive integer")
    return amount


def _unit(value: str | None) -> str:
    if value is None or value == "":
        return "weeks"
    if value not in UNITS:
        raise unprocessable(f"Invalid intervalUnit [{value}]: should be one of {', '.join(UNITS)}")
    return value


@router.get("/v2/schedules/{identifier}.ics")
def export_schedule(
    request: Request, store: StoreDep, identifier: str, kind: IdentifierType = None
) -> Response:
    """The schedule's on-call periods as an iCalendar file."""
    meta = meta_of(request)
    moment = now()
    with store.tx() as tx:
        schedule = find_schedule(tx, identifier, identifier_type(kind))
        start, end = export_window(schedule["timezone"], moment)
        body = calendar(schedule, compute(tx, schedule, start, end), moment)
    headers = {**standard_headers(meta), "Content-Disposition": content_disposition(schedule["name"])}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


@router.get("/v2/schedules/{identifier}/timeline")
def get_timeline(
    request: Request,
    store: StoreDep,
    identifier: str,
    kind: IdentifierType = None,
    expand: str | None = None,
    interval: str | None = None,
    unit: IntervalUnit = None,
    date: str | None = None,
) -> Response:
    """Who is on call from ``date`` over ``interval`` * ``intervalUnit``."""
    moment = now()
    amount, span_unit = _interval(interval), _unit(unit)
    start = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    if date:
        parsed = parse_instant(date)
        if parsed is None:
            raise unprocessable(
                f"Invalid date [{date}]: should be in {FORMAT_HINT} format (escape '+' as %2B)"
            )
        start = parsed
    with store.tx() as tx:
        schedule = find_schedule(tx, identifier, identifier_type(kind))
        try:
            end = add_interval(start, zone(schedule["timezone"]), amount, span_unit)
        except (OverflowError, ValueError) as exc:
            raise unprocessable(f"Invalid interval [{amount}]: too long") from exc
        rotations = compute(tx, schedule, start, end)
    data = timeline_body(schedule, rotations, start, end, moment, expansions(expand))
    return answer(request, {"data": data, "expandable": EXPANDABLE})
