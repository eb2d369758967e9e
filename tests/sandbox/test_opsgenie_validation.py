"""Validation errors (422) of the Opsgenie emulator: one test per documented field rule."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.opsgenie_oas import ALICE, OAS_WARNINGS, Opsgenie, assert_error, rotation

# Tests of the emulator's own answers to requests the docs do not allow.
pytestmark = OAS_WARNINGS  # strict: the OAS documents a 422 for a body that breaks it

NOT_PROCESSABLE = "Request body is not processable. Please check the errors."


@pytest.fixture
def og(client: TestClient) -> Opsgenie:
    return Opsgenie(client)


def participants(*items: dict[str, Any]) -> dict[str, Any]:
    return {"rotations": [rotation(participants=list(items))]}


# (body, field path, expected text of the error) — one row per documented rule.
SCHEDULE_422 = {
    "name-missing": ({}, "name", "should be provided"),
    "name-empty": ({"name": " "}, "name", "should not be empty"),
    "name-over-100": ({"name": "n" * 101}, "name", "at most 100 characters"),
    "name-not-string": ({"name": 5}, "name", "valid string"),
    "description-over-200": ({"description": "d" * 201}, "description", "at most 200 characters"),
    "timezone-unknown": ({"timezone": "Mars/Olympus"}, "timezone", "Invalid timezone [Mars/Olympus]"),
    "enabled-not-boolean": ({"enabled": "sometimes"}, "enabled", "valid boolean"),
    "owner-team-unknown-name": (
        {"ownerTeam": {"name": "nobody"}},
        "ownerTeam",
        "No team exists with name [nobody]",
    ),
    "owner-team-unknown-id": ({"ownerTeam": {"id": "t-1"}}, "ownerTeam", "No team exists with id [t-1]"),
    "owner-team-empty": ({"ownerTeam": {}}, "ownerTeam", "id or name should be provided"),
    "rotations-empty": ({"rotations": []}, "rotations", "at least one rotation"),
    "rotation-start-missing": (
        {"rotations": [rotation(startDate=None)]},
        "rotations[0].startDate",
        "should be provided",
    ),
    "rotation-type-missing": (
        {"rotations": [rotation(type=None)]},
        "rotations[0].type",
        "should be provided",
    ),
    "rotation-type-invalid": (
        {"rotations": [rotation(type="monthly")]},
        "rotations[0].type",
        "'daily', 'weekly' or 'hourly'",
    ),
    "rotation-length-zero": ({"rotations": [rotation(length=0)]}, "rotations[0].length", "at least 1"),
    "participants-missing": (
        {"rotations": [rotation(participants=None)]},
        "rotations[0].participants",
        "should be provided",
    ),
    "participants-empty": (participants(), "rotations[0].participants", "at least one participant"),
    "participant-type-invalid": (
        participants({"type": "group"}),
        "rotations[0].participants[0].type",
        "'user', 'team'",
    ),
    "user-unknown-username": (
        participants({"type": "user", "username": "eve@example.com"}),
        "rotations[0].participants[0]",
        "No user exists with username [eve@example.com]",
    ),
    "user-unknown-id": (
        participants({"type": "user", "id": "u-1"}),
        "rotations[0].participants[0]",
        "No user exists with id [u-1]",
    ),
    "user-unnamed": (
        participants({"type": "user"}),
        "rotations[0].participants[0]",
        "id or username should be provided",
    ),
    "team-unknown": (
        participants({"type": "team", "name": "qa"}),
        "rotations[0].participants[0]",
        "No team exists with name [qa]",
    ),
    "escalation-unknown": (
        participants({"type": "escalation", "id": "e-1"}),
        "rotations[0].participants[0]",
        "No escalation exists with id [e-1]",
    ),
    "start-date-format": (
        {"rotations": [rotation(startDate="07/01/2030")]},
        "rotations[0].startDate",
        "yyyy-MM-dd'T'HH:mm:ssZ",
    ),
    "start-date-no-offset": (
        {"rotations": [rotation(startDate="2030-01-07T09:00:00")]},
        "rotations[0].startDate",
        "yyyy-MM-dd",
    ),
    "end-before-start": (
        {"rotations": [rotation(endDate="2030-01-07T08:00:00Z")]},
        "rotations[0].endDate",
        "after startDate",
    ),
    "restriction-hour-out-of-range": (
        {
            "rotations": [
                rotation(
                    timeRestriction={
                        "type": "time-of-day",
                        "restriction": {"startHour": 24, "startMin": 0, "endHour": 8, "endMin": 0},
                    }
                )
            ]
        },
        "rotations[0].timeRestriction.restriction.startHour",
        "between 0 and 23",
    ),
    "restriction-min-missing": (
        {
            "rotations": [
                rotation(
                    timeRestriction={
                        "type": "time-of-day",
                        "restriction": {"startHour": 8, "endHour": 9, "endMin": 0},
                    }
                )
            ]
        },
        "rotations[0].timeRestriction.restriction.startMin",
        "should be provided",
    ),
    "time-of-day-without-restriction": (
        {"rotations": [rotation(timeRestriction={"type": "time-of-day"})]},
        "rotations[0].timeRestriction.restriction",
        "should be provided",
    ),
    "restriction-type-invalid": (
        {"rotations": [rotation(timeRestriction={"type": "weekly"})]},
        "rotations[0].timeRestriction.type",
        "'time-of-day' or 'weekday-and-time-of-day'",
    ),
    "weekday-day-missing": (
        {
            "rotations": [
                rotation(
                    timeRestriction={
                        "type": "weekday-and-time-of-day",
                        "restrictions": [
                            {"startHour": 8, "startMin": 0, "endDay": "friday", "endHour": 18, "endMin": 0}
                        ],
                    }
                )
            ]
        },
        "rotations[0].timeRestriction.restrictions[0].startDay",
        "should be provided",
    ),
    "weekday-day-invalid": (
        {
            "rotations": [
                rotation(
                    timeRestriction={
                        "type": "weekday-and-time-of-day",
                        "restrictions": [
                            {
                                "startDay": "funday",
                                "startHour": 8,
                                "startMin": 0,
                                "endDay": "friday",
                                "endHour": 18,
                                "endMin": 0,
                            }
                        ],
                    }
                )
            ]
        },
        "rotations[0].timeRestriction.restrictions[0].startDay",
        "'monday'",
    ),
    "weekday-over-15-restrictions": (
        {
            "rotations": [
                rotation(
                    timeRestriction={
                        "type": "weekday-and-time-of-day",
                        "restrictions": [
                            {
                                "startDay": "monday",
                                "startHour": 8,
                                "startMin": 0,
                                "endDay": "monday",
                                "endHour": 9,
                                "endMin": 0,
                            }
                        ]
                        * 16,
                    }
                )
            ]
        },
        "rotations[0].timeRestriction.restrictions",
        "1 to 15 restrictions",
    ),
}


@pytest.mark.parametrize(("body", "field", "text"), SCHEDULE_422.values(), ids=SCHEDULE_422.keys())
def test_invalid_schedule_fields_are_422(og: Opsgenie, body: dict[str, Any], field: str, text: str) -> None:
    if field != "name":
        body = {"name": "Invalid", **body}
    # rotation(field=None) stands for a rotation without that field.
    if "rotations" in body:
        body["rotations"] = [{k: v for k, v in r.items() if v is not None} for r in body["rotations"]]
    error = assert_error(og.post("/v2/schedules", json=body), 422, NOT_PROCESSABLE)
    assert field in error["errors"], error
    assert text in error["errors"][field]
    assert og.get("/v2/schedules").json()["data"] == []


def test_invalid_patch_is_422_and_changes_nothing(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(description="before")
    response = og.patch(
        f"/v2/schedules/{schedule_id}", json={"description": "after", "timezone": "Nowhere/City"}
    )
    error = assert_error(response, 422, NOT_PROCESSABLE)
    assert error["errors"] == {"timezone": "Invalid timezone [Nowhere/City]"}
    assert og.get(f"/v2/schedules/{schedule_id}").json()["data"]["description"] == "before"


@pytest.mark.lenient  # a query value the OAS refuses: its 422 is for bodies, so strict mode refuses it
def test_invalid_identifier_type_is_422(og: Opsgenie) -> None:
    schedule_id = og.create_schedule()
    response = og.get(f"/v2/schedules/{schedule_id}?identifierType=slug")
    assert_error(response, 422, "Invalid identifierType [slug]: should be one of id, name")


@pytest.mark.lenient  # a query value the OAS refuses: its 422 is for bodies, so strict mode refuses it
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("intervalUnit=years", "Invalid intervalUnit [years]: should be one of days, weeks, months"),
        ("interval=0", "Invalid interval [0]: should be a positive integer"),
        ("interval=two", "Invalid interval [two]: should be a positive integer"),
        ("date=tomorrow", "Invalid date [tomorrow]"),
        # An unescaped "+" arrives as a space (the docs say to escape it as %2B).
        ("date=2030-01-15T08:00:00+02:00", "escape '+' as %2B"),
    ],
    ids=["unit", "interval-zero", "interval-text", "date-text", "date-plus-unescaped"],
)
def test_invalid_timeline_parameters_are_422(og: Opsgenie, query: str, message: str) -> None:
    schedule_id = og.create_schedule()
    error = assert_error(og.get(f"/v2/schedules/{schedule_id}/timeline?{query}"), 422)
    assert message in error["message"]


OVERRIDE_422 = {
    "user-missing": ({"user": None}, "user", "should be provided"),
    "user-is-team": (
        {"user": {"type": "team", "name": "ops_team"}},
        "user.type",
        "should be one of user, none",
    ),
    "user-unknown": (
        {"user": {"type": "user", "username": "eve@example.com"}},
        "user",
        "No user exists with username",
    ),
    "start-missing": ({"startDate": None}, "startDate", "should be provided"),
    "end-before-start": ({"endDate": "2030-01-07T00:00:00Z"}, "endDate", "after startDate"),
    "rotation-unknown": (
        {"rotations": [{"name": "Nope"}]},
        "rotations[0]",
        "No schedule rotation exists with name [Nope]",
    ),
}


@pytest.mark.parametrize(("fields", "field", "text"), OVERRIDE_422.values(), ids=OVERRIDE_422.keys())
def test_invalid_override_fields_are_422(og: Opsgenie, fields: dict[str, Any], field: str, text: str) -> None:
    schedule_id = og.create_schedule(rotations=[rotation()])
    body = {"user": {"type": "user", "username": ALICE["username"]}, "startDate": "2030-01-08T00:00:00Z"}
    body.update({"endDate": "2030-01-09T00:00:00Z", **fields})
    body = {k: v for k, v in body.items() if v is not None}
    error = assert_error(og.post(f"/v2/schedules/{schedule_id}/overrides", json=body), 422, NOT_PROCESSABLE)
    assert text in error["errors"][field]


def test_invalid_rotation_update_is_422(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(rotations=[rotation()])
    rotation_id = og.get(f"/v2/schedules/{schedule_id}/rotations").json()["data"][0]["id"]
    response = og.patch(f"/v2/schedules/{schedule_id}/rotations/{rotation_id}", json={"length": -1})
    error = assert_error(response, 422, NOT_PROCESSABLE)
    assert error["errors"] == {"length": "should be at least 1"}
