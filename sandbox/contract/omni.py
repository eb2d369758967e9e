"""Omni's schedule requests as ../shared/api-docs/omni-schedules-*.txt document them.

The supplied list doc's parameter table did not load ("Loading parameters..."); its error rows
name ``pageSize`` (at most 100), ``ownerId`` (a uuid) and the page-number ``cursor``. The other
list parameters come from Omni's published API reference (docs/api-assumptions.md); each is
checked for its documented values. Recipient bodies take ``emails`` and ``userIds``, each a
non-empty list; the other actions take no body. Each operation carries the error rows its doc
lists (verbatim; ``{x}`` / ``<x>`` stand for the text the row names), which strict mode lets the
emulator answer.
"""

from __future__ import annotations

from sandbox.contract.request import RequestView
from sandbox.contract.routes import ErrorRow, Operation, Schema, answered_by_rows, check_request, query_schema

_UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
ONE = "/api/v1/schedules/{schedule_id}"

LIST_QUERY: Schema = query_schema(
    {
        "pageSize": {"type": "string", "pattern": "^[0-9]+$"},
        "cursor": {"type": "string", "minLength": 1},
        "ownerId": {"type": "string", "pattern": _UUID},
        "q": {"type": "string"},
        "status": {"enum": ["success", "error", "canceled", "none"]},
        "destination": {"enum": ["email", "slack", "webhook", "sftp", "s3"]},
        "scheduleType": {"enum": ["alert", "schedule"]},
        "contentType": {"enum": ["dashboard", "single tile"]},
        "identifier": {"type": "string"},
        "embedEntity": {"type": "string"},
        "sortField": {"enum": ["scheduleName", "dashboardName", "ownerName", "lastRun", "lastRunStatus"]},
        "sortDirection": {"enum": ["asc", "desc"]},
    }
)
RECIPIENTS: Schema = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {
        "emails": {"type": "array", "minItems": 1, "items": {"type": "string", "format": "email"}},
        "userIds": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": _UUID}},
    },
}

NOT_FOUND = ErrorRow(404, "Scheduled task with id {scheduleId} does not exist")
TRIGGER_ERRORS = (
    ErrorRow(400, "Bad Request: scheduleId: Invalid uuid"),
    ErrorRow(400, "Invalid method"),
    NOT_FOUND,
    ErrorRow(500, "{dispatchError}"),  # "Various error messages related to dispatch failures"
)
_NO_RECIPIENTS = (
    ErrorRow(400, "Please provide either valid email addresses, valid user IDs, or both"),
    ErrorRow(400, "At least one recipient must be provided"),
    ErrorRow(400, "{parameter}: Array must contain at least 1 element(s)"),
    ErrorRow(
        400,
        "Invalid recipient(s): The following members do not exist or do not have access to this "
        "organization: {userId}",
    ),
    NOT_FOUND,
)
ADD_ERRORS = (
    ErrorRow(400, "userIds: Invalid uuid"),
    ErrorRow(400, "emails: Invalid email address"),
    *_NO_RECIPIENTS,
    ErrorRow(400, "Cannot add recipients to destination type {destinationType}"),
)
REMOVE_ERRORS = (
    ErrorRow(400, "Bad Request: userIds: Invalid uuid"),
    ErrorRow(400, "Bad Request: emails: Invalid email address"),
    *_NO_RECIPIENTS,
    ErrorRow(400, "Cannot change recipients on a scheduled task destination of type {destinationType}"),
)


def _pause_errors(already: str) -> tuple[ErrorRow, ...]:
    return (
        ErrorRow(400, "Schedule is system disabled"),
        ErrorRow(400, f"Schedule is already {already}"),
        NOT_FOUND,
    )


OPERATIONS = [
    Operation(
        "List schedules",
        "GET",
        "/api/v1/schedules",
        query=LIST_QUERY,
        errors=(
            ErrorRow(400, "Invalid enum value"),
            ErrorRow(400, "ownerId: Invalid uuid"),
            ErrorRow(400, "Page size cannot exceed 100"),
            ErrorRow(400, "Invalid page number. The last valid page is <number>."),
            ErrorRow(404, "User with id <id> does not exist"),
        ),
    ),
    Operation("Trigger schedule", "POST", ONE + "/trigger", errors=TRIGGER_ERRORS),
    Operation(
        "Trigger schedule (unstable)",
        "POST",
        "/api/unstable/schedules/{schedule_id}/trigger",
        errors=TRIGGER_ERRORS,
    ),
    Operation(
        "Add recipients to schedule",
        "PUT",
        ONE + "/add-recipients",
        body=RECIPIENTS,
        body_required=True,
        errors=ADD_ERRORS,
    ),
    Operation(
        "Remove recipients from schedule",
        "PUT",
        ONE + "/remove-recipients",
        body=RECIPIENTS,
        body_required=True,
        errors=REMOVE_ERRORS,
    ),
    Operation("Pause a schedule", "PUT", ONE + "/pause", errors=_pause_errors("paused")),
    Operation("Resume a schedule", "PUT", ONE + "/resume", errors=_pause_errors("resumed")),
    Operation(
        "Delete a schedule",
        "DELETE",
        ONE,
        errors=(
            ErrorRow(400, "scheduleId: Invalid uuid"),
            ErrorRow(400, "Invalid request method"),
            ErrorRow(404, "Scheduled task with id <scheduleId> does not exist"),
        ),
    ),
]

EVERY_CALL = (ErrorRow(401, "Unauthorized: Missing or invalid API key"),)
"""Every call's 401, as Omni's published OpenAPI words it (``ApiError401``)."""


def check(request: RequestView) -> None:
    """Raise ContractViolation unless the request is one the Omni docs describe."""
    check_request(OPERATIONS, request)


documented = answered_by_rows(OPERATIONS, EVERY_CALL, "detail")
"""The emulator's answer to a refused request when it is a documented error row (``detail``)."""
