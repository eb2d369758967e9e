"""The documented schedule calls of Omni's API (v1, plus the beta ``unstable`` trigger).

Each call answers an invalid or unknown schedule id with its own documented text:

- trigger (v1 and unstable): 400 ``Bad Request: scheduleId: Invalid uuid``, 404;
- delete: 400 ``scheduleId: Invalid uuid`` (no prefix), 404;
- add/remove recipients, pause, resume: no uuid row in the docs, so a malformed id is a
  schedule that does not exist: 404 ``Scheduled task with id <id> does not exist``.

"Invalid method" rows: another HTTP method on the trigger paths answers 400
``Invalid method`` and on ``/api/v1/schedules/{id}`` 400 ``Invalid request method`` (the
docs list them under 400, so the status is 400, not 405). Other paths keep FastAPI's
405 in Omni's error shape.

Not in the docs: a trigger is accepted on a paused or system-disabled schedule (running
on demand is what a trigger is for); it counts ``triggerCount``/``lastTriggeredAt``
(visible through the admin GET), and a schedule seeded with ``dispatchError`` answers
that text as the documented 500 "Dispatcher error". Delete also forgets the recipients.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from sandbox.common import ApiError, is_uuid, now_iso, read_json
from sandbox.deps import CredentialsDep, StoreDep
from sandbox.omni.errors import OmniRoute, OmniUnstableRoute, check_token, schedule_not_found
from sandbox.omni.listing import LISTING_META, ListingMode, ListQuery
from sandbox.omni.models import SCHEDULE_KIND, USER_KIND, Schedule, ScheduleList
from sandbox.omni.recipients import RecipientChange
from sandbox.store import Store, Tx

SCHEDULES = "/api/v1/schedules"
ONE = SCHEDULES + "/{schedule_id}"
UNSTABLE_TRIGGER = "/api/unstable/schedules/{schedule_id}/trigger"
_ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _others(method: str) -> list[str]:
    return [m for m in _ALL_METHODS if m != method]


def load(tx: Tx, schedule_id: str) -> Schedule:
    """The stored schedule, or the documented 404."""
    doc = tx.get(SCHEDULE_KIND, schedule_id.lower()) if is_uuid(schedule_id) else None
    if doc is None:
        raise schedule_not_found(schedule_id)
    return Schedule.model_validate(doc)


def save(tx: Tx, schedule: Schedule) -> None:
    """Store a schedule under its (lower-case) id."""
    tx.put(SCHEDULE_KIND, schedule.id, schedule.model_dump())


async def _authenticated(request: Request, credentials: CredentialsDep) -> None:
    """Every call's first check: the bearer token (401 otherwise)."""
    check_token(request, credentials)


# The v1 calls answer errors in the v1 shape, the beta (unstable) trigger with the SCIM ``schemas``.
v1 = APIRouter(route_class=OmniRoute, dependencies=[Depends(_authenticated)])
unstable = APIRouter(route_class=OmniUnstableRoute, dependencies=[Depends(_authenticated)])


@v1.get(SCHEDULES)
def list_schedules(request: Request, store: StoreDep) -> ScheduleList:
    """List schedules: filters, sorting and cursor pagination (see :mod:`sandbox.omni.listing`)."""
    with store.tx() as tx:
        raw_mode = tx.get_meta(LISTING_META)
    query = ListQuery(request.query_params, ListingMode.model_validate_json(raw_mode) if raw_mode else None)
    with store.tx() as tx:
        if query.owner_id is not None and tx.get(USER_KIND, query.owner_id) is None:
            raise ApiError(404, f"User with id {request.query_params['ownerId']} does not exist")
        schedules = [Schedule.model_validate(d) for d in tx.list(SCHEDULE_KIND)]
    return query.page(query.sort([s for s in schedules if query.matches(s)]))


