"""iMBRACE's scheduler requests as ../shared/api-docs/imbrace-schedulers.txt documents them.

Body fields are the ones the docs' request samples and field lists show; ``trigger_day_of_week``
and ``trigger_day_of_month`` are not in the docs but in the official ``imbrace`` SDK (NOTES.md),
so they are allowed, typed as the SDK sends them. No field may be ``null``: the docs never send
one. ``job`` is open: the docs show two kinds (kafka: ``topic``/``data``/``workflow_id``;
webhook: ``data``/``method``/``url``) and their answers add ``files`` and ``scheduler_id``.
Each operation carries the error rows its section lists (verbatim), which strict mode lets the
emulator answer.
"""

from __future__ import annotations

from sandbox.contract.request import RequestView
from sandbox.contract.routes import ErrorRow, Operation, Schema, answered_by_rows, check_request, query_schema

BASE = "/3rd/organization/{organization_id}/users/{user_id}/schedulers"
_STRING: Schema = {"type": "string"}
_DATE: Schema = {"type": "string", "minLength": 1}

JOB: Schema = {
    "type": "object",
    "required": ["type"],
    "properties": {
        "type": _STRING,
        "topic": _STRING,
        "data": {"type": "object"},
        "workflow_id": _STRING,
        "method": _STRING,
        "url": _STRING,
        "files": {"type": "array", "items": {"type": "object"}},
        "scheduler_id": _STRING,
    },
}

SCHEDULER: Schema = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "type": {"enum": ["recurring", "non_recurring"]},
        "name": _STRING,
        "event_type": _STRING,
        "channel_source": _STRING,
        "description": _STRING,
        "job": JOB,
        "trigger_frequency_unit": {"enum": ["minutes", "days", "weeks", "months", "years"]},
        "trigger_frequency_value": {"type": "integer", "minimum": 1},
        "triger_month_and_day": _DATE,
        "trigger_time": _DATE,
        "trigger_day_of_week": {"type": "integer", "minimum": 0, "maximum": 6},
        "trigger_day_of_month": {"type": "integer", "minimum": 1, "maximum": 31},
        "start_datetime": _DATE,
        "one_time_schedule_type": _STRING,
        "is_paused": {"type": "boolean"},
    },
}

DELETE_BODY: Schema = {
    "type": "object",
    "additionalProperties": False,
    "properties": {k: _STRING for k in ("type", "schedule_id", "callback_url", "start_date", "start_time")},
}

_COUNT: Schema = {"type": "string", "pattern": "^[0-9]+$"}

UNAUTHORIZED = ErrorRow(401, "Unauthorized")
SCHEDULER_ID = ErrorRow(400, "scheduler_id is required")
USER_NOT_FOUND = ErrorRow(404, "User not found")
SCHEDULER_NOT_FOUND = ErrorRow(404, "Scheduler not found")
PAYLOAD_REQUIRED = ErrorRow(400, "payload is required")

OPERATIONS = [
    Operation(
        "Get User Schedulers by Event Type",
        "GET",
        BASE,
        query=query_schema({"event_type": _STRING, "limit": _COUNT, "skip": _COUNT}),
        errors=(
            ErrorRow(400, "organization_id is required"),
            ErrorRow(400, "user_id is required"),
            UNAUTHORIZED,
            USER_NOT_FOUND,
        ),
    ),
    Operation(
        "Create Scheduler with Files",
        "POST",
        BASE + "/files",
        payload=SCHEDULER,
        errors=(PAYLOAD_REQUIRED, ErrorRow(400, "Invalid JSON in payload"), UNAUTHORIZED, USER_NOT_FOUND),
    ),
    Operation(
        "Update Scheduler with Files",
        "PUT",
        BASE + "/files/{scheduler_id}",
        payload=SCHEDULER,
        errors=(SCHEDULER_ID, PAYLOAD_REQUIRED, UNAUTHORIZED, SCHEDULER_NOT_FOUND),
    ),
    Operation(
        "Get Scheduler File",
        "GET",
        BASE + "/{scheduler_id}/files/{file_id}",
        errors=(
            SCHEDULER_ID,
            ErrorRow(400, "file_id is required"),
            UNAUTHORIZED,
            ErrorRow(404, "Scheduler with id {scheduler_id} not found in the organization {organization_id}"),
            ErrorRow(404, "File not found"),
        ),
    ),
    Operation(
        "Get Scheduler by ID",
        "GET",
        BASE + "/{scheduler_id}",
        errors=(SCHEDULER_ID, UNAUTHORIZED, SCHEDULER_NOT_FOUND),
    ),
    Operation(
        "Create Scheduler",
        "POST",
        BASE,
        body=SCHEDULER,
        body_required=True,
        errors=(
            ErrorRow(400, "name is required"),
            ErrorRow(400, "event_type is required"),
            ErrorRow(400, "job is required"),
            UNAUTHORIZED,
            USER_NOT_FOUND,
        ),
    ),
    Operation(
        "Update Scheduler",
        "PUT",
        BASE + "/{scheduler_id}",
        body=SCHEDULER,
        body_required=True,
        errors=(SCHEDULER_ID, UNAUTHORIZED, SCHEDULER_NOT_FOUND),
    ),
    Operation(
        "Delete Scheduler",
        "DELETE",
        BASE + "/{scheduler_id}",
        body=DELETE_BODY,
        errors=(SCHEDULER_ID, UNAUTHORIZED, SCHEDULER_NOT_FOUND),
    ),
]


FILE_STORAGE = "/files/"
"""Where the sandbox serves uploaded files' ``file_url`` s (S3 in the docs, not an API endpoint)."""


def check(request: RequestView) -> None:
    """Raise ContractViolation unless the request is one the iMBRACE docs describe."""
    if request.raw_path.startswith(FILE_STORAGE):
        return
    check_request(OPERATIONS, request)


documented = answered_by_rows(OPERATIONS, (), "message")
"""The emulator's answer to a refused request when it is a documented error row (``message``)."""
