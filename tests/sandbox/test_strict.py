"""Strict mode: requests the docs/OAS do not allow are refused before the emulator acts, and counted."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from sandbox.app import create_app
from tests.support.opsgenie_oas import KEY, OAS_WARNINGS, oas, rotation

pytestmark = OAS_WARNINGS
OMNI = {"Authorization": "Bearer sandbox-omni"}
IMBRACE = "/imbrace/3rd/organization/org_sandbox/users/u_sandbox/schedulers"
IMBRACE_HEADERS = {
    "x-access-token": "sandbox-imbrace",
    "x-organization-id": "org_sandbox",
    "x-user-id": "u_sandbox",
}
SCHEDULER = {
    "type": "recurring",
    "name": "strict",
    "event_type": "whatsapp",
    "job": {"type": "kafka", "topic": "T", "data": {}, "workflow_id": "1"},
    "trigger_frequency_unit": "days",
    "trigger_frequency_value": 1,
}


def violations(client: TestClient) -> dict[str, Any]:
    return dict(client.get("/_sandbox/stats").json()["violations"])


def schedule_with_rotation(client: TestClient) -> tuple[str, str]:
    created = client.post(
        "/opsgenie/v2/schedules", headers=KEY, json={"name": "S", "rotations": [rotation()]}
    )
    assert created.status_code == 201, created.text
    schedule_id = created.json()["data"]["id"]
    rotations = client.get(f"/opsgenie/v2/schedules/{schedule_id}/rotations", headers=KEY).json()["data"]
    return schedule_id, rotations[0]["id"]


def test_every_api_is_checked(client: TestClient) -> None:
    oas()  # the OAS is there (fails under CI=true when the shared material is missing)
    assert client.get("/_sandbox/stats").json()["strict"] == {"opsgenie": True, "imbrace": True, "omni": True}


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "where"),
    [
        ("GET", "/opsgenie/v2/schedules?limit=5", {}, "query limit"),
        ("GET", "/opsgenie/v2/schedules/{s}?identifierType=slug", {}, "query identifierType"),
        ("DELETE", "/opsgenie/v2/schedules/{s}", {"json": {"name": "S"}}, "body"),
        ("GET", "/opsgenie/v2/teams", {}, "GET /v2/teams"),
        ("PUT", "/opsgenie/v2/schedules/{s}", {"json": {"name": "S"}}, "PUT /v2/schedules/"),
    ],
    ids=["unknown-query", "bad-enum-query", "body-not-taken", "no-operation", "method"],
)
def test_opsgenie_requests_the_oas_does_not_answer_are_refused(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any], where: str
) -> None:
    oas()
    schedule_id, rotation_id = schedule_with_rotation(client)
    before = client.get(f"/opsgenie/v2/schedules/{schedule_id}/rotations/{rotation_id}", headers=KEY).json()
    url = path.format(s=schedule_id, r=rotation_id)
    response = client.request(method, url, headers=KEY, **kwargs)
    assert response.status_code == 400
    prefix = f"sandbox: request does not match Opsgenie's documented contract: {where}"
    assert response.json()["message"].startswith(prefix), response.json()
    after = client.get(f"/opsgenie/v2/schedules/{schedule_id}/rotations/{rotation_id}", headers=KEY).json()
    assert after["data"] == before["data"]  # the emulator never acted
    seen = violations(client)
    assert seen["count"] == 1 and prefix in seen["requests"][0]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "errors"),
    [
        # The OAS types a rotation's endDate as a non-nullable string; the emulator would take a
        # null (it clears the end), so the 422 names the field the OAS refuses.
        (
            "PATCH",
            "/opsgenie/v2/schedules/{s}/rotations/{r}",
            {"json": {"endDate": None}},
            {"endDate": "None is not of type 'string'"},
        ),
        # The emulator's own 422 (its field names) when it refuses the body too.
        ("POST", "/opsgenie/v2/schedules/{s}/rotations", {"json": rotation(type="monthly")}, None),
        ("POST", "/opsgenie/v2/schedules", {"json": {"name": 5}}, None),
    ],
    ids=["null-end-date", "bad-enum-body", "bad-type-create"],
)
def test_opsgenie_body_errors_get_the_oas_422_and_change_nothing(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any], errors: dict[str, str] | None
) -> None:
    oas()
    schedule_id, rotation_id = schedule_with_rotation(client)
    before = client.get(f"/opsgenie/v2/schedules/{schedule_id}/rotations", headers=KEY).json()["data"]
    response = client.request(method, path.format(s=schedule_id, r=rotation_id), headers=KEY, **kwargs)
    body = response.json()
    assert response.status_code == 422, body
    assert body["message"] == "Request body is not processable. Please check the errors."
    assert {"took", "requestId"} <= set(body) and response.headers["X-Request-ID"] == body["requestId"]
    assert body["errors"] and all(isinstance(v, str) for v in body["errors"].values())
    if errors is not None:
        assert body["errors"] == errors
    after = client.get(f"/opsgenie/v2/schedules/{schedule_id}/rotations", headers=KEY).json()["data"]
    assert after == before
    assert len(client.get("/opsgenie/v2/schedules", headers=KEY).json()["data"]) == 1
    assert violations(client)["count"] == 0  # a documented answer, not a violation


def test_opsgenie_key_is_checked_before_the_contract(client: TestClient) -> None:
    oas()
    response = client.get("/opsgenie/v2/schedules?limit=5", headers={"Authorization": "GenieKey nope"})
    assert (response.status_code, response.json()["message"]) == (401, "Could not authenticate")
    response = client.post(
        "/opsgenie/v2/schedules", headers={"Authorization": "GenieKey sandbox-opsgenie-readonly"}, json={}
    )
    assert (response.status_code, response.json()["code"]) == (403, 40301)
    assert violations(client)["count"] == 0


def test_imbrace_and_omni_requests_their_docs_do_not_answer_are_refused(client: TestClient) -> None:
    refused = [
        client.post(IMBRACE, headers=IMBRACE_HEADERS, json={**SCHEDULER, "trigger_time": None}),
        client.post(IMBRACE, headers=IMBRACE_HEADERS, json={**SCHEDULER, "callback_url": "https://x"}),
        # The imbrace SDK's one-time form (start_date + start_time); the docs create with start_datetime.
        client.post(IMBRACE, headers=IMBRACE_HEADERS, json={**SCHEDULER, "start_date": "2030-01-01"}),
        client.post(f"{IMBRACE}/files", headers=IMBRACE_HEADERS, data={"payload": "{}"}),  # not multipart
        client.get(f"{IMBRACE}?limit=ten", headers=IMBRACE_HEADERS),
        client.get("/omni/api/v1/schedules?pageSize=10&page=2", headers=OMNI),
        client.put(
            "/omni/api/v1/schedules/61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc/add-recipients",
            headers=OMNI,
            json={"emails": "a@b.co"},
        ),
        client.post("/omni/api/v1/schedules/61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc/pause", headers=OMNI),
    ]
    messages = [(r.status_code, r.json().get("message") or r.json().get("detail")) for r in refused]
    assert all(status == 400 for status, _ in messages), messages
    wheres = [m.split("documented contract: ", 1)[1].split(":")[0] for _, m in messages]
    assert wheres == [
        "body.trigger_time",
        "body",
        "body",
        "body",
        "query.limit",
        "query",
        "body.emails",
        "POST /api/v1/schedules/61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc/pause",
    ]
    assert all(
        m.startswith(("sandbox: request does not match iMBRACE's", "sandbox: request does not match Omni's"))
        for _, m in messages
    )
    assert violations(client)["count"] == len(refused)
    listed = client.get(IMBRACE, headers=IMBRACE_HEADERS).json()["data"]
    assert all(d["name"] != "strict" for d in listed)  # the emulator never acted


def test_the_documented_answer_wins_and_the_dry_run_changes_nothing(client: TestClient) -> None:
    # A body the docs refuse (emails: []) on a request the emulator would otherwise act on.
    orders = "/omni/api/v1/schedules/61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc"
    before = client.get("/_sandbox/omni/schedules/61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc").json()
    answer = client.put(f"{orders}/add-recipients", headers=OMNI, json={"emails": [], "userIds": []})
    assert (answer.status_code, answer.json()) == (
        400,
        {"detail": "emails: Array must contain at least 1 element(s)", "status": 400},
    )
    assert client.get("/_sandbox/omni/schedules/61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc").json() == before
    stats = client.get("/_sandbox/stats").json()
    assert stats["violations"]["count"] == 0
    # Counted under its route, as the emulator's answers are.
    assert any("/add-recipients" in key for key in stats["requests"]), stats["requests"]


def test_conforming_requests_pass_and_violations_survive_a_reset(client: TestClient) -> None:
    oas()
    schedule_id, rotation_id = schedule_with_rotation(client)
    ok = client.patch(
        f"/opsgenie/v2/schedules/{schedule_id}/rotations/{rotation_id}",
        headers=KEY,
        json={"endDate": "2031-01-01T00:00:00Z"},
    )
    assert ok.status_code == 200, ok.text
    assert client.post(IMBRACE, headers=IMBRACE_HEADERS, json=SCHEDULER).status_code == 201
    assert violations(client)["count"] == 0
    client.get("/opsgenie/v2/teams", headers=KEY)
    client.post("/_sandbox/reset").raise_for_status()
    client.delete("/_sandbox/stats").raise_for_status()
    assert violations(client)["count"] == 1  # a suite asserts none at its end, whatever it reset


def test_lenient_mode_lets_the_emulator_answer() -> None:
    with TestClient(create_app(":memory:", strict=False)) as lenient:
        response = lenient.get("/opsgenie/v2/schedules/x?identifierType=slug", headers=KEY)
        assert response.status_code == 422  # the emulator's own (documented) answer
        assert lenient.get("/_sandbox/stats").json()["strict"]["opsgenie"] is False
        assert violations(lenient)["count"] == 0
