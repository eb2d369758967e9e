"""Schedule Rotation and Schedule Override APIs of the Opsgenie emulator."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from tests.support.opsgenie_oas import ALICE, BOB, CAROL, OAS_WARNINGS, Opsgenie, rotation

pytestmark = OAS_WARNINGS


@pytest.fixture
def og(client: TestClient) -> Opsgenie:
    return Opsgenie(client)


def test_rotation_crud(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(name="Ops", rotations=[rotation(name="Day")])
    base = f"/v2/schedules/{schedule_id}/rotations"
    created = og.post(base, json=rotation(name="Night", type="weekly", length=2))
    assert created.status_code == 201
    assert created.json()["result"] == "Created"
    rotation_id = created.json()["data"]["id"]
    assert created.json()["data"] == {"id": rotation_id, "name": "Night"}

    listed = og.get(base).json()["data"]
    assert [r["name"] for r in listed] == ["Day", "Night"]

    one = og.get(f"{base}/{rotation_id}").json()["data"]
    assert one["_parent"] == {"id": schedule_id, "name": "Ops", "enabled": True}
    assert one["type"] == "weekly" and one["length"] == 2

    updated = og.patch(
        f"{base}/{rotation_id}", json={"length": 3, "participants": [{"type": "user", "id": CAROL["id"]}]}
    )
    assert updated.json() | {"took": 0, "requestId": ""} == {
        "result": "Updated",
        "data": {"id": rotation_id, "name": "Night"},
        "took": 0,
        "requestId": "",
    }
    after = og.get(f"{base}/{rotation_id}").json()["data"]
    assert after["length"] == 3 and after["type"] == "weekly" and after["startDate"] == one["startDate"]
    assert after["participants"] == [{"type": "user", **CAROL}]

    assert og.delete(f"{base}/{rotation_id}").json()["result"] == "Deleted"
    assert [r["name"] for r in og.get(base).json()["data"]] == ["Day"]
    assert og.get(f"{base}/{rotation_id}").status_code == 404


@pytest.mark.lenient  # the emulator's answer to a request the docs do not allow
def test_rotation_routes_take_schedule_identifier_type(og: Opsgenie) -> None:
    og.create_schedule(name="Ops")
    created = og.post("/v2/schedules/Ops/rotations?scheduleIdentifierType=name", json=rotation())
    assert created.status_code == 201
    assert len(og.get("/v2/schedules/Ops/rotations?scheduleIdentifierType=name").json()["data"]) == 1
    # These routes name the parameter scheduleIdentifierType (OAS ScheduleIdentifierType2).
    assert og.get("/v2/schedules/Ops/rotations?identifierType=name").status_code == 404


def test_rotation_without_name_or_length_gets_defaults(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(rotations=[rotation()])
    body = rotation()
    del body["name"]
    rotation_id = og.post(f"/v2/schedules/{schedule_id}/rotations", json=body).json()["data"]["id"]
    data = og.get(f"/v2/schedules/{schedule_id}/rotations/{rotation_id}").json()["data"]
    assert data["name"] == "Rotation 2" and data["length"] == 1


@pytest.mark.lenient  # the emulator's answer to a request the docs do not allow
def test_rotation_patch_can_remove_end_date_and_restriction(og: Opsgenie) -> None:
    tr = {"type": "time-of-day", "restriction": {"startHour": 9, "startMin": 0, "endHour": 17, "endMin": 0}}
    schedule_id = og.create_schedule(rotations=[rotation(endDate="2030-02-01T00:00:00Z", timeRestriction=tr)])
    base = f"/v2/schedules/{schedule_id}/rotations"
    rotation_id = og.get(base).json()["data"][0]["id"]
    og.patch(f"{base}/{rotation_id}", json={"endDate": None, "timeRestriction": None})
    data = og.get(f"{base}/{rotation_id}").json()["data"]
    assert "endDate" not in data and "timeRestriction" not in data


def test_override_crud(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(name="Ops", rotations=[rotation(name="Day"), rotation(name="Night")])
    day, night = og.get(f"/v2/schedules/{schedule_id}/rotations").json()["data"]
    base = f"/v2/schedules/{schedule_id}/overrides"
    body = {
        "alias": "holiday",
        "user": {"type": "user", "username": CAROL["username"]},
        "startDate": "2030-01-08T10:00:00+01:00",
        "endDate": "2030-01-09T10:17:00+01:00",
        "rotations": [{"name": "Night"}],
    }
    created = og.post(base, json=body)
    assert created.status_code == 201 and created.json()["data"] == {"alias": "holiday"}

    one = og.get(f"{base}/holiday").json()["data"]
    assert one == {
        "_parent": {"id": schedule_id, "name": "Ops", "enabled": True},
        "alias": "holiday",
        "user": {"type": "user", **CAROL},
        # Override dates are not rounded.
        "startDate": "2030-01-08T09:00:00Z",
        "endDate": "2030-01-09T09:17:00Z",
        "rotations": [{"id": night["id"], "name": "Night"}],
    }
    assert [o["alias"] for o in og.get(base).json()["data"]] == ["holiday"]

    replaced = og.put(
        f"{base}/holiday",
        json={
            "user": {"type": "user", "id": BOB["id"]},
            "startDate": "2030-01-10T00:00:00Z",
            "endDate": "2030-01-11T00:00:00Z",
        },
    )
    assert replaced.status_code == 200 and replaced.json()["data"] == {"alias": "holiday"}
    again = og.get(f"{base}/holiday").json()["data"]
    assert again["user"] == {"type": "user", **BOB}
    assert again["rotations"] == []  # PUT replaces: no rotations given means all of them
    assert again["startDate"] == "2030-01-10T00:00:00Z"

    assert og.delete(f"{base}/holiday").json()["result"] == "Deleted"
    assert og.get(base).json()["data"] == []
    assert og.get(f"{base}/holiday").status_code == 404
    assert day["id"] != night["id"]


def test_override_gets_a_random_alias_and_may_be_none(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(rotations=[rotation()])
    body = {"user": {"type": "none"}, "startDate": "2030-01-08T00:00:00Z", "endDate": "2030-01-09T00:00:00Z"}
    alias = og.post(f"/v2/schedules/{schedule_id}/overrides", json=body).json()["data"]["alias"]
    assert uuid.UUID(alias)
    data = og.get(f"/v2/schedules/{schedule_id}/overrides/{alias}").json()["data"]
    assert data["user"] == {"type": "none"}


def test_overrides_by_schedule_name(og: Opsgenie) -> None:
    og.create_schedule(name="Ops", rotations=[rotation()])
    body = {"alias": "a", "user": {"type": "user", "id": ALICE["id"]}, "startDate": "2030-01-08T00:00:00Z"}
    body["endDate"] = "2030-01-09T00:00:00Z"
    assert og.post("/v2/schedules/Ops/overrides?scheduleIdentifierType=name", json=body).status_code == 201
    assert (
        og.get("/v2/schedules/Ops/overrides/a?scheduleIdentifierType=name").json()["data"]["user"]["username"]
        == ALICE["username"]
    )


def test_deleting_a_schedule_removes_its_overrides(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(name="Ops", rotations=[rotation()])
    body = {
        "alias": "a",
        "user": {"type": "none"},
        "startDate": "2030-01-08T00:00:00Z",
        "endDate": "2030-01-09T00:00:00Z",
    }
    og.post(f"/v2/schedules/{schedule_id}/overrides", json=body)
    og.delete(f"/v2/schedules/{schedule_id}")
    new_id = og.create_schedule(name="Ops")
    assert og.get(f"/v2/schedules/{new_id}/overrides").json()["data"] == []