@v1.post(ONE + "/trigger")
def trigger(schedule_id: str, store: StoreDep) -> dict[str, bool]:
    """Trigger schedule: run it now, outside its regular schedule."""
    if not is_uuid(schedule_id):
        raise ApiError(400, "Bad Request: scheduleId: Invalid uuid")
    with store.tx() as tx:
        schedule = load(tx, schedule_id)
        if schedule.dispatchError:
            raise ApiError(500, schedule.dispatchError)
        schedule.triggerCount += 1
        schedule.lastTriggeredAt = now_iso()
        save(tx, schedule)
    return {"success": True}


@v1.api_route(ONE + "/trigger", methods=_others("POST"), include_in_schema=False)
def trigger_wrong_method(schedule_id: str) -> None:
    """The documented ``Invalid method`` 400."""
    raise ApiError(400, "Invalid method")


async def _change_recipients(
    request: Request, store: Store, schedule_id: str, *, removing: bool
) -> dict[str, Any]:
    change = RecipientChange(await read_json(request), removing=removing)
    with store.tx() as tx:
        schedule = load(tx, schedule_id)
        change.check_destination(schedule)
        count = change.apply(tx, schedule)
        save(tx, schedule)
    key = "removedRecipientsCount" if removing else "addedRecipientsCount"
    return {key: count, "success": True}


@v1.put(ONE + "/add-recipients")
async def add_recipients(request: Request, schedule_id: str, store: StoreDep) -> dict[str, Any]:
    """Add recipients (``emails`` and/or ``userIds``) to an email schedule."""
    return await _change_recipients(request, store, schedule_id, removing=False)


@v1.put(ONE + "/remove-recipients")
async def remove_recipients(request: Request, schedule_id: str, store: StoreDep) -> dict[str, Any]:
    """Remove recipients (``emails`` and/or ``userIds``) from an email schedule."""
    return await _change_recipients(request, store, schedule_id, removing=True)


@v1.put(ONE + "/pause")
def pause(schedule_id: str, store: StoreDep) -> dict[str, bool]:
    """Pause a schedule: sets ``disabledAt``."""
    return _set_paused(store, schedule_id, paused=True)


@v1.put(ONE + "/resume")
def resume(schedule_id: str, store: StoreDep) -> dict[str, bool]:
    """Resume a schedule: clears ``disabledAt``."""
    return _set_paused(store, schedule_id, paused=False)


@v1.delete(ONE)
def delete(schedule_id: str, store: StoreDep) -> dict[str, bool]:
    """Delete a schedule."""
    if not is_uuid(schedule_id):
        raise ApiError(400, "scheduleId: Invalid uuid")
    with store.tx() as tx:
        schedule = load(tx, schedule_id)
        tx.delete(SCHEDULE_KIND, schedule.id)
    return {"success": True}


@v1.api_route(ONE, methods=_others("DELETE"), include_in_schema=False)
def one_wrong_method(schedule_id: str) -> None:
    """The documented ``Invalid request method`` 400 (Omni has no get-by-id)."""
    raise ApiError(400, "Invalid request method")


def _set_paused(store: Store, schedule_id: str, *, paused: bool) -> dict[str, bool]:
    with store.tx() as tx:
        schedule = load(tx, schedule_id)
        if schedule.systemDisabledAt is not None:
            raise ApiError(400, "Schedule is system disabled")
        if paused and schedule.disabledAt is not None:
            raise ApiError(400, "Schedule is already paused")
        if not paused and schedule.disabledAt is None:
            raise ApiError(400, "Schedule is already resumed")
        schedule.disabledAt = now_iso() if paused else None
        save(tx, schedule)
    return {"success": True}


# The beta trigger is v1's, with errors in the beta API's shape (its router's route class).
unstable.add_api_route(
    UNSTABLE_TRIGGER,
    trigger,
    methods=["POST"],
    name="trigger_unstable",
    description="Trigger schedule (beta API): as v1, errors carry the SCIM ``schemas``.",
)
unstable.add_api_route(
    UNSTABLE_TRIGGER,
    trigger_wrong_method,
    methods=_others("POST"),
    include_in_schema=False,
    name="trigger_unstable_wrong_method",
)

router = APIRouter()
router.include_router(v1)
router.include_router(unstable)
