"""Documented errors of the Opsgenie emulator: 400, 401, 403, 404, 409, 429, 500 (checked against the OAS).

The 422s of invalid fields and parameters are in test_opsgenie_validation.py.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.opsgenie_oas import KEY, OAS_WARNINGS, READ_ONLY_KEY, Opsgenie, assert_error, rotation

pytestmark = OAS_WARNINGS  # strict: every answer here is one the OAS documents


@pytest.fixture
def og(client: TestClient) -> Opsgenie:
    return Opsgenie(client)


# ---------------------------------------------------------------- 401 / 403


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "GenieKey wrong-key"},
        {"Authorization": "Bearer sandbox-opsgenie"},
        {"Authorization": ""},
    ],
    ids=["missing", "unknown-key", "wrong-scheme", "empty"],
)
def test_unauthenticated_requests_get_401(og: Opsgenie, headers: dict[str, str]) -> None:
    response = og.get("/v2/schedules", key=None, headers=headers)
    assert_error(response, 401, "Could not authenticate")


def test_401_comes_before_404(og: Opsgenie) -> None:
    assert_error(og.get("/v2/schedules/nope", key=None), 401, "Could not authenticate")


WRITES = [
    ("POST", "/v2/schedules", {"name": "ro"}),
    ("PATCH", "/v2/schedules/{id}", {"enabled": False}),
    ("DELETE", "/v2/schedules/{id}", None),
    ("POST", "/v2/schedules/{id}/rotations", rotation()),
    ("PATCH", "/v2/schedules/{id}/rotations/{rotation}", {"length": 2}),
    ("DELETE", "/v2/schedules/{id}/rotations/{rotation}", None),
    ("POST", "/v2/schedules/{id}/overrides", {"user": {"type": "none"}}),
    ("PUT", "/v2/schedules/{id}/overrides/x", {"user": {"type": "none"}}),
    ("DELETE", "/v2/schedules/{id}/overrides/x", None),
]


@pytest.mark.parametrize(("method", "path", "body"), WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_read_only_key_cannot_write(og: Opsgenie, method: str, path: str, body: Any) -> None:
    schedule_id = og.create_schedule(rotations=[rotation()])
    rotation_id = og.get(f"/v2/schedules/{schedule_id}").json()["data"]["rotations"][0]["id"]
    url = path.format(id=schedule_id, rotation=rotation_id)
    response = og.request(method, url, key=READ_ONLY_KEY, json=body)
    error = assert_error(response, 403, "API Key is not granted with write access.")
    assert error["code"] == 40301
    # Nothing changed.
    after = og.get(f"/v2/schedules/{schedule_id}", key=READ_ONLY_KEY).json()["data"]
    assert after["enabled"] is True and len(after["rotations"]) == 1
    assert og.get("/v2/schedules").json()["data"][0]["name"] == "Schedule"


def test_read_only_key_can_read(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(rotations=[rotation()])
    for path in ("/v2/schedules", f"/v2/schedules/{schedule_id}", f"/v2/schedules/{schedule_id}/timeline"):
        assert og.get(path, key=READ_ONLY_KEY).status_code == 200


# ---------------------------------------------------------------- 404


def test_unknown_schedule_by_id_is_404(og: Opsgenie) -> None:
    missing = str(uuid.uuid4())
    assert_error(og.get(f"/v2/schedules/{missing}"), 404, f"No schedule exists with id [{missing}]")


def test_unknown_schedule_by_name_is_404(og: Opsgenie) -> None:
    response = og.get("/v2/schedules/Nightly?identifierType=name")
    assert_error(response, 404, "No schedule exists with name [Nightly]")


def test_name_is_not_an_id(og: Opsgenie) -> None:
    og.create_schedule(name="Nightly")
    assert_error(og.get("/v2/schedules/Nightly"), 404, "No schedule exists with id [Nightly]")


def test_unknown_schedule_is_404_on_every_route(og: Opsgenie) -> None:
    for method, path in [
        ("PATCH", "/v2/schedules/x"),
        ("DELETE", "/v2/schedules/x"),
        ("GET", "/v2/schedules/x/timeline"),
        ("GET", "/v2/schedules/x.ics"),
        ("GET", "/v2/schedules/x/rotations"),
        ("GET", "/v2/schedules/x/overrides"),
    ]:
        body = {"json": {}} if method == "PATCH" else {}
        assert_error(og.request(method, path, **body), 404, "No schedule exists with id [x]")


def test_unknown_rotation_is_404(og: Opsgenie) -> None:
    schedule_id = og.create_schedule()
    response = og.get(f"/v2/schedules/{schedule_id}/rotations/r1")
    assert_error(response, 404, "No schedule rotation exists with id [r1]")


def test_unknown_override_is_404(og: Opsgenie) -> None:
    schedule_id = og.create_schedule()
    response = og.get(f"/v2/schedules/{schedule_id}/overrides/holiday")
    assert_error(response, 404, "No schedule override exists with alias [holiday]")


# ---------------------------------------------------------------- 400 / 409 / 422


def test_malformed_json_is_400(og: Opsgenie) -> None:
    response = og.post(
        "/v2/schedules", content=b'{"name": "x",', headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, "Invalid JSON body")


def test_duplicate_name_is_409(og: Opsgenie) -> None:
    og.create_schedule(name="Primary")
    response = og.post("/v2/schedules", json={"name": "Primary"})
    assert_error(response, 409, "Schedule with [name] [Primary] already exists.")
    assert len(og.get("/v2/schedules").json()["data"]) == 1


def test_rename_to_a_taken_name_is_409(og: Opsgenie) -> None:
    og.create_schedule(name="Primary")
    other = og.create_schedule(name="Secondary")
    response = og.patch(f"/v2/schedules/{other}", json={"name": "Primary"})
    assert_error(response, 409, "Schedule with [name] [Primary] already exists.")
    assert og.get(f"/v2/schedules/{other}").json()["data"]["name"] == "Secondary"


def test_duplicate_override_alias_is_409(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(rotations=[rotation()])
    body = {
        "alias": "holiday",
        "user": {"type": "none"},
        "startDate": "2030-01-08T00:00:00Z",
        "endDate": "2030-01-09T00:00:00Z",
    }
    assert og.post(f"/v2/schedules/{schedule_id}/overrides", json=body).status_code == 201
    response = og.post(f"/v2/schedules/{schedule_id}/overrides", json=body)
    assert_error(response, 409, "Schedule override with [alias] [holiday] already exists.")


# ---------------------------------------------------------------- injected faults


def test_throttled_answer_is_429_with_rate_limit_headers(og: Opsgenie, client: TestClient) -> None:
    client.put("/_sandbox/faults", json={"opsgenie": {"p429": 1.0, "retry_after_s": 7}}).raise_for_status()
    response = og.get("/v2/schedules")
    assert_error(response, 429)
    assert response.headers["Retry-After"] == "7"
    assert response.headers["X-RateLimit-State"] == "THROTTLED"
    assert response.headers["X-RateLimit-Reason"] == "CONFIGURATION"
    assert response.headers["X-RateLimit-Period-In-Sec"] == "7"  # the same wait as Retry-After
    # Other APIs are not throttled by the Opsgenie fault.
    client.put("/_sandbox/faults", json={}).raise_for_status()
    assert og.get("/v2/schedules").headers["X-RateLimit-State"] == "OK"


def test_injected_500_has_opsgenie_error_shape(og: Opsgenie, client: TestClient) -> None:
    client.put("/_sandbox/faults", json={"opsgenie": {"p500": 1.0}}).raise_for_status()
    assert_error(og.post("/v2/schedules", json={"name": "x"}), 500, "Internal Server Error")


@pytest.mark.lenient  # a path the OAS does not have: strict mode refuses it with its own answer
def test_unknown_path_is_404_in_opsgenie_shape(client: TestClient) -> None:
    response = client.get("/opsgenie/v2/nothing-here", headers=KEY)
    assert_error(response, 404)
