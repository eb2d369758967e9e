"""Schedule Rotation API: ``/v2/schedules/{identifier}/rotations[/{id}]``.

As in the OAS, these routes name the schedule's identifier type with the query
parameter ``scheduleIdentifierType`` (not ``identifierType``). Create answers 201
``{"result": "Created", "data": {"id", "name"}}``, update 200 ``{"result":
"Updated", ...}`` (OAS ``SuccessResponse``), delete ``{"result": "Deleted"}``; get
adds the schedule as ``_parent`` (``ScheduleRotationWithParent``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from sandbox.context import SandboxContext
from sandbox.opsgenie.errors import answer, meta_of, not_processable
from sandbox.opsgenie.models import RotationIn, parse
from sandbox.opsgenie.records import Errors, build_rotation, schedule_meta, show_rotation
from sandbox.opsgenie.repository import find_parent, find_rotation, save_schedule
from sandbox.opsgenie.routing import ScheduleIdentifierType

BASE = "/v2/schedules/{identifier}/rotations"


def add_routes(router: APIRouter, ctx: SandboxContext) -> None:
    """Add the Rotation API's routes to ``router``."""
    store = ctx.store

    @router.post(BASE)
    def create_rotation(request: Request, identifier: str, kind: ScheduleIdentifierType = None) -> Response:
        """Add a rotation to a schedule."""
        body = parse(RotationIn, meta_of(request).body)
        with store.tx() as tx:
            schedule = find_parent(tx, identifier, kind)
            errors: Errors = {}
            rotations = schedule.get("rotations", [])
            rotation = build_rotation(tx, body, "", errors, number=len(rotations) + 1)
            if errors:
                raise not_processable(errors)
            schedule["rotations"] = [*rotations, rotation]
            save_schedule(tx, schedule, previous_name=schedule["name"])
        data = {"id": rotation["id"], "name": rotation["name"]}
        return answer(request, {"result": "Created", "data": data}, 201)

    @router.get(BASE)
    def list_rotations(request: Request, identifier: str, kind: ScheduleIdentifierType = None) -> Response:
        """The rotations of a schedule, in order."""
        with store.tx() as tx:
            schedule = find_parent(tx, identifier, kind)
            data = [show_rotation(tx, r) for r in schedule.get("rotations", [])]
        return answer(request, {"data": data})

    @router.get(BASE + "/{rotation_id}")
    def get_rotation(
        request: Request, identifier: str, rotation_id: str, kind: ScheduleIdentifierType = None
    ) -> Response:
        """One rotation, with its schedule as ``_parent``."""
        with store.tx() as tx:
            schedule = find_parent(tx, identifier, kind)
            _, rotation = find_rotation(schedule, rotation_id)
            data = {**show_rotation(tx, rotation), "_parent": schedule_meta(schedule)}
        return answer(request, {"data": data})

    @router.patch(BASE + "/{rotation_id}")
    def update_rotation(
        request: Request, identifier: str, rotation_id: str, kind: ScheduleIdentifierType = None
    ) -> Response:
        """Change the given fields of a rotation."""
        body = parse(RotationIn, meta_of(request).body)
        with store.tx() as tx:
            schedule = find_parent(tx, identifier, kind)
            index, rotation = find_rotation(schedule, rotation_id)
            errors: Errors = {}
            updated = build_rotation(tx, body, "", errors, base=rotation)
            if errors:
                raise not_processable(errors)
            schedule["rotations"][index] = updated
            save_schedule(tx, schedule, previous_name=schedule["name"])
        data = {"id": updated["id"], "name": updated["name"]}
        return answer(request, {"result": "Updated", "data": data})

    @router.delete(BASE + "/{rotation_id}")
    def delete_rotation(
        request: Request, identifier: str, rotation_id: str, kind: ScheduleIdentifierType = None
    ) -> Response:
        """Remove a rotation from its schedule."""
        with store.tx() as tx:
            schedule = find_parent(tx, identifier, kind)
            index, _ = find_rotation(schedule, rotation_id)
            del schedule["rotations"][index]
            save_schedule(tx, schedule, previous_name=schedule["name"])
        return answer(request, {"result": "Deleted"})
