"""Schedule API of the Opsgenie emulator: CRUD, defaults, normalisation, list expansion, admin data."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.opsgenie_oas import (
    ALICE,
    BOB,
    OAS_WARNINGS,
    OPS_TEAM,
    SRE_ESCALATION,
    Opsgenie,
    docs_create_schedule,
    rotation,
)

pytestmark = OAS_WARNINGS


@pytest.fixture
def og(client: TestClient) -> Opsgenie:
    return Opsgenie(client)


def get(og: Opsgenie, schedule_id: str) -> dict[str, Any]:
    response = og.get(f"/v2/schedules/{schedule_id}")
    assert response.status_code == 200, response.text
    return dict(response.json()["data"])


def test_create_answers_201_with_meta_and_envelope(og: Opsgenie) -> None:
    response = og.post("/v2/schedules", json={"name": "Nightly", "enabled": False})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"data", "took", "requestId"}
    assert body["data"]["name"] == "Nightly" and body["data"]["enabled"] is False
    assert uuid.UUID(body["data"]["id"]).version == 4
    assert isinstance(body["took"], float)
    assert body["requestId"] == response.headers["X-Request-ID"]
    assert float(response.headers["X-Response-Time"]) >= 0


def test_defaults_of_a_new_schedule(og: Opsgenie) -> None:
    data = get(og, og.create_schedule(name="Bare"))
    assert data == {
        "id": data["id"],
        "name": "Bare",
        "timezone": "America/New_York",
        "enabled": True,
        "rotations": [],
    }


def test_docs_sample_create_then_get_by_name(og: Opsgenie) -> None:
    # The docs' Create Schedule sample, with users of the sandbox account.
    body = docs_create_schedule(
        [
            {"type": "user", "username": ALICE["username"]},
            {"type": "none"},
            {"type": "user", "id": BOB["id"]},
        ]
    )
    created = og.post("/v2/schedules", json=body).json()["data"]
    data = og.get("/v2/schedules/ScheduleName?identifierType=name").json()["data"]
    assert data["id"] == created["id"]
    assert data["description"] == "ScheduleDescription"
    assert data["timezone"] == "Europe/Kirov"
    assert data["ownerTeam"] == OPS_TEAM
    (rot,) = data["rotations"]
    assert uuid.UUID(rot["id"])
    assert {k: rot[k] for k in ("name", "startDate", "endDate", "type", "length")} == {
        "name": "First Rotation",
        "startDate": "2017-02-06T05:00:00Z",
        "endDate": "2017-02-23T06:00:00Z",
        "type": "hourly",
        "length": 6,
    }
    # Both id and username are filled in, whichever the request used.
    assert rot["participants"] == [{"type": "user", **ALICE}, {"type": "none"}, {"type": "user", **BOB}]
    assert rot["timeRestriction"] == body["rotations"][0]["timeRestriction"]


def test_team_and_escalation_participants_are_filled_in(og: Opsgenie) -> None:
    participants = [
        {"type": "team", "id": OPS_TEAM["id"]},
        {"type": "escalation", "name": SRE_ESCALATION["name"]},
    ]
    data = get(og, og.create_schedule(rotations=[rotation(participants=participants)]))
    assert data["rotations"][0]["participants"] == [
        {"type": "team", **OPS_TEAM},
        {"type": "escalation", **SRE_ESCALATION},
    ]


def test_owner_team_by_id(og: Opsgenie) -> None:
    assert get(og, og.create_schedule(ownerTeam={"id": OPS_TEAM["id"]}))["ownerTeam"] == OPS_TEAM


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2030-01-07T09:14:59Z", "2030-01-07T09:00:00Z"),
        ("2030-01-07T09:15:00Z", "2030-01-07T09:30:00Z"),
        ("2030-01-07T09:44:00Z", "2030-01-07T09:30:00Z"),
        ("2030-01-07T09:45:00Z", "2030-01-07T10:00:00Z"),
        ("2030-01-07T23:50:00Z", "2030-01-08T00:00:00Z"),
        ("2030-01-07T08:00:00+02:00", "2030-01-07T06:00:00Z"),
        ("2030-01-07T08:20:00-05:00", "2030-01-07T13:30:00Z"),
        ("2030-01-07T09:00:00.250Z", "2030-01-07T09:00:00Z"),
    ],
)
def test_rotation_dates_round_to_half_hours_in_utc(og: Opsgenie, given: str, stored: str) -> None:
    data = get(
        og, og.create_schedule(rotations=[rotation(startDate=given, endDate=given.replace("2030", "2031"))])
    )
    assert data["rotations"][0]["startDate"] == stored
    assert data["rotations"][0]["endDate"] == stored.replace("2030", "2031")


def test_restriction_minutes_round_to_half_hours(og: Opsgenie) -> None:
    restrictions = [
        {
            "startDay": "monday",
            "startHour": 8,
            "startMin": 15,
            "endDay": "monday",
            "endHour": 17,
            "endMin": 44,
        },
        {
            "startDay": "friday",
            "startHour": 20,
            "startMin": 10,
            "endDay": "sunday",
            "endHour": 23,
            "endMin": 45,
        },
    ]
    tr = {"type": "weekday-and-time-of-day", "restrictions": restrictions}
    data = get(og, og.create_schedule(rotations=[rotation(timeRestriction=tr)]))
    assert data["rotations"][0]["timeRestriction"]["restrictions"] == [
        {
            "startDay": "monday",
            "startHour": 8,
            "startMin": 30,
            "endDay": "monday",
            "endHour": 17,
            "endMin": 30,
        },
        # 23:45 rounds up to midnight, which is the next day.
        {"startDay": "friday", "startHour": 20, "startMin": 0, "endDay": "monday", "endHour": 0, "endMin": 0},
    ]


@pytest.mark.parametrize(
    "given",
    [
        {"type": "time-of-day", "restriction": {"startHour": 8, "startMin": 50, "endHour": 18, "endMin": 14}},
        # The docs' Get Schedule sample shows time-of-day with a one-item "restrictions" list.
        {
            "type": "time-of-day",
            "restrictions": [{"startHour": 8, "startMin": 50, "endHour": 18, "endMin": 14}],
        },
    ],
    ids=["restriction", "restrictions-list"],
)
def test_time_of_day_restriction_is_returned_in_oas_form(og: Opsgenie, given: dict[str, Any]) -> None:
    data = get(og, og.create_schedule(rotations=[rotation(timeRestriction=given)]))
    assert data["rotations"][0]["timeRestriction"] == {
        "type": "time-of-day",
        "restriction": {"startHour": 9, "startMin": 0, "endHour": 18, "endMin": 0},
    }


def test_patch_changes_only_given_fields(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(
        name="Ops", description="old", ownerTeam={"name": "ops_team"}, rotations=[rotation()]
    )
    before = get(og, schedule_id)
    response = og.patch(f"/v2/schedules/{schedule_id}", json={"description": "new", "enabled": False})
    assert response.status_code == 200
    assert response.json()["data"] == {"id": schedule_id, "name": "Ops", "enabled": False}
    after = get(og, schedule_id)
    assert after == {**before, "description": "new", "enabled": False}


def test_patch_with_rotations_replaces_them(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(rotations=[rotation(name="A"), rotation(name="B")])
    old_ids = {r["id"] for r in get(og, schedule_id)["rotations"]}
    og.patch(f"/v2/schedules/{schedule_id}", json={"rotations": [rotation(name="C", type="weekly")]})
    (only,) = get(og, schedule_id)["rotations"]
    assert only["name"] == "C" and only["type"] == "weekly" and only["id"] not in old_ids


def test_docs_sample_patch_by_name(og: Opsgenie) -> None:
    og.create_schedule(name="ScheduleName", rotations=[rotation()])
    # The docs' sample body is not valid JSON; this is what it means.
    body = {
        "name": "DisabledScheduleName",
        "enabled": False,
        "rotations": [
            {"startDate": "2019-01-15T08:00:00+02:00", "type": "daily", "participants": [{"type": "none"}]}
        ],
    }
    response = og.patch("/v2/schedules/ScheduleName?identifierType=name", json=body)
    assert response.json()["data"]["name"] == "DisabledScheduleName"
    assert response.json()["data"]["enabled"] is False
    data = og.get("/v2/schedules/DisabledScheduleName?identifierType=name").json()["data"]
    assert data["rotations"][0]["startDate"] == "2019-01-15T06:00:00Z"
    assert data["rotations"][0]["length"] == 1
    assert data["rotations"][0]["participants"] == [{"type": "none"}]
    # The old name is free again.
    assert og.get("/v2/schedules/ScheduleName?identifierType=name").status_code == 404
    assert og.post("/v2/schedules", json={"name": "ScheduleName"}).status_code == 201


def test_patch_without_body_changes_nothing(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(rotations=[rotation()])
    before = get(og, schedule_id)
    assert og.patch(f"/v2/schedules/{schedule_id}").status_code == 200
    assert get(og, schedule_id) == before


def test_delete_by_id_and_by_name(og: Opsgenie) -> None:
    first, _ = og.create_schedule(name="One"), og.create_schedule(name="Two")
    response = og.delete(f"/v2/schedules/{first}")
    assert response.status_code == 200 and response.json()["result"] == "Deleted"
    assert og.get(f"/v2/schedules/{first}").status_code == 404
    assert og.delete("/v2/schedules/Two?identifierType=name").json()["result"] == "Deleted"
    assert og.get("/v2/schedules").json()["data"] == []
    # Deleted names can be used again.
    assert og.post("/v2/schedules", json={"name": "One"}).status_code == 201


def test_list_without_and_with_rotation_expansion(og: Opsgenie) -> None:
    og.create_schedule(name="A", rotations=[rotation()])
    og.create_schedule(name="B")
    plain = og.get("/v2/schedules").json()
    assert plain["expandable"] == ["rotation"]
    assert [s["name"] for s in plain["data"]] == ["A", "B"]
    assert all("rotations" not in s for s in plain["data"])
    expanded = og.get("/v2/schedules?expand=rotation").json()
    assert [len(s["rotations"]) for s in expanded["data"]] == [1, 0]
    assert expanded["data"][0]["rotations"][0]["participants"][0] == {"type": "user", **ALICE}


def test_names_are_case_sensitive_and_may_hold_spaces(og: Opsgenie) -> None:
    og.create_schedule(name="On Call")
    assert og.post("/v2/schedules", json={"name": "on call"}).status_code == 201
    assert og.get("/v2/schedules/On Call?identifierType=name").json()["data"]["name"] == "On Call"


def test_admin_adds_users_teams_and_escalations(og: Opsgenie, client: TestClient) -> None:
    users = client.get("/_sandbox/opsgenie/users").json()
    assert {u["username"] for u in users} >= {
        "alice@example.com",
        "bob@example.com",
        "carol@example.com",
        "dave@example.com",
    }
    assert {t["name"] for t in client.get("/_sandbox/opsgenie/teams").json()} == {
        "ops_team",
        "network_team",
        "sre",
    }
    erin = client.post(
        "/_sandbox/opsgenie/users", json={"username": "erin@example.com", "fullName": "Erin E"}
    )
    assert erin.status_code == 201 and uuid.UUID(erin.json()["id"])
    team = client.post("/_sandbox/opsgenie/teams", json={"name": "db"}).json()
    escalation = client.post("/_sandbox/opsgenie/escalations", json={"name": "db_escalation"}).json()
    assert client.post("/_sandbox/opsgenie/teams", json={"name": "db"}).status_code == 409
    participants = [
        {"type": "user", "username": "erin@example.com"},
        {"type": "team", "name": "db"},
        {"type": "escalation", "id": escalation["id"]},
    ]
    data = get(
        og, og.create_schedule(ownerTeam={"name": "db"}, rotations=[rotation(participants=participants)])
    )
    assert data["ownerTeam"] == team
    assert data["rotations"][0]["participants"] == [
        {"type": "user", "id": erin.json()["id"], "username": "erin@example.com"},
        {"type": "team", **team},
        {"type": "escalation", **escalation},
    ]


def test_reset_restores_the_seed(og: Opsgenie, client: TestClient) -> None:
    og.create_schedule()
    client.post("/_sandbox/opsgenie/users", json={"username": "erin@example.com"})
    client.post("/_sandbox/reset").raise_for_status()
    assert og.get("/v2/schedules").json()["data"] == []
    assert len(client.get("/_sandbox/opsgenie/users").json()) == 4
