"""Get Schedule Timeline: rotation arithmetic on hand-worked examples.

Every expected period below was worked out by hand from the rotation's rules;
none is computed by the code under test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from sandbox.opsgenie.timeline import Period, Recipient, Rotation, rotation_periods, time_of_day_windows
from tests.support.opsgenie_oas import (
    ALICE,
    BOB,
    CAROL,
    OAS_WARNINGS,
    Opsgenie,
    docs_weekday_restriction,
    periods,
    rotation,
)

pytestmark = OAS_WARNINGS

A, B, C = ALICE["username"], BOB["username"], CAROL["username"]
USERS = {A: ALICE, B: BOB, C: CAROL}


@pytest.fixture
def og(client: TestClient) -> Opsgenie:
    return Opsgenie(client)


def who(*names: str | None) -> list[dict[str, Any]]:
    """Participants: usernames, None for ``none``."""
    return [{"type": "user", "username": n} if n else {"type": "none"} for n in names]


def timeline(
    og: Opsgenie, timezone: str, rotations: list[dict[str, Any]], query: str, **fields: Any
) -> dict[str, Any]:
    schedule_id = og.create_schedule(timezone=timezone, rotations=rotations, **fields)
    response = og.get(f"/v2/schedules/{schedule_id}/timeline?{query}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_hourly_rotation_of_six_hours_with_none(og: Opsgenie) -> None:
    rot = rotation(type="hourly", length=6, startDate="2030-01-07T00:00:00Z", participants=who(A, None, B))
    body = timeline(og, "UTC", [rot], "date=2030-01-07T00:00:00Z&interval=1&intervalUnit=days")
    assert periods(body) == [
        ("2030-01-07T00:00:00Z", "2030-01-07T06:00:00Z", A),
        # 06:00-12:00 belongs to "none": nobody is on call.
        ("2030-01-07T12:00:00Z", "2030-01-07T18:00:00Z", B),
        ("2030-01-07T18:00:00Z", "2030-01-08T00:00:00Z", A),
    ]
    assert body["data"]["startDate"] == "2030-01-07T00:00:00Z"
    assert body["data"]["endDate"] == "2030-01-08T00:00:00Z"


def test_daily_rotation_of_three_clipped_to_the_window(og: Opsgenie) -> None:
    rot = rotation(startDate="2030-01-07T09:00:00Z", participants=who(A, B, C))
    body = timeline(og, "UTC", [rot], "date=2030-01-07T00:00:00Z&interval=4&intervalUnit=days")
    assert periods(body) == [
        ("2030-01-07T09:00:00Z", "2030-01-08T09:00:00Z", A),
        ("2030-01-08T09:00:00Z", "2030-01-09T09:00:00Z", B),
        ("2030-01-09T09:00:00Z", "2030-01-10T09:00:00Z", C),
        ("2030-01-10T09:00:00Z", "2030-01-11T00:00:00Z", A),
    ]


def test_window_inside_a_turn_started_long_ago(og: Opsgenie) -> None:
    # Two-day turns from 2030-01-07 09:00. 2030-02-28 09:00 is 52 days later: turn 26 (Alice);
    # turn 27 (Bob) starts on 2030-03-02 09:00 and runs to 2030-03-04 09:00.
    rot = rotation(startDate="2030-01-07T09:00:00Z", length=2, participants=who(A, B))
    body = timeline(og, "UTC", [rot], "date=2030-03-01T12:00:00Z&interval=1&intervalUnit=days")
    assert periods(body) == [
        ("2030-03-01T12:00:00Z", "2030-03-02T09:00:00Z", A),
        ("2030-03-02T09:00:00Z", "2030-03-02T12:00:00Z", B),
    ]
    body = timeline(og, "UTC", [rot], "date=2030-03-03T00:00:00Z&interval=1&intervalUnit=days", name="Two")
    assert periods(body) == [("2030-03-03T00:00:00Z", "2030-03-04T00:00:00Z", B)]


def test_weekly_rotation_with_none(og: Opsgenie) -> None:
    rot = rotation(type="weekly", startDate="2030-01-07T08:00:00Z", participants=who(A, None, B))
    body = timeline(og, "UTC", [rot], "date=2030-01-07T08:00:00Z&interval=4&intervalUnit=weeks")
    assert periods(body) == [
        ("2030-01-07T08:00:00Z", "2030-01-14T08:00:00Z", A),
        ("2030-01-21T08:00:00Z", "2030-01-28T08:00:00Z", B),
        ("2030-01-28T08:00:00Z", "2030-02-04T08:00:00Z", A),
    ]


def test_start_and_end_dates_bound_the_rotation(og: Opsgenie) -> None:
    rot = rotation(startDate="2030-01-07T09:00:00Z", endDate="2030-01-09T21:00:00Z", participants=who(A, B))
    body = timeline(og, "UTC", [rot], "date=2030-01-06T00:00:00Z&interval=1&intervalUnit=weeks")
    assert periods(body) == [
        ("2030-01-07T09:00:00Z", "2030-01-08T09:00:00Z", A),
        ("2030-01-08T09:00:00Z", "2030-01-09T09:00:00Z", B),
        ("2030-01-09T09:00:00Z", "2030-01-09T21:00:00Z", A),
    ]
    assert body["data"]["endDate"] == "2030-01-13T00:00:00Z"


def test_time_of_day_restriction(og: Opsgenie) -> None:
    tr = {"type": "time-of-day", "restriction": {"startHour": 9, "startMin": 0, "endHour": 17, "endMin": 30}}
    rot = rotation(startDate="2030-01-07T00:00:00Z", participants=who(A, B), timeRestriction=tr)
    body = timeline(og, "UTC", [rot], "date=2030-01-07T00:00:00Z&interval=3&intervalUnit=days")
    assert periods(body) == [
        ("2030-01-07T09:00:00Z", "2030-01-07T17:30:00Z", A),
        ("2030-01-08T09:00:00Z", "2030-01-08T17:30:00Z", B),
        ("2030-01-09T09:00:00Z", "2030-01-09T17:30:00Z", A),
    ]


def test_overnight_time_of_day_restriction_wraps_midnight(og: Opsgenie) -> None:
    # 18:00 -> 08:00 next morning; the daily hand-over is at 12:00.
    tr = {"type": "time-of-day", "restriction": {"startHour": 18, "startMin": 0, "endHour": 8, "endMin": 0}}
    rot = rotation(startDate="2030-01-07T12:00:00Z", participants=who(A, B), timeRestriction=tr)
    body = timeline(og, "UTC", [rot], "date=2030-01-07T00:00:00Z&interval=2&intervalUnit=days")
    assert periods(body) == [
        ("2030-01-07T18:00:00Z", "2030-01-08T08:00:00Z", A),
        ("2030-01-08T18:00:00Z", "2030-01-09T00:00:00Z", B),
    ]


def test_weekday_restriction_spanning_the_weekend(og: Opsgenie) -> None:
    tr = {
        "type": "weekday-and-time-of-day",
        "restrictions": [
            {
                "startDay": "friday",
                "startHour": 18,
                "startMin": 0,
                "endDay": "monday",
                "endHour": 8,
                "endMin": 0,
            },
            {
                "startDay": "wednesday",
                "startHour": 12,
                "startMin": 0,
                "endDay": "wednesday",
                "endHour": 13,
                "endMin": 0,
            },
        ],
    }
    # 2030-01-07 is a Monday; the weekly hand-over is Monday 08:00.
    rot = rotation(
        type="weekly", startDate="2030-01-07T08:00:00Z", participants=who(A, B), timeRestriction=tr
    )
    body = timeline(og, "UTC", [rot], "date=2030-01-07T00:00:00Z&interval=2&intervalUnit=weeks")
    assert periods(body) == [
        ("2030-01-09T12:00:00Z", "2030-01-09T13:00:00Z", A),
        ("2030-01-11T18:00:00Z", "2030-01-14T08:00:00Z", A),
        ("2030-01-16T12:00:00Z", "2030-01-16T13:00:00Z", B),
        ("2030-01-18T18:00:00Z", "2030-01-21T00:00:00Z", B),
    ]


def test_docs_sample_rotation_in_kirov_time(og: Opsgenie) -> None:
    # The docs' sample: 6-hour turns of [user, none, user] from 2017-02-06T05:00Z (Monday 08:00 in
    # Europe/Kirov, UTC+3), on call Monday 08:00 - Tuesday 18:30 and Wednesday 08:00 - Thursday 18:30
    # local, i.e. Mon 05:00Z - Tue 15:30Z and Wed 05:00Z - Thu 15:30Z.
    tr = docs_weekday_restriction()
    rot = rotation(
        type="hourly",
        length=6,
        startDate="2017-02-06T05:00:00Z",
        endDate="2017-02-23T06:00:00Z",
        participants=who(A, None, B),
        timeRestriction=tr,
    )
    body = timeline(og, "Europe/Kirov", [rot], "date=2017-02-06T05:00:00Z&interval=4&intervalUnit=days")
    assert periods(body) == [
        ("2017-02-06T05:00:00Z", "2017-02-06T11:00:00Z", A),  # turn 0
        ("2017-02-06T17:00:00Z", "2017-02-06T23:00:00Z", B),  # turn 2 (turn 1 is none)
        ("2017-02-06T23:00:00Z", "2017-02-07T05:00:00Z", A),  # turn 3
        ("2017-02-07T11:00:00Z", "2017-02-07T15:30:00Z", B),  # turn 5, cut at Tue 18:30 local
        ("2017-02-08T05:00:00Z", "2017-02-08T11:00:00Z", B),  # turn 8
        ("2017-02-08T11:00:00Z", "2017-02-08T17:00:00Z", A),  # turn 9
        ("2017-02-08T23:00:00Z", "2017-02-09T05:00:00Z", B),  # turn 11
        ("2017-02-09T05:00:00Z", "2017-02-09T11:00:00Z", A),  # turn 12
    ]
    assert body["data"]["startDate"] == "2017-02-06T05:00:00Z"
    assert body["data"]["endDate"] == "2017-02-10T05:00:00Z"


def test_daily_rotation_keeps_local_time_across_dst_in_berlin(og: Opsgenie) -> None:
    # 09:00 Europe/Berlin is 08:00Z in winter (CET) and 07:00Z from 2024-03-31 (CEST).
    rot = rotation(startDate="2024-03-29T08:00:00Z", participants=who(A, B))
    body = timeline(og, "Europe/Berlin", [rot], "date=2024-03-29T00:00:00Z&interval=4&intervalUnit=days")
    assert periods(body) == [
        ("2024-03-29T08:00:00Z", "2024-03-30T08:00:00Z", A),
        ("2024-03-30T08:00:00Z", "2024-03-31T07:00:00Z", B),  # a 23-hour turn
        ("2024-03-31T07:00:00Z", "2024-04-01T07:00:00Z", A),
        ("2024-04-01T07:00:00Z", "2024-04-01T23:00:00Z", B),
    ]
    # Four local days from 01:00 CET end at 01:00 CEST.
    assert body["data"]["endDate"] == "2024-04-01T23:00:00Z"


def test_daily_rotation_keeps_local_time_when_new_york_falls_back(og: Opsgenie) -> None:
    # 09:00 America/New_York is 13:00Z (EDT) until 2024-11-03, then 14:00Z (EST).
    rot = rotation(startDate="2024-11-02T13:00:00Z", participants=who(A, B))
    body = timeline(og, "America/New_York", [rot], "date=2024-11-02T12:00:00Z&interval=3&intervalUnit=days")
    assert periods(body) == [
        ("2024-11-02T13:00:00Z", "2024-11-03T14:00:00Z", A),  # a 25-hour turn
        ("2024-11-03T14:00:00Z", "2024-11-04T14:00:00Z", B),
        ("2024-11-04T14:00:00Z", "2024-11-05T13:00:00Z", A),
    ]


def test_override_replaces_the_recipient_in_its_window(og: Opsgenie) -> None:
    rot = rotation(startDate="2030-01-07T09:00:00Z", participants=who(A, B))
    schedule_id = og.create_schedule(timezone="UTC", rotations=[rot])
    override = {
        "user": {"type": "user", "username": C},
        "startDate": "2030-01-08T12:00:00Z",
        "endDate": "2030-01-09T12:00:00Z",
    }
    assert og.post(f"/v2/schedules/{schedule_id}/overrides", json=override).status_code == 201
    query = "date=2030-01-07T09:00:00Z&interval=3&intervalUnit=days&expand=base,override,forwarding"
    body = og.get(f"/v2/schedules/{schedule_id}/timeline?{query}").json()
    assert periods(body) == [
        ("2030-01-07T09:00:00Z", "2030-01-08T09:00:00Z", A),
        ("2030-01-08T09:00:00Z", "2030-01-08T12:00:00Z", B),
        ("2030-01-08T12:00:00Z", "2030-01-09T12:00:00Z", C),
        ("2030-01-09T12:00:00Z", "2030-01-10T09:00:00Z", A),
    ]
    final = body["data"]["finalTimeline"]["rotations"][0]["periods"]
    assert [p["type"] for p in final] == ["default", "default", "override", "default"]
    assert final[2]["recipient"] == {"id": CAROL["id"], "type": "user", "name": C}
    assert periods(body, "baseTimeline") == [
        ("2030-01-07T09:00:00Z", "2030-01-08T09:00:00Z", A),
        ("2030-01-08T09:00:00Z", "2030-01-09T09:00:00Z", B),
        ("2030-01-09T09:00:00Z", "2030-01-10T09:00:00Z", A),
    ]
    assert periods(body, "overrideTimeline") == [("2030-01-08T12:00:00Z", "2030-01-09T12:00:00Z", C)]
    assert body["data"]["forwardingTimeline"] == {"rotations": []}
    assert body["expandable"] == ["base", "forwarding", "override"]


def test_override_of_one_named_rotation_and_a_none_override(og: Opsgenie) -> None:
    day = rotation(name="Day", startDate="2030-01-07T00:00:00Z", participants=who(A))
    night = rotation(name="Night", startDate="2030-01-07T00:00:00Z", participants=who(B))
    schedule_id = og.create_schedule(timezone="UTC", rotations=[day, night])
    base = f"/v2/schedules/{schedule_id}/overrides"
    dates = {"startDate": "2030-01-07T10:00:00Z", "endDate": "2030-01-07T12:00:00Z"}
    og.post(base, json={"user": {"type": "user", "username": C}, "rotations": [{"name": "Night"}], **dates})
    # A later "none" override empties 11:00-11:30 in every rotation.
    og.post(
        base,
        json={
            "user": {"type": "none"},
            "startDate": "2030-01-07T11:00:00Z",
            "endDate": "2030-01-07T11:30:00Z",
        },
    )
    body = og.get(
        f"/v2/schedules/{schedule_id}/timeline?date=2030-01-07T00:00:00Z&interval=1&intervalUnit=days"
    ).json()
    assert periods(body, order=1) == [
        ("2030-01-07T00:00:00Z", "2030-01-07T11:00:00Z", A),
        ("2030-01-07T11:30:00Z", "2030-01-08T00:00:00Z", A),
    ]
    assert periods(body, order=2) == [
        ("2030-01-07T00:00:00Z", "2030-01-07T10:00:00Z", B),
        ("2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z", C),
        ("2030-01-07T11:30:00Z", "2030-01-07T12:00:00Z", C),
        ("2030-01-07T12:00:00Z", "2030-01-08T00:00:00Z", B),
    ]


def test_team_and_escalation_recipients(og: Opsgenie) -> None:
    participants = [{"type": "team", "name": "sre"}, {"type": "escalation", "name": "ops_team_escalation"}]
    rot = rotation(startDate="2030-01-07T00:00:00Z", participants=participants)
    body = timeline(og, "UTC", [rot], "date=2030-01-07T00:00:00Z&interval=2&intervalUnit=days")
    recipients = [p["recipient"] for p in body["data"]["finalTimeline"]["rotations"][0]["periods"]]
    assert recipients == [
        {"id": "dbee390c-e3eb-47de-8e0f-dc78acfa7ece", "type": "team", "name": "sre"},
        {"id": "2dcf7434-26dd-4885-90d5-93bef62718bf", "type": "escalation", "name": "ops_team_escalation"},
    ]


def test_finished_periods_are_historical(og: Opsgenie) -> None:
    rot = rotation(startDate="2020-01-06T00:00:00Z", participants=who(A))
    body = timeline(og, "UTC", [rot], "date=2020-01-06T00:00:00Z&interval=1&intervalUnit=days&expand=base")
    (final,) = body["data"]["finalTimeline"]["rotations"][0]["periods"]
    assert final["type"] == "historical"
    assert final["flattenedRecipients"] == [{"id": ALICE["id"], "type": "user", "name": A}]
    assert body["data"]["baseTimeline"]["rotations"][0]["periods"][0]["type"] == "default"
    assert "overrideTimeline" not in body["data"]


def test_month_interval_and_by_name(og: Opsgenie) -> None:
    og.create_schedule(name="Monthly", timezone="UTC", rotations=[rotation()])
    query = "identifierType=name&date=2030-01-31T00:00:00Z&interval=1&intervalUnit=months"
    data = og.get(f"/v2/schedules/Monthly/timeline?{query}").json()["data"]
    assert (data["startDate"], data["endDate"]) == ("2030-01-31T00:00:00Z", "2030-02-28T00:00:00Z")
    assert data["_parent"]["name"] == "Monthly"
    assert data["finalTimeline"]["rotations"][0]["order"] == 1


def test_default_window_is_one_week_from_now(og: Opsgenie) -> None:
    schedule_id = og.create_schedule(timezone="UTC", rotations=[rotation()])
    before = datetime.now(UTC)
    data = og.get(f"/v2/schedules/{schedule_id}/timeline").json()["data"]
    start = datetime.fromisoformat(data["startDate"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(data["endDate"].replace("Z", "+00:00"))
    assert before - timedelta(seconds=1) <= start <= datetime.now(UTC)
    assert end - start == timedelta(weeks=1)


def test_date_with_an_escaped_plus_offset(og: Opsgenie) -> None:
    rot = rotation(startDate="2030-01-07T09:00:00Z", participants=who(A))
    body = timeline(og, "UTC", [rot], "date=2030-01-07T12:00:00%2B02:00&interval=1&intervalUnit=days")
    assert body["data"]["startDate"] == "2030-01-07T10:00:00Z"


# ---------------------------------------------------------------- the arithmetic on its own

UTC_ZONE = ZoneInfo("UTC")
ANNA = Recipient("1", "user", "anna")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 1, day, hour, minute, tzinfo=UTC)


def test_equal_start_and_end_restriction_means_all_day() -> None:
    rot = Rotation(at(7, 0), None, "daily", 1, [ANNA], time_of_day_windows((10, 0), (10, 0)))
    assert rotation_periods(rot, UTC_ZONE, at(7, 0), at(9, 0)) == [Period(at(7, 0), at(9, 0), ANNA)]


def test_rotation_without_participants_has_no_periods() -> None:
    assert rotation_periods(Rotation(at(7, 0), None, "hourly", 1, []), UTC_ZONE, at(7, 0), at(8, 0)) == []


def test_hourly_turns_are_elapsed_hours_across_dst() -> None:
    # 12-hour turns from 2024-03-30 20:00Z in Berlin: hand-overs stay 12 real hours apart.
    start = datetime(2024, 3, 30, 20, tzinfo=UTC)
    bob = Recipient("2", "user", "bob")
    rot = Rotation(start, None, "hourly", 12, [ANNA, bob])
    got = rotation_periods(rot, ZoneInfo("Europe/Berlin"), start, start + timedelta(hours=36))
    assert [(p.start.hour, p.end.hour, p.recipient.name) for p in got] == [
        (20, 8, "anna"),
        (8, 20, "bob"),
        (20, 8, "anna"),
    ]
