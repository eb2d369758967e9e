"""Schedule API: create, get, update (partial), delete and list schedules.

``GET /v2/schedules`` includes each schedule's rotations only with
``expand=rotation``; without it the schedules come without ``rotations`` (the
docs describe expand as what "returns more detailed response", although their
sample list shows rotations). ``expandable`` is always ``["rotation"]``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from sandbox.deps import StoreDep
from sandbox.opsgenie.errors import answer, meta_of, not_processable
from sandbox.opsgenie.models import ScheduleIn, parse
from sandbox.opsgenie.records import Errors, apply_schedule, new_schedule, schedule_meta, show_schedule
from sandbox.opsgenie.repository import (
    delete_schedule,
    find_schedule,
    identifier_type,
    list_schedules,
    save_schedule,
)
from sandbox.opsgenie.routing import IdentifierType, OpsgenieRoute, expansions

router = APIRouter(route_class=OpsgenieRoute)


@router.post("/v2/schedules")
def create_schedule(request: Request, store: StoreDep) -> Response:
    """Create a schedule (201 with its id, name and enabled state)."""
    body = parse(ScheduleIn, meta_of(request).body)
    with store.tx() as tx:
        errors: Errors = {}
        schedule = new_schedule(tx, body, errors)
        if errors:
            raise not_processable(errors)
        save_schedule(tx, schedule)
    return answer(request, {"data": schedule_meta(schedule)}, 201)


@router.get("/v2/schedules")
def list_all(request: Request, store: StoreDep, expand: str | None = None) -> Response:
    """List the schedules, with their rotations when ``expand=rotation``."""
    with_rotations = "rotation" in expansions(expand)
    with store.tx() as tx:
        data = [show_schedule(tx, s, rotations=with_rotations) for s in list_schedules(tx)]
    return answer(request, {"data": data, "expandable": ["rotation"]})


@router.get("/v2/schedules/{identifier}")
def get_schedule(request: Request, store: StoreDep, identifier: str, kind: IdentifierType = None) -> Response:
    """One schedule, by id or by name."""
    with store.tx() as tx:
        data = show_schedule(tx, find_schedule(tx, identifier, identifier_type(kind)))
    return answer(request, {"data": data})


@router.patch("/v2/schedules/{identifier}")
def update_schedule(
    request: Request, store: StoreDep, identifier: str, kind: IdentifierType = None
) -> Response:
    """Change the given fields of a schedule; given rotations replace all of its rotations."""
    body = parse(ScheduleIn, meta_of(request).body)
    with store.tx() as tx:
        schedule = find_schedule(tx, identifier, identifier_type(kind))
        errors: Errors = {}
        updated = apply_schedule(tx, body, schedule, errors)
        if errors:
            raise not_processable(errors)
        save_schedule(tx, updated, previous_name=schedule["name"])
    return answer(request, {"data": schedule_meta(updated)})


@router.delete("/v2/schedules/{identifier}")
def remove_schedule(
    request: Request, store: StoreDep, identifier: str, kind: IdentifierType = None
) -> Response:
    """Delete a schedule with its rotations and overrides."""
    with store.tx() as tx:
        delete_schedule(tx, find_schedule(tx, identifier, identifier_type(kind)))
    return answer(request, {"result": "Deleted"})
