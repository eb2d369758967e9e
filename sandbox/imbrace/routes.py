"""The eight documented scheduler calls of the iMBRACE third-party gateway.

Decisions where the docs are silent (each marked "not in the docs" where it answers
something the docs do not show):

- ids are 24-hex ObjectIds; an id of any other shape is simply not found (404), as the
  docs' own delete example with ``schedule_1`` suggests, rather than a cast error;
- a blank path segment answers the documented ``… is required`` 400: ``…/schedulers/``
  (empty id) for get/update/delete, ``…/schedulers//files/<file>`` and
  ``…/files/`` for the file call, ``PUT …/schedulers/files[/]`` for the multipart update;
- the list keeps insertion order (oldest first); ``limit`` must be a positive and
  ``skip`` a non-negative integer, else 400 (not in the docs);
- a JSON body that does not parse answers 400 ``Invalid JSON in body`` (not in the docs);
- an update replaces the scheduler (reference NOTES) but keeps its ``created_*`` fields
  and ``is_finished``; files uploaded earlier stay in ``job.files`` unless the new job
  lists its own ``files`` or the multipart update uploads new ones, which replace them;
- the delete body is optional and ignored; the answer names the path's id.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from sandbox.common import ApiError, read_json, to_iso
from sandbox.context import Credentials, SandboxContext
from sandbox.deps import Ctx
from sandbox.imbrace.errors import CallerDep, ImbraceRoute, check_access, check_token
from sandbox.imbrace.files import delete_files, get_file, read_multipart, store_uploads
from sandbox.imbrace.models import SCHEDULER_KIND, Scheduler, SchedulerPage
from sandbox.imbrace.validation import scheduler_fields
from sandbox.store import Tx

BASE = "/3rd/organization/{organization_id}/users/{user_id}/schedulers"
_OBJECT_ID = re.compile(r"^[0-9a-fA-F]{24}$")
# ObjectId layout: 4-byte seconds, 5 random bytes per process, 3-byte counter.
_PROCESS_BYTES = os.urandom(5).hex()
_COUNTER = itertools.count(int.from_bytes(os.urandom(3), "big"))


def new_object_id() -> str:
    """A fresh MongoDB-style ObjectId (24 hex digits, increasing with time)."""
    return f"{int(time.time()):08x}{_PROCESS_BYTES}{next(_COUNTER) % 0x1000000:06x}"


def _key(scheduler_id: str) -> str:
    return scheduler_id.lower() if _OBJECT_ID.match(scheduler_id) else scheduler_id


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _load(tx: Tx, scheduler_id: str, organization_id: str) -> Scheduler | None:
    doc = tx.get(SCHEDULER_KIND, _key(scheduler_id))
    if doc is None or doc["organization_id"] != organization_id:
        return None
    return Scheduler.model_validate(doc)


def _found(tx: Tx, scheduler_id: str, organization_id: str) -> Scheduler:
    scheduler = _load(tx, scheduler_id, organization_id)
    if scheduler is None:
        raise ApiError(404, "Scheduler not found")
    return scheduler


async def _json_body(request: Request) -> Any:
    # Not in the docs: a body that does not parse.
    body = await read_json(request)
    if not body.valid:
        raise ApiError(400, "Invalid JSON in body")
    return body.value


def _shown(request: Request, ctx: SandboxContext, record: Scheduler) -> dict[str, Any]:
    return record.to_api(_base_url(request), ctx.documented_answers_only)


def _require_id(scheduler_id: str) -> None:
    if not scheduler_id.strip():
        raise ApiError(400, "scheduler_id is required")


def _parse_count(raw: str | None, name: str, default: int, minimum: int) -> int:
    # Not in the docs: the docs give the defaults only, so anything else is a 400.
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ApiError(400, f"{name} must be {'a positive' if minimum else 'a non-negative'} integer")
    return value


def _event_type_matches(wanted: str | None) -> Any:
    if not wanted:
        return lambda _: True
    if wanted.startswith("contains:"):
        options = {part.strip() for part in wanted[len("contains:") :].split(",") if part.strip()}
        return lambda event_type: event_type in options
    return lambda event_type: event_type == wanted


def _save(
    tx: Tx,
    scheduler_id: str,
    fields: dict[str, Any],
    organization_id: str,
    user_id: str,
    now: datetime,
    previous: Scheduler | None,
) -> Scheduler:
    stamp = to_iso(now)
    record = Scheduler.model_validate(
        {
            "_id": scheduler_id,
            **fields,
            "organization_id": organization_id,
            "is_finished": previous.is_finished if previous else False,
            "created_by": previous.created_by if previous else user_id,
            "updated_by": user_id,
            "created_at": previous.created_at if previous else stamp,
            "updated_at": stamp,
        }
    )
    tx.put(SCHEDULER_KIND, scheduler_id, record.to_doc())
    return record


def _keep_uploaded_files(job: dict[str, Any], previous: Scheduler) -> None:
    if "files" not in job and "files" in previous.job:
        job["files"] = previous.job["files"]


# The gateway's scheduler routes; the public file URLs are sandbox.imbrace.files.router.
router = APIRouter(route_class=ImbraceRoute)


@router.get(BASE)
def list_schedulers(request: Request, ctx: Ctx, caller: CallerDep) -> SchedulerPage:
    """1. Get User Schedulers by Event Type (``event_type`` exact or ``contains:a,b``)."""
    query = request.query_params
    limit = _parse_count(query.get("limit"), "limit", 10, 1)
    skip = _parse_count(query.get("skip"), "skip", 0, 0)
    matches = _event_type_matches(query.get("event_type"))
    with ctx.store.tx() as tx:
        docs = [
            d
            for d in tx.list(SCHEDULER_KIND)
            if d["organization_id"] == caller.organization_id and matches(d["event_type"])
        ]
    page = docs[skip : skip + limit]
    base = _base_url(request)
    return SchedulerPage(
        data=[Scheduler.model_validate(d).to_api(base, ctx.documented_answers_only) for d in page],
        count=len(page),
        total=len(docs),
        has_more=skip + len(page) < len(docs),
    )


@router.post(BASE + "/files")
async def create_with_files(request: Request, ctx: Ctx, caller: CallerDep) -> Response:
    """5. Create Scheduler with Files (multipart ``payload`` + ``files``)."""
    payload, uploads = await read_multipart(request)
    now = datetime.now(UTC)
    fields = scheduler_fields(payload, now=now)
    scheduler_id = new_object_id()
    with ctx.store.tx() as tx:
        stored = store_uploads(tx, uploads, scheduler_id, caller.organization_id, now)
        fields["job"]["files"] = [f.job_entry().model_dump() for f in stored]
        fields["job"]["scheduler_id"] = scheduler_id
        record = _save(tx, scheduler_id, fields, caller.organization_id, caller.user_id, now, None)
    return JSONResponse(_shown(request, ctx, record), status_code=201)


@router.put(BASE + "/files/{scheduler_id}")
async def update_with_files(
    request: Request, ctx: Ctx, caller: CallerDep, scheduler_id: str
) -> dict[str, Any]:
    """7. Update Scheduler with Files: new ``files`` replace the scheduler's old ones."""
    _require_id(scheduler_id)
    payload, uploads = await read_multipart(request)
    now = datetime.now(UTC)
    with ctx.store.tx() as tx:
        previous = _found(tx, scheduler_id, caller.organization_id)
        fields = scheduler_fields(payload, now=now, previous_start=previous.start_datetime)
        if uploads:
            delete_files(tx, previous.id)
            stored = store_uploads(tx, uploads, previous.id, caller.organization_id, now)
            fields["job"]["files"] = [f.job_entry().model_dump() for f in stored]
        else:
            _keep_uploaded_files(fields["job"], previous)
        record = _save(tx, previous.id, fields, caller.organization_id, caller.user_id, now, previous)
    return _shown(request, ctx, record)


