"""Omni's schedule requests as ../shared/api-docs/omni-schedules-*.txt document them.

The supplied list doc's parameter table did not load ("Loading parameters..."); its error rows
name ``pageSize`` (at most 100), ``ownerId`` (a uuid) and the page-number ``cursor``. The other
list parameters come from Omni's published API reference (docs/api-assumptions.md); each is
checked for its documented values. Recipient bodies take ``emails`` and ``userIds``, each a
non-empty list; the other actions take no body.
"""

from __future__ import annotations

from sandbox.contract.request import RequestView
from sandbox.contract.routes import Operation, Schema, check_request, query_schema

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

OPERATIONS = [
    Operation("List schedules", "GET", "/api/v1/schedules", query=LIST_QUERY),
    Operation("Trigger schedule", "POST", ONE + "/trigger"),
    Operation("Trigger schedule (unstable)", "POST", "/api/unstable/schedules/{schedule_id}/trigger"),
    Operation(
        "Add recipients to schedule", "PUT", ONE + "/add-recipients", body=RECIPIENTS, body_required=True
    ),
    Operation(
        "Remove recipients from schedule",
        "PUT",
        ONE + "/remove-recipients",
        body=RECIPIENTS,
        body_required=True,
    ),
    Operation("Pause a schedule", "PUT", ONE + "/pause"),
    Operation("Resume a schedule", "PUT", ONE + "/resume"),
    Operation("Delete a schedule", "DELETE", ONE),
]


def check(request: RequestView) -> None:
    """Raise ContractViolation unless the request is one the Omni docs describe."""
    check_request(OPERATIONS, request)
