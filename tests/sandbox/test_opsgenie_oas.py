"""Conformance of the Opsgenie emulator to Opsgenie's OAS (validated with bravado-core).

Every operation of paths/schedule.yaml, scheduleRotation.yaml and scheduleOverride.yaml
is called, its success and error answers validated against the OAS, and the docs'
sample requests are validated as requests.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.opsgenie_oas import (
    ALICE,
    OAS_WARNINGS,
    OasValidator,
    Opsgenie,
    docs_create_schedule,
    oas,
    rotation,
)

pytestmark = OAS_WARNINGS

# (method, OAS path, a valid body or None)
OPERATIONS: list[tuple[str, str, Any]] = [
    ("POST", "/v2/schedules", {"name": "Created", "rotations": [rotation()]}),
    ("GET", "/v2/schedules", None),
    ("GET", "/v2/schedules/{identifier}", None),
    ("PATCH", "/v2/schedules/{identifier}", {"description": "changed"}),
    ("DELETE", "/v2/schedules/{identifier}", None),
    ("GET", "/v2/schedules/{identifier}/timeline", None),
    ("GET", "/v2/schedules/{identifier}.ics", None),
    ("POST", "/v2/schedules/{identifier}/rotations", rotation(name="Added")),
    ("GET", "/v2/schedules/{identifier}/rotations", None),
    ("GET", "/v2/schedules/{identifier}/rotations/{id}", None),
    ("PATCH", "/v2/schedules/{identifier}/rotations/{id}", {"length": 2}),
    ("DELETE", "/v2/schedules/{identifier}/rotations/{id}", None),
    (
        "POST",
        "/v2/schedules/{identifier}/overrides",
        {
            "alias": "new",
            "user": {"type": "user", "id": ALICE["id"]},
            "startDate": "2030-01-08T00:00:00Z",
            "endDate": "2030-01-09T00:00:00Z",
        },
    ),
    ("GET", "/v2/schedules/{identifier}/overrides", None),
    ("GET", "/v2/schedules/{identifier}/overrides/{alias}", None),
    (
        "PUT",
        "/v2/schedules/{identifier}/overrides/{alias}",
        {"user": {"type": "none"}, "startDate": "2030-01-08T00:00:00Z", "endDate": "2030-01-10T00:00:00Z"},
    ),
    ("DELETE", "/v2/schedules/{identifier}/overrides/{alias}", None),
]
IDS = [f"{m} {p}" for m, p, _ in OPERATIONS]


@pytest.fixture
def spec() -> OasValidator:
    return oas()


@pytest.fixture
def og(client: TestClient, spec: OasValidator) -> Opsgenie:
    return Opsgenie(client)


def seeded(og: Opsgenie) -> dict[str, str]:
    """A schedule with a rotation and an override; the values of the OAS path parameters."""
    schedule_id = og.create_schedule(name="Ops", rotations=[rotation()])
    rotation_id = og.get(f"/v2/schedules/{schedule_id}/rotations").json()["data"][0]["id"]
    override = {
        "alias": "holiday",
        "user": {"type": "none"},
        "startDate": "2030-01-07T00:00:00Z",
        "endDate": "2030-01-08T00:00:00Z",
    }
    assert og.post(f"/v2/schedules/{schedule_id}/overrides", json=override).status_code == 201
    return {"identifier": schedule_id, "id": rotation_id, "alias": "holiday"}


def test_spec_holds_exactly_the_operations_served(spec: OasValidator) -> None:
    in_spec = {(op.http_method.upper(), op.path_name) for _, _, op in spec.routes}
    assert in_spec == {(m, p) for m, p, _ in OPERATIONS}


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS, ids=IDS)
def test_success_answers_conform(og: Opsgenie, spec: OasValidator, method: str, path: str, body: Any) -> None:
    url = path.format(**seeded(og))
    if path.endswith("/timeline"):
        url += "?expand=base,forwarding,override&interval=2&intervalUnit=days&date=2030-01-07T00:00:00Z"
    spec.check_request(method, url, body)  # the test's own request is a valid one
    response = og.request(method, url, json=body)  # the answer is validated by og
    assert 200 <= response.status_code < 300, response.text


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS, ids=IDS)
def test_unauthenticated_answers_conform(og: Opsgenie, method: str, path: str, body: Any) -> None:
    url = path.format(**seeded(og))
    assert og.request(method, url, json=body, key=None).status_code == 401


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS[2:], ids=IDS[2:])
def test_not_found_answers_conform(og: Opsgenie, method: str, path: str, body: Any) -> None:
    url = path.format(identifier="missing", id="missing", alias="missing")
    assert og.request(method, url, json=body).status_code == 404


def test_error_answers_conform(og: Opsgenie, client: TestClient) -> None:
    og.create_schedule(name="Taken")
    statuses = [
        og.post("/v2/schedules", content=b"{", headers={"Content-Type": "application/json"}).status_code,
        og.post(
            "/v2/schedules", json={"name": "x"}, key={"Authorization": "GenieKey sandbox-opsgenie-readonly"}
        ).status_code,
        og.post("/v2/schedules", json={"name": "Taken"}).status_code,
        og.post("/v2/schedules", json={"name": "x", "timezone": "Nope"}).status_code,
    ]
    client.put("/_sandbox/faults", json={"opsgenie": {"p429": 1.0}}).raise_for_status()
    statuses.append(og.get("/v2/schedules").status_code)
    client.put("/_sandbox/faults", json={"opsgenie": {"p500": 1.0}}).raise_for_status()
    statuses.append(og.get("/v2/schedules/x/timeline").status_code)
    assert statuses == [400, 403, 409, 422, 429, 500]


def test_docs_sample_requests_conform(spec: OasValidator) -> None:
    # Create Schedule, verbatim from the docs.
    create = docs_create_schedule(
        [
            {"type": "user", "username": "[email protected]"},
            {"type": "none"},
            {"type": "user", "id": "ac463592-dbd2-4ca3-alp1d-48fhf5j5c871"},
        ]
    )
    assert spec.check_request("POST", "/v2/schedules", create)["body"]["name"] == "ScheduleName"
    spec.check_request("GET", "/v2/schedules/ScheduleName?identifierType=name")
    spec.check_request("DELETE", "/v2/schedules/ScheduleName?identifierType=name")
    spec.check_request("GET", "/v2/schedules")
    spec.check_request(
        "GET", "/v2/schedules/alp63592-dbd2-4ca3-a651d-48fhf5j5c871/timeline?expand=base,forwarding,override"
    )
    spec.check_request("GET", "/v2/schedules/ScheduleName.ics?identifierType=name")
    # The docs' Update sample is not JSON (its rotation's fields sit outside an object) ...
    sample_patch = (
        '{"name": "DisabledScheduleName", "rotations": ["startDate":"2019-01-15T08:00:00+02:00", {}]}'
    )
    with pytest.raises(json.JSONDecodeError):
        json.loads(sample_patch)
    # ... what it means is valid.
    patch = {
        "name": "DisabledScheduleName",
        "enabled": False,
        "rotations": [
            {"startDate": "2019-01-15T08:00:00+02:00", "type": "daily", "participants": [{"type": "none"}]}
        ],
    }
    spec.check_request("PATCH", "/v2/schedules/ScheduleName?identifierType=name", patch)
    # The docs' restriction examples.
    time_of_day = {
        "type": "time-of-day",
        "restriction": {"startHour": 8, "startMin": 0, "endHour": 18, "endMin": 30},
    }
    spec.check_request("POST", "/v2/schedules/x/rotations", rotation(timeRestriction=time_of_day))


def test_validator_rejects_what_the_oas_forbids(spec: OasValidator) -> None:
    from jsonschema import ValidationError

    json_headers = {"content-type": "application/json"}
    good = b'{"data": {"id": "1", "name": "n", "enabled": true}, "took": 0.1, "requestId": "r"}'
    spec.check_response("POST", "/v2/schedules", 201, json_headers | rate_limit_headers(), good)
    with pytest.raises(ValidationError):  # enabled must be a boolean
        spec.check_response(
            "POST", "/v2/schedules", 201, json_headers | rate_limit_headers(), good.replace(b"true", b'"yes"')
        )
    with pytest.raises(ValidationError):  # took and requestId are required
        spec.check_response("GET", "/v2/schedules/x", 404, json_headers, b'{"message": "nope"}')
    with pytest.raises(ValidationError):  # participant types are an enum
        spec.check_request(
            "POST", "/v2/schedules", {"name": "x", "rotations": [rotation(participants=[{"type": "robot"}])]}
        )
    with pytest.raises(ValidationError):  # identifierType is id or name
        spec.check_request("GET", "/v2/schedules/x?identifierType=slug")


def rate_limit_headers() -> dict[str, str]:
    return {
        "X-Request-ID": "r",
        "X-Response-Time": "0.1",
        "X-RateLimit-State": "OK",
        "X-RateLimit-Reason": "CONFIGURATION",
        "X-RateLimit-Period-In-Sec": "60",
    }