@router.post(BASE)
async def create(request: Request, ctx: Ctx, caller: CallerDep) -> Response:
    """4. Create Scheduler (JSON body), 201 with the stored scheduler."""
    body = await _json_body(request)
    now = datetime.now(UTC)
    fields = scheduler_fields(body, now=now)
    with ctx.store.tx() as tx:
        record = _save(tx, new_object_id(), fields, caller.organization_id, caller.user_id, now, None)
    return JSONResponse(_shown(request, ctx, record), status_code=201)


@router.get(BASE + "/{scheduler_id}/files/{file_id}")
def get_scheduler_file(
    request: Request, ctx: Ctx, caller: CallerDep, scheduler_id: str, file_id: str
) -> dict[str, Any]:
    """2. Get Scheduler File: where a file attached to a scheduler can be downloaded."""
    _require_id(scheduler_id)
    if not file_id.strip():
        raise ApiError(400, "file_id is required")
    with ctx.store.tx() as tx:
        scheduler = _load(tx, scheduler_id, caller.organization_id)
        if scheduler is None:
            raise ApiError(
                404,
                f"Scheduler with id {scheduler_id} not found in the organization {caller.organization_id}",
            )
        stored = get_file(tx, scheduler.id, file_id)
    if stored is None:
        raise ApiError(404, "File not found")
    return stored.info(_base_url(request)).model_dump()


