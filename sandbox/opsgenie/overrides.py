"""Schedule Override API: ``/v2/schedules/{identifier}/overrides[/{alias}]``.

An override puts ``user`` (a user by id or username, or ``none``) on call from
``startDate`` to ``endDate`` in the rotations it names by id or name (all of the
schedule's rotations when it names none). Its ``alias`` is the caller's key for
it, unique per schedule (a random one when not given; a taken one is a 409).
Update is a PUT that replaces the override (user and both dates mandatory).
Override dates are kept to the second (the docs round rotation dates only). As for
rotations, the schedule's identifier type is ``scheduleIdentifierType``.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Request
from starlette.responses import Response

from sandbox.opsgenie.clock import format_instant, parse_instant
from sandbox.opsgenie.errors import answer, conflict, meta_of, not_processable
from sandbox.opsgenie.models import OverrideIn, parse
from sandbox.opsgenie.records import (
    DATE_FORMAT,
    MISSING,
    Errors,
    described,
    resolve_recipient,
    schedule_meta,
    show_recipient,
)
from sandbox.opsgenie.repository import ParentDep, find_override
from sandbox.opsgenie.routing import OpsgenieRoute
from sandbox.store import Doc, Tx

BASE = "/v2/schedules/{identifier}/overrides"
ONE = BASE + "/{alias}"

router = APIRouter(route_class=OpsgenieRoute)


def build_override(tx: Tx, schedule: Doc, body: OverrideIn, alias: str) -> Doc:
    """The override ``body`` describes, as stored, or a 422 naming each bad field."""
    errors: Errors = {}
    override: Doc = {"alias": alias}
    if body.user is None:
        errors["user"] = MISSING
    else:
        override["user"] = resolve_recipient(tx, body.user, "user", errors, ("user", "none"))
    moments: dict[str, datetime] = {}
    for name in ("startDate", "endDate"):
        raw = getattr(body, name)
        moment = parse_instant(raw)
        if raw is None:
            errors[name] = MISSING
        elif moment is None:
            errors[name] = DATE_FORMAT
        else:
            moments[name] = moment
            override[name] = format_instant(moment)
    if len(moments) == 2 and moments["endDate"] <= moments["startDate"]:
        errors["endDate"] = "should be after startDate"
    rotations = schedule.get("rotations", [])
    override["rotations"] = []
    for i, ref in enumerate(body.rotations or []):
        if not ref.id and not ref.name:
            errors[f"rotations[{i}]"] = "id or name should be provided"
            continue
        found = next(
            (r for r in rotations if (r["id"] == ref.id if ref.id else r.get("name") == ref.name)), None
        )
        if found is None:
            errors[f"rotations[{i}]"] = (
                f"No schedule rotation exists with {described(ref.id, 'name', ref.name)}"
            )
        else:
            override["rotations"].append(found["id"])
    if errors:
        raise not_processable(errors)
    return override


def show_override(tx: Tx, schedule: Doc, override: Doc) -> Doc:
    """A stored override as the API shows it (OAS ``ScheduleOverride``)."""
    names = {r["id"]: r.get("name", "") for r in schedule.get("rotations", [])}
    return {
        "_parent": schedule_meta(schedule),
        "alias": override["alias"],
        "user": show_recipient(tx, override["user"]),
        "startDate": override["startDate"],
        "endDate": override["endDate"],
        # Rotations deleted since are left out.
        "rotations": [{"id": rid, "name": names[rid]} for rid in override["rotations"] if rid in names],
    }


@router.post(BASE)
def create_override(request: Request, parent: ParentDep) -> Response:
    """Add an override to a schedule (201 with its alias)."""
    body = parse(OverrideIn, meta_of(request).body)
    with parent.edit() as (tx, schedule):
        alias = body.alias or str(uuid.uuid4())
        override = build_override(tx, schedule, body, alias)
        if any(o["alias"] == alias for o in schedule.get("overrides", [])):
            raise conflict(f"Schedule override with [alias] [{alias}] already exists.")
        schedule["overrides"] = [*schedule.get("overrides", []), override]
    return answer(request, {"data": {"alias": alias}}, 201)


@router.get(BASE)
def list_overrides(request: Request, parent: ParentDep) -> Response:
    """The overrides of a schedule, oldest first."""
    with parent.read() as (tx, schedule):
        data = [show_override(tx, schedule, o) for o in schedule.get("overrides", [])]
    return answer(request, {"data": data})


@router.get(ONE)
def get_override(request: Request, parent: ParentDep, alias: str) -> Response:
    """One override, by alias."""
    with parent.read() as (tx, schedule):
        data = show_override(tx, schedule, find_override(schedule, alias)[1])
    return answer(request, {"data": data})


@router.put(ONE)
def replace_override(request: Request, parent: ParentDep, alias: str) -> Response:
    """Replace an override (its alias stays)."""
    body = parse(OverrideIn, meta_of(request).body)
    with parent.edit() as (tx, schedule):
        index, _ = find_override(schedule, alias)
        schedule["overrides"][index] = build_override(tx, schedule, body, alias)
    return answer(request, {"data": {"alias": alias}})


@router.delete(ONE)
def delete_override(request: Request, parent: ParentDep, alias: str) -> Response:
    """Remove an override."""
    with parent.edit() as (_, schedule):
        del schedule["overrides"][find_override(schedule, alias)[0]]
    return answer(request, {"result": "Deleted"})
