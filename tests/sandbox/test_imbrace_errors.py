"""The iMBRACE emulator's error answers: every documented error row, and the rules beyond the docs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.imbrace import BASE, CREATE_BODY, HEADERS, ORG, SEEDED, USER

# Strict mode (the default): a documented error row is answered as documented even when the
# request breaks the contract; the tests marked ``lenient`` are of the emulator's own answers to
# requests no documented row covers (strict mode refuses those with its "sandbox: ..." answer).

MISSING = "670f990290e5ee13019669f4"


def future(days: int = 3) -> str:
    moment = datetime.now(UTC) + timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def create(client: TestClient, **changes: Any) -> dict[str, Any]:
    response = client.post(BASE, headers=HEADERS, json={**CREATE_BODY, **changes})
    assert response.status_code == 201, response.text
    return dict(response.json())


# --- every documented error row ----------------------------------------------------

ERROR_ROWS = [
    # 1. Get User Schedulers by Event Type
    (
        "list blank org",
        "GET",
        "/imbrace/3rd/organization//users/u_sandbox/schedulers",
        {},
        400,
        "organization_id is required",
    ),
    (
        "list blank user",
        "GET",
        f"/imbrace/3rd/organization/{ORG}/users//schedulers",
        {},
        400,
        "user_id is required",
    ),
    ("list bad token", "GET", BASE, {"headers": {"x-access-token": "nope"}}, 401, "Unauthorized"),
    (
        "list unknown user",
        "GET",
        f"/imbrace/3rd/organization/{ORG}/users/u_other/schedulers",
        {},
        404,
        "User not found",
    ),
    # 2. Get Scheduler File
    ("file blank scheduler", "GET", f"{BASE}//files/ab014eec", {}, 400, "scheduler_id is required"),
    ("file blank file", "GET", f"{BASE}/{SEEDED}/files/", {}, 400, "file_id is required"),
    ("file bad token", "GET", f"{BASE}/{SEEDED}/files/x", {"headers": {}}, 401, "Unauthorized"),
    (
        "file unknown scheduler",
        "GET",
        f"{BASE}/{MISSING}/files/ab014eec",
        {},
        404,
        f"Scheduler with id {MISSING} not found in the organization {ORG}",
    ),
    (
        "file unknown file",
        "GET",
        f"{BASE}/{SEEDED}/files/ab014eec-3b7f-4e67-8164-27ca344b6556",
        {},
        404,
        "File not found",
    ),
    # 3. Get Scheduler by ID
    ("get blank id", "GET", f"{BASE}/", {}, 400, "scheduler_id is required"),
    ("get bad token", "GET", f"{BASE}/{SEEDED}", {"headers": {"x-access-token": ""}}, 401, "Unauthorized"),
    ("get unknown id", "GET", f"{BASE}/{MISSING}", {}, 404, "Scheduler not found"),
    # 4. Create Scheduler
    ("create no name", "POST", BASE, {"json": {**CREATE_BODY, "name": None}}, 400, "name is required"),
    (
        "create blank event_type",
        "POST",
        BASE,
        {"json": {**CREATE_BODY, "event_type": " "}},
        400,
        "event_type is required",
    ),
    (
        "create no job",
        "POST",
        BASE,
        {"json": {k: v for k, v in CREATE_BODY.items() if k != "job"}},
        400,
        "job is required",
    ),
    ("create bad token", "POST", BASE, {"headers": {}, "json": CREATE_BODY}, 401, "Unauthorized"),
    (
        "create unknown user",
        "POST",
        f"/imbrace/3rd/organization/{ORG}/users/u_x/schedulers",
        {"json": CREATE_BODY},
        404,
        "User not found",
    ),
    # 5. Create Scheduler with Files
    (
        "create files no payload",
        "POST",
        f"{BASE}/files",
        {"files": [("files", ("a.txt", b"a", "text/plain"))]},
        400,
        "payload is required",
    ),
    (
        "create files bad JSON",
        "POST",
        f"{BASE}/files",
        {"data": {"payload": "{not json"}},
        400,
        "Invalid JSON in payload",
    ),
    (
        "create files bad token",
        "POST",
        f"{BASE}/files",
        {"headers": {}, "data": {"payload": "{}"}},
        401,
        "Unauthorized",
    ),
    (
        "create files unknown user",
        "POST",
        f"/imbrace/3rd/organization/{ORG}/users/u_x/schedulers/files",
        {"data": {"payload": "{}"}},
        404,
        "User not found",
    ),
    # 6. Update Scheduler
    ("update blank id", "PUT", f"{BASE}/", {"json": CREATE_BODY}, 400, "scheduler_id is required"),
    (
        "update bad token",
        "PUT",
        f"{BASE}/{SEEDED}",
        {"headers": {}, "json": CREATE_BODY},
        401,
        "Unauthorized",
    ),
    ("update unknown id", "PUT", f"{BASE}/{MISSING}", {"json": CREATE_BODY}, 404, "Scheduler not found"),
    # 7. Update Scheduler with Files
    (
        "update files no id",
        "PUT",
        f"{BASE}/files",
        {"data": {"payload": "{}"}},
        400,
        "scheduler_id is required",
    ),
    (
        "update files blank id",
        "PUT",
        f"{BASE}/files/",
        {"data": {"payload": "{}"}},
        400,
        "scheduler_id is required",
    ),
    (
        "update files no payload",
        "PUT",
        f"{BASE}/files/{SEEDED}",
        {"data": {"other": "x"}},
        400,
        "payload is required",
    ),
    (
        "update files bad token",
        "PUT",
        f"{BASE}/files/{SEEDED}",
        {"headers": {}, "data": {"payload": "{}"}},
        401,
        "Unauthorized",
    ),
    (
        "update files unknown id",
        "PUT",
        f"{BASE}/files/{MISSING}",
        {"data": {"payload": "{}"}},
        404,
        "Scheduler not found",
    ),
    # 8. Delete Scheduler
    ("delete blank id", "DELETE", f"{BASE}/", {}, 400, "scheduler_id is required"),
    (
        "delete bad token",
        "DELETE",
        f"{BASE}/{SEEDED}",
        {"headers": {"x-access-token": "x"}},
        401,
        "Unauthorized",
    ),
    ("delete unknown id", "DELETE", f"{BASE}/schedule_1", {}, 404, "Scheduler not found"),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "message"),
    [row[1:] for row in ERROR_ROWS],
    ids=[row[0] for row in ERROR_ROWS],
)
def test_documented_error_rows(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int, message: str
) -> None:
    kwargs = {"headers": HEADERS, **kwargs}
    response = client.request(method, path, **kwargs)
    assert (response.status_code, response.json()) == (status, {"message": message})


def test_failed_writes_change_nothing(client: TestClient) -> None:
    before = client.get(BASE, headers=HEADERS).json()
    client.post(BASE, headers=HEADERS, json={"name": "x"})
    client.put(f"{BASE}/{SEEDED}", headers=HEADERS, json={"name": "only a name"})
    assert client.get(BASE, headers=HEADERS).json() == before


# --- decisions beyond the docs -------------------------------------------------------


def test_identity_headers_must_match_the_path(client: TestClient) -> None:
    ok = client.get(f"{BASE}/{SEEDED}", headers={**HEADERS, "x-organization-id": ORG, "x-user-id": USER})
    assert ok.status_code == 200
    for header in ({"x-organization-id": "org_other"}, {"x-user-id": "u_other"}):
        response = client.get(f"{BASE}/{SEEDED}", headers={**HEADERS, **header})
        assert (response.status_code, response.json()) == (404, {"message": "User not found"})


def test_unknown_organisation_is_user_not_found(client: TestClient) -> None:
    response = client.get(f"/imbrace/3rd/organization/org_other/users/{USER}/schedulers", headers=HEADERS)
    assert (response.status_code, response.json()) == (404, {"message": "User not found"})


def test_auth_is_checked_before_blank_segments(client: TestClient) -> None:
    response = client.get("/imbrace/3rd/organization//users/u/schedulers")
    assert (response.status_code, response.json()) == (401, {"message": "Unauthorized"})


SDK_RULES = [
    ({"type": "weekly"}, "type must be one of recurring, non_recurring"),
    (
        {"trigger_frequency_unit": "hours"},
        "trigger_frequency_unit must be one of minutes, days, weeks, months, years",
    ),
    ({"trigger_frequency_unit": None}, "trigger_frequency_unit is required for a recurring scheduler"),
    ({"trigger_frequency_value": None}, "trigger_frequency_value is required for a recurring scheduler"),
    ({"trigger_frequency_value": 0}, "trigger_frequency_value must be a positive integer"),
    ({"trigger_frequency_value": "1"}, "trigger_frequency_value must be a positive integer"),
    ({"start_datetime": "tomorrow"}, "start_datetime must be a valid date"),
    ({"trigger_time": "16:00"}, "trigger_time must be a valid date"),
    (
        {"type": "non_recurring", "start_datetime": None},
        "start_datetime is required for a non_recurring scheduler",
    ),
    (
        {"type": "non_recurring", "start_datetime": "2024-10-16T14:45:15.463Z"},
        "start_datetime must be in the future",
    ),
    ({"is_paused": "no"}, "is_paused must be a boolean"),
    ({"description": 5}, "description must be a string"),
]


@pytest.mark.lenient  # no documented row: the emulator's own answer
@pytest.mark.parametrize(("changes", "message"), SDK_RULES)
def test_sdk_rules_not_in_the_docs(client: TestClient, changes: dict[str, Any], message: str) -> None:
    response = client.post(BASE, headers=HEADERS, json={**CREATE_BODY, **changes})
    assert (response.status_code, response.json()) == (400, {"message": message})


def test_every_documented_frequency_unit_is_accepted(client: TestClient) -> None:
    for unit in ("minutes", "days", "weeks", "months", "years"):
        assert create(client, trigger_frequency_unit=unit)["trigger_frequency_unit"] == unit


@pytest.mark.lenient  # no documented row: the emulator's own answer
def test_one_time_scheduler_in_the_future(client: TestClient) -> None:
    start = future()
    body = create(
        client,
        type="non_recurring",
        one_time_schedule_type="exact",
        start_datetime=start,
        trigger_frequency_unit=None,
        trigger_frequency_value=None,
    )
    assert body["one_time_schedule_type"] == "exact" and body["start_datetime"] == start
    assert body["trigger_frequency_unit"] is None


def test_update_may_resend_a_past_start_but_not_move_to_one(client: TestClient) -> None:
    created = create(client)  # recurring, start 2024-09-11 (past)
    resend = {**CREATE_BODY, "type": "non_recurring"}
    response = client.put(f"{BASE}/{created['_id']}", headers=HEADERS, json=resend)
    assert response.status_code == 200, response.text
    moved = {**resend, "start_datetime": "2024-01-01T00:00:00.000Z"}
    response = client.put(f"{BASE}/{created['_id']}", headers=HEADERS, json=moved)
    assert response.json() == {"message": "start_datetime must be in the future"}


def test_recurring_without_start_starts_now(client: TestClient) -> None:
    body = {k: v for k, v in CREATE_BODY.items() if k != "start_datetime"}
    created = client.post(BASE, headers=HEADERS, json=body).json()
    assert created["start_datetime"] == created["created_at"]


@pytest.mark.lenient  # no documented row: the emulator's own answer
def test_body_that_is_not_json(client: TestClient) -> None:
    response = client.post(BASE, headers={**HEADERS, "content-type": "application/json"}, content=b"{nope")
    assert (response.status_code, response.json()) == (400, {"message": "Invalid JSON in body"})
    response = client.post(BASE, headers=HEADERS)
    assert (response.status_code, response.json()) == (400, {"message": "name is required"})


@pytest.mark.lenient  # no documented row: the emulator's own answer
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "0"}, "limit must be a positive integer"),
        ({"limit": "ten"}, "limit must be a positive integer"),
        ({"skip": "-1"}, "skip must be a non-negative integer"),
    ],
)
def test_list_paging_parameters_are_checked(client: TestClient, params: dict[str, str], message: str) -> None:
    response = client.get(BASE, headers=HEADERS, params=params)
    assert (response.status_code, response.json()) == (400, {"message": message})


@pytest.mark.lenient  # no documented row: the emulator's own answer
def test_unknown_path_is_a_404_in_the_api_shape(client: TestClient) -> None:
    response = client.patch(f"{BASE}/{SEEDED}", headers=HEADERS, json={})
    assert (response.status_code, response.json()) == (404, {"message": "Not Found"})
