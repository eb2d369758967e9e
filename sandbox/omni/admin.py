"""Test-support routes under ``/_sandbox/omni`` (Omni itself has no create or get-by-id)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, HTTPException
from starlette.responses import JSONResponse

from sandbox.common import is_uuid
from sandbox.deps import StoreDep
from sandbox.omni.listing import LISTING_META, ListingMode
from sandbox.omni.models import (
    SCHEDULE_KIND,
    USER_KIND,
    OmniUser,
    Recipient,
    Schedule,
    ScheduleSeed,
    UserSeed,
)
from sandbox.store import Tx


def _recipients(tx: Tx, given: list[str | Recipient]) -> list[Recipient]:
    # A bare email that belongs to a user becomes that user's recipient.
    by_email = {d["email"].casefold(): d["id"] for d in tx.list(USER_KIND)}
    return [
        item if isinstance(item, Recipient) else Recipient(email=item, userId=by_email.get(item.casefold()))
        for item in given
    ]


def _apply(tx: Tx, seed: ScheduleSeed, base: Schedule) -> Schedule:
    fields = {name: getattr(seed, name) for name in seed.model_fields_set}
    fields.pop("id", None)
    count = fields.pop("recipientCount", None)
    if "ownerId" in fields and fields["ownerId"] is not None:
        owner_id = str(fields["ownerId"]).lower()
        owner = tx.get(USER_KIND, owner_id)
        if owner is None:
            raise HTTPException(404, f"User with id {fields['ownerId']} does not exist")
        fields["ownerId"] = owner_id
        fields.setdefault("ownerName", owner["name"])
    if fields.get("recipients") is not None:
        fields["recipients"] = _recipients(tx, fields["recipients"])
    elif count is not None and count >= 0:
        fields["recipients"] = [Recipient(email=f"recipient{i + 1}@sandbox.example") for i in range(count)]
    else:
        fields.pop("recipients", None)
    return base.model_copy(update=fields)


# Seed schedules and users, read a schedule whole, and change one behind the API's back.
router = APIRouter()


@router.post("/schedules", status_code=201)
def create_schedule(seed: ScheduleSeed, store: StoreDep) -> dict[str, Any]:
    """Store a schedule (list fields, ``ownerId``, ``recipients``, ``systemDisabled*``,
    ``dispatchError``…); the id is generated when absent, and an existing one is replaced."""
    if seed.id is not None and not is_uuid(seed.id):
        raise HTTPException(422, "id: Invalid uuid")
    schedule_id = (seed.id or str(uuid.uuid4())).lower()
    with store.tx() as tx:
        schedule = Schedule.model_validate(_apply(tx, seed, Schedule(id=schedule_id)).model_dump())
        tx.put(SCHEDULE_KIND, schedule.id, schedule.model_dump())
    return schedule.to_admin()


@router.get("/schedules")
def list_schedules(store: StoreDep) -> list[dict[str, Any]]:
    """Every stored schedule, whole, in insertion order."""
    with store.tx() as tx:
        return [Schedule.model_validate(d).to_admin() for d in tx.list(SCHEDULE_KIND)]


@router.get("/schedules/{schedule_id}")
def get_schedule(schedule_id: str, store: StoreDep) -> dict[str, Any]:
    """One schedule whole: recipients, ``ownerId``, ``triggerCount``, ``lastTriggeredAt``…"""
    with store.tx() as tx:
        doc = tx.get(SCHEDULE_KIND, schedule_id.lower())
    if doc is None:
        raise HTTPException(404, f"no schedule {schedule_id}")
    return Schedule.model_validate(doc).to_admin()


@router.patch("/schedules/{schedule_id}")
def patch_schedule(schedule_id: str, seed: ScheduleSeed, store: StoreDep) -> dict[str, Any]:
    """Change the given fields of a stored schedule (e.g. set ``systemDisabledAt``)."""
    with store.tx() as tx:
        doc = tx.get(SCHEDULE_KIND, schedule_id.lower())
        if doc is None:
            raise HTTPException(404, f"no schedule {schedule_id}")
        schedule = Schedule.model_validate(_apply(tx, seed, Schedule.model_validate(doc)).model_dump())
        tx.put(SCHEDULE_KIND, schedule.id, schedule.model_dump())
    return schedule.to_admin()


@router.put("/listing")
def set_listing(mode: ListingMode, store: StoreDep) -> ListingMode:
    """How the list behaves where the docs are silent: a page-size cap, ignored parameters."""
    with store.tx() as tx:
        tx.set_meta(LISTING_META, mode.model_dump_json())
    return mode


@router.post("/users", status_code=201)
def create_user(seed: UserSeed, store: StoreDep) -> JSONResponse:
    """Store an Omni user (a member usable in ``userIds`` and as ``ownerId``)."""
    if seed.id is not None and not is_uuid(seed.id):
        raise HTTPException(422, "id: Invalid uuid")
    user = OmniUser(id=(seed.id or str(uuid.uuid4())).lower(), name=seed.name, email=seed.email)
    with store.tx() as tx:
        tx.put(USER_KIND, user.id, user.model_dump())
    return JSONResponse(user.model_dump(), status_code=201)


@router.get("/users")
def list_users(store: StoreDep) -> list[dict[str, Any]]:
    """Every Omni user of the sandbox."""
    with store.tx() as tx:
        return tx.list(USER_KIND)
