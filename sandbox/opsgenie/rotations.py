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

from sandbox.opsgenie.errors import answer, meta_of, not_processable
from sandbox.opsgenie.models import RotationIn, parse
from sandbox.opsgenie.records import Errors, build_rotation, schedule_meta, show_rotation
from sandbox.opsgenie.repository import ParentDep, find_rotation
from sandbox.opsgenie.routing import OpsgenieRoute
from sandbox.store import Doc, Tx

BASE = "/v2/schedules/{identifier}/rotations"
ONE = BASE + "/{rotation_id}"

router = APIRouter(route_class=OpsgenieRoute)


def _built(tx: Tx, body: RotationIn, *, base: Doc | None = None, number: int = 1) -> Doc:
    """The rotation ``body`` describes (see :func:`build_rotation`), or the 422 listing its errors."""
    errors: Errors = {}
    rotation = build_rotation(tx, body, "", errors, base=base, number=number)
    if errors:
        raise not_processable(errors)
    return rotation


@router.post(BASE)
def create_rotation(request: Request, parent: ParentDep) -> Response:
    """Add a rotation to a schedule."""
    body = parse(RotationIn, meta_of(request).body)
    with parent.edit() as (tx, schedule):
        rotations = schedule.get("rotations", [])
        rotation = _built(tx, body, number=len(rotations) + 1)
        schedule["rotations"] = [*rotations, rotation]
    data = {"id": rotation["id"], "name": rotation["name"]}
    return answer(request, {"result": "Created", "data": data}, 201)


@router.get(BASE)
def list_rotations(request: Request, parent: ParentDep) -> Response:
    """The rotations of a schedule, in order."""
    with parent.read() as (tx, schedule):
        data = [show_rotation(tx, r) for r in schedule.get("rotations", [])]
    return answer(request, {"data": data})


@router.get(ONE)
def get_rotation(request: Request, parent: ParentDep, rotation_id: str) -> Response:
    """One rotation, with its schedule as ``_parent``."""
    with parent.read() as (tx, schedule):
        _, rotation = find_rotation(schedule, rotation_id)
        data = {**show_rotation(tx, rotation), "_parent": schedule_meta(schedule)}
    return answer(request, {"data": data})


@router.patch(ONE)
def update_rotation(request: Request, parent: ParentDep, rotation_id: str) -> Response:
    """Change the given fields of a rotation."""
    body = parse(RotationIn, meta_of(request).body)
    with parent.edit() as (tx, schedule):
        index, rotation = find_rotation(schedule, rotation_id)
        updated = schedule["rotations"][index] = _built(tx, body, base=rotation)
    data = {"id": updated["id"], "name": updated["name"]}
    return answer(request, {"result": "Updated", "data": data})


@router.delete(ONE)
def delete_rotation(request: Request, parent: ParentDep, rotation_id: str) -> Response:
    """Remove a rotation from its schedule."""
    with parent.edit() as (_, schedule):
        index, _ = find_rotation(schedule, rotation_id)
        del schedule["rotations"][index]
    return answer(request, {"result": "Deleted"})