@router.get(BASE + "/{scheduler_id}")
def get_scheduler(request: Request, ctx: Ctx, caller: CallerDep, scheduler_id: str) -> dict[str, Any]:
    """3. Get Scheduler by ID."""
    _require_id(scheduler_id)
    with ctx.store.tx() as tx:
        scheduler = _found(tx, scheduler_id, caller.organization_id)
    return _shown(request, ctx, scheduler)


@router.put(BASE + "/{scheduler_id}")
async def update(request: Request, ctx: Ctx, caller: CallerDep, scheduler_id: str) -> dict[str, Any]:
    """6. Update Scheduler: the body replaces the scheduler's fields."""
    # `PUT …/schedulers/files` is the multipart update without its id.
    if scheduler_id == "files":
        raise ApiError(400, "scheduler_id is required")
    _require_id(scheduler_id)
    body = await _json_body(request)
    now = datetime.now(UTC)
    with ctx.store.tx() as tx:
        previous = _found(tx, scheduler_id, caller.organization_id)
        fields = scheduler_fields(body, now=now, previous_start=previous.start_datetime)
        _keep_uploaded_files(fields["job"], previous)
        record = _save(tx, previous.id, fields, caller.organization_id, caller.user_id, now, previous)
    return _shown(request, ctx, record)


@router.delete(BASE + "/{scheduler_id}")
async def delete(request: Request, ctx: Ctx, caller: CallerDep, scheduler_id: str) -> dict[str, str]:
    """8. Delete Scheduler (its optional body is read and ignored)."""
    _require_id(scheduler_id)
    await read_json(request)
    with ctx.store.tx() as tx:
        scheduler = _found(tx, scheduler_id, caller.organization_id)
        tx.delete(SCHEDULER_KIND, scheduler.id)
        delete_files(tx, scheduler.id)
    return {"message": f"schedule {scheduler_id} is deleted successfully"}


@router.api_route(
    "/3rd/organization/{rest:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
def blank_segments(request: Request, ctx: Ctx, rest: str) -> Response:
    """Requests no route matched, most often for an empty path segment: the ``… is required`` 400s."""
    _answer_blank_segment(request, ctx.credentials, rest)
    raise ApiError(404, "Not Found")


def _answer_blank_segment(request: Request, creds: Credentials, rest: str) -> None:
    parts = rest.split("/")
    if len(parts) < 4 or parts[1] != "users" or parts[3] != "schedulers":
        check_token(request, creds)
        return
    check_access(request, creds, parts[0], parts[2])
    tail, method = parts[4:], request.method
    if method in ("GET", "PUT", "DELETE") and tail == [""]:
        raise ApiError(400, "scheduler_id is required")
    if method == "PUT" and len(tail) == 2 and tail[0] == "files":
        _require_id(tail[1])
    if method == "GET" and len(tail) == 3 and tail[1] == "files":
        _require_id(tail[0])
        if not tail[2].strip():
            raise ApiError(400, "file_id is required")
