"""Omni's schedule actions' error answers: every documented error row, and the cases beyond the docs."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.omni import (
    BLOB_ROSS,
    HEADERS,
    MISSING,
    NOBODY,
    ORDERS,
    ORDERS_2,
    SLACK,
    UNSTABLE,
    V1,
    WEB_TRAFFIC,
)

# Strict mode (the default): a documented error row is answered as documented even when the
# request breaks the contract; the tests marked ``lenient`` are of the emulator's own answers to
# requests no documented row covers (strict mode refuses those with its "sandbox: ..." answer).

SCIM = ["urn:ietf:params:scim:api:messages:2.0:Error"]


def admin(client: TestClient, schedule_id: str) -> dict[str, Any]:
    response = client.get(f"/_sandbox/omni/schedules/{schedule_id}")
    assert response.status_code == 200
    return dict(response.json())


# --- every documented error row ---------------------------------------------------------


def _system_disable(client: TestClient, schedule_id: str) -> None:
    body = {"systemDisabledAt": "2025-01-01T00:00:00.000Z", "systemDisabledReason": "Too many failures"}
    assert client.patch(f"/_sandbox/omni/schedules/{schedule_id}", json=body).status_code == 200


NOT_FOUND = f"Scheduled task with id {MISSING} does not exist"
ADD = f"{V1}/{ORDERS}/add-recipients"
REMOVE = f"{V1}/{ORDERS}/remove-recipients"
MEMBERS = (
    "Invalid recipient(s): The following members do not exist or do not have access to this organization: "
)

ERROR_ROWS: list[tuple[str, str, str, dict[str, Any], int, str]] = [
    # Trigger schedule (v1)
    ("trigger uuid", "POST", f"{V1}/not-a-uuid/trigger", {}, 400, "Bad Request: scheduleId: Invalid uuid"),
    ("trigger method", "GET", f"{V1}/{ORDERS}/trigger", {}, 400, "Invalid method"),
    ("trigger method put", "PUT", f"{V1}/{ORDERS}/trigger", {}, 400, "Invalid method"),
    ("trigger not found", "POST", f"{V1}/{MISSING}/trigger", {}, 404, NOT_FOUND),
    # Add recipients
    ("add uuid", "PUT", ADD, {"json": {"userIds": ["42"]}}, 400, "userIds: Invalid uuid"),
    ("add email", "PUT", ADD, {"json": {"emails": ["not-an-email"]}}, 400, "emails: Invalid email address"),
    (
        "add empty body",
        "PUT",
        ADD,
        {},
        400,
        "Please provide either valid email addresses, valid user IDs, or both",
    ),
    (
        "add empty object",
        "PUT",
        ADD,
        {"json": {}},
        400,
        "Please provide either valid email addresses, valid user IDs, or both",
    ),
    (
        "add no recipients",
        "PUT",
        ADD,
        {"json": {"emails": None}},
        400,
        "At least one recipient must be provided",
    ),
    (
        "add empty emails",
        "PUT",
        ADD,
        {"json": {"emails": []}},
        400,
        "emails: Array must contain at least 1 element(s)",
    ),
    (
        "add empty userIds",
        "PUT",
        ADD,
        {"json": {"emails": ["a@b.co"], "userIds": []}},
        400,
        "userIds: Array must contain at least 1 element(s)",
    ),
    (
        "add members",
        "PUT",
        ADD,
        {"json": {"userIds": [NOBODY, BLOB_ROSS, MISSING]}},
        400,
        MEMBERS + f"{NOBODY}, {MISSING}",
    ),
    (
        "add webhook",
        "PUT",
        f"{V1}/{ORDERS_2}/add-recipients",
        {"json": {"emails": ["a@b.co"]}},
        400,
        "Cannot add recipients to destination type webhook",
    ),
    (
        "add slack",
        "PUT",
        f"{V1}/{SLACK}/add-recipients",
        {"json": {"emails": ["a@b.co"]}},
        400,
        "Cannot add recipients to destination type slack",
    ),
    (
        "add not found",
        "PUT",
        f"{V1}/{MISSING}/add-recipients",
        {"json": {"emails": ["a@b.co"]}},
        404,
        NOT_FOUND,
    ),
    # Remove recipients
    ("remove uuid", "PUT", REMOVE, {"json": {"userIds": ["42"]}}, 400, "Bad Request: userIds: Invalid uuid"),
    (
        "remove email",
        "PUT",
        REMOVE,
        {"json": {"emails": ["a@b"]}},
        400,
        "Bad Request: emails: Invalid email address",
    ),
    (
        "remove empty body",
        "PUT",
        REMOVE,
        {},
        400,
        "Please provide either valid email addresses, valid user IDs, or both",
    ),
    (
        "remove no recipients",
        "PUT",
        REMOVE,
        {"json": {"note": "x"}},
        400,
        "At least one recipient must be provided",
    ),
    (
        "remove empty userIds",
        "PUT",
        REMOVE,
        {"json": {"userIds": []}},
        400,
        "userIds: Array must contain at least 1 element(s)",
    ),
    ("remove members", "PUT", REMOVE, {"json": {"userIds": [NOBODY]}}, 400, MEMBERS + NOBODY),
    (
        "remove webhook",
        "PUT",
        f"{V1}/{ORDERS_2}/remove-recipients",
        {"json": {"emails": ["a@b.co"]}},
        400,
        "Cannot change recipients on a scheduled task destination of type webhook",
    ),
    (
        "remove not found",
        "PUT",
        f"{V1}/{MISSING}/remove-recipients",
        {"json": {"emails": ["a@b.co"]}},
        404,
        NOT_FOUND,
    ),
    # Pause / resume
    ("pause already", "PUT", f"{V1}/{WEB_TRAFFIC}/pause", {}, 400, "Schedule is already paused"),
    ("pause not found", "PUT", f"{V1}/{MISSING}/pause", {}, 404, NOT_FOUND),
    ("resume already", "PUT", f"{V1}/{ORDERS}/resume", {}, 400, "Schedule is already resumed"),
    ("resume not found", "PUT", f"{V1}/{MISSING}/resume", {}, 404, NOT_FOUND),
    # Delete
    ("delete uuid", "DELETE", f"{V1}/61a8e93b", {}, 400, "scheduleId: Invalid uuid"),
    ("delete method get", "GET", f"{V1}/{ORDERS}", {}, 400, "Invalid request method"),
    ("delete method put", "PUT", f"{V1}/{ORDERS}", {"json": {}}, 400, "Invalid request method"),
    (
        "delete not found",
        "DELETE",
        f"{V1}/{MISSING}",
        {},
        404,
        f"Scheduled task with id {MISSING} does not exist",
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "detail"),
    [r[1:] for r in ERROR_ROWS],
    ids=[r[0] for r in ERROR_ROWS],
)
def test_documented_error_rows(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int, detail: str
) -> None:
    before = admin(client, ORDERS)
    response = client.request(method, path, headers=HEADERS, **kwargs)
    assert (response.status_code, response.json()) == (status, {"detail": detail, "status": status})
    assert admin(client, ORDERS) == before


UNSTABLE_ROWS = [
    ("uuid", "POST", f"{UNSTABLE}/123/trigger", 400, "Bad Request: scheduleId: Invalid uuid"),
    ("method", "DELETE", f"{UNSTABLE}/{ORDERS}/trigger", 400, "Invalid method"),
    ("not found", "POST", f"{UNSTABLE}/{MISSING}/trigger", 404, NOT_FOUND),
    ("auth", "POST", f"{UNSTABLE}/{ORDERS}/trigger", 401, "Unauthorized: Missing or invalid API key"),
]


@pytest.mark.parametrize(
    ("method", "path", "status", "detail"), [r[1:] for r in UNSTABLE_ROWS], ids=[r[0] for r in UNSTABLE_ROWS]
)
def test_unstable_trigger_errors_carry_scim_schemas(
    client: TestClient, method: str, path: str, status: int, detail: str
) -> None:
    headers = {} if status == 401 else HEADERS
    response = client.request(method, path, headers=headers)
    assert (response.status_code, response.json()) == (
        status,
        {"detail": detail, "schemas": SCIM, "status": status},
    )


@pytest.mark.parametrize("action", ["pause", "resume"])
def test_system_disabled_schedules_cannot_be_paused_or_resumed(client: TestClient, action: str) -> None:
    _system_disable(client, ORDERS)
    _system_disable(client, WEB_TRAFFIC)
    for schedule_id in (ORDERS, WEB_TRAFFIC):  # one running, one paused
        response = client.put(f"{V1}/{schedule_id}/{action}", headers=HEADERS)
        assert (response.status_code, response.json()) == (
            400,
            {"detail": "Schedule is system disabled", "status": 400},
        )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", f"{V1}/{ORDERS}/trigger"),
        ("PUT", ADD),
        ("PUT", REMOVE),
        ("PUT", f"{V1}/{ORDERS}/pause"),
        ("PUT", f"{V1}/{ORDERS}/resume"),
        ("DELETE", f"{V1}/{ORDERS}"),
        ("GET", f"{V1}/{ORDERS}"),
    ],
)
def test_every_call_needs_the_bearer_token(client: TestClient, method: str, path: str) -> None:
    response = client.request(
        method, path, headers={"Authorization": "Bearer nope"}, json={"emails": ["a@b.co"]}
    )
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "Unauthorized: Missing or invalid API key", "status": 401},
    )


# --- decisions beyond the docs ----------------------------------------------------------

UNDOCUMENTED = [
    (
        "add uuid-less id is not found",
        "PUT",
        f"{V1}/abc/add-recipients",
        {"json": {"emails": ["a@b.co"]}},
        404,
        "Scheduled task with id abc does not exist",
    ),
    (
        "pause uuid-less id is not found",
        "PUT",
        f"{V1}/abc/pause",
        {},
        404,
        "Scheduled task with id abc does not exist",
    ),
    (
        "add emails not an array",
        "PUT",
        ADD,
        {"json": {"emails": "a@b.co"}},
        400,
        "emails: Expected array, received string",
    ),
    (
        "remove userIds not an array",
        "PUT",
        REMOVE,
        {"json": {"userIds": 5}},
        400,
        "Bad Request: userIds: Expected array, received number",
    ),
    (
        "add body not JSON",
        "PUT",
        ADD,
        {"content": b"{oops", "headers": {**HEADERS, "content-type": "application/json"}},
        400,
        "Please provide either valid email addresses, valid user IDs, or both",
    ),
    (
        "add body checked before the schedule",
        "PUT",
        f"{V1}/{MISSING}/add-recipients",
        {"json": {"emails": ["x"]}},
        400,
        "emails: Invalid email address",
    ),
    ("other methods elsewhere are 405", "POST", f"{V1}/{ORDERS}/pause", {}, 405, "Method Not Allowed"),
]


@pytest.mark.lenient  # no documented row: the emulator's own answer
@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "detail"),
    [r[1:] for r in UNDOCUMENTED],
    ids=[r[0] for r in UNDOCUMENTED],
)
def test_undocumented_cases(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int, detail: str
) -> None:
    kwargs = {"headers": HEADERS, **kwargs}
    response = client.request(method, path, **kwargs)
    assert (response.status_code, response.json()) == (status, {"detail": detail, "status": status})
