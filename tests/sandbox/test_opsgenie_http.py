"""The Opsgenie emulator over real HTTP (``python -m sandbox`` subprocess), as the providers use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from icalendar import Calendar

from harness import SandboxServer
from tests.support.opsgenie_oas import ALICE, BOB, OAS_WARNINGS, Opsgenie, periods, rotation

pytestmark = OAS_WARNINGS


@pytest.fixture
def og(sandbox_server: SandboxServer) -> Iterator[Opsgenie]:
    sandbox_server.reset()
    with requests.Session() as session:
        yield Opsgenie(session, sandbox_server.url)
    sandbox_server.reset()  # leave no faults or data behind for other tests


def test_schedule_life_cycle_over_http(og: Opsgenie) -> None:
    body = {
        "name": "HTTP schedule",
        "timezone": "UTC",
        "ownerTeam": {"name": "sre"},
        "rotations": [
            rotation(
                startDate="2030-01-07T09:00:00Z",
                participants=[{"type": "user", "id": ALICE["id"]}, {"type": "user", "id": BOB["id"]}],
            )
        ],
    }
    created = og.post("/v2/schedules", json=body)
    assert created.status_code == 201
    schedule_id = created.json()["data"]["id"]

    by_name = og.get("/v2/schedules/HTTP schedule", params={"identifierType": "name"})
    assert by_name.json()["data"]["id"] == schedule_id
    assert by_name.json()["data"]["ownerTeam"]["name"] == "sre"

    query = {"date": "2030-01-07T09:00:00Z", "interval": "2", "intervalUnit": "days"}
    timeline = og.get(f"/v2/schedules/{schedule_id}/timeline", params=query).json()
    assert periods(timeline) == [
        ("2030-01-07T09:00:00Z", "2030-01-08T09:00:00Z", ALICE["username"]),
        ("2030-01-08T09:00:00Z", "2030-01-09T09:00:00Z", BOB["username"]),
    ]

    export = og.get(f"/v2/schedules/{schedule_id}.ics")
    assert export.headers["Content-Type"].startswith("text/calendar")
    assert Calendar.from_ical(export.content)["x-wr-calname"] == "HTTP schedule"

    assert og.delete(f"/v2/schedules/{schedule_id}").json()["result"] == "Deleted"
    missing = og.get(f"/v2/schedules/{schedule_id}")
    assert missing.status_code == 404
    assert missing.json()["message"] == f"No schedule exists with id [{schedule_id}]"


def test_data_persists_in_the_servers_database(og: Opsgenie, sandbox_server: SandboxServer) -> None:
    og.create_schedule(name="Kept")
    with requests.Session() as other:  # a second client sees the same data
        listed = Opsgenie(other, sandbox_server.url).get("/v2/schedules").json()["data"]
    assert [s["name"] for s in listed] == ["Kept"]


def test_throttling_over_http(og: Opsgenie, sandbox_server: SandboxServer) -> None:
    faults = {"opsgenie": {"p429": 1.0, "retry_after_s": 3}}
    requests.put(f"{sandbox_server.url}/_sandbox/faults", json=faults, timeout=10).raise_for_status()
    response = og.get("/v2/schedules")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3"
    assert response.headers["X-RateLimit-State"] == "THROTTLED"
    assert set(response.json()) == {"message", "took", "requestId"}


def test_read_only_key_over_http(og: Opsgenie) -> None:
    read_only = {"Authorization": "GenieKey sandbox-opsgenie-readonly"}
    refused = og.post("/v2/schedules", json={"name": "nope"}, key=read_only)
    assert refused.status_code == 403
    assert refused.json()["message"] == "API Key is not granted with write access."
    assert og.get("/v2/schedules", key=read_only).status_code == 200
