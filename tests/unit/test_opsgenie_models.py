"""Opsgenie inputs: validation at check time (one failure per bad field), normalisation, mapping."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from providers.core import UNKNOWN
from providers.opsgenie.mapping import align_ref
from providers.opsgenie.models import (
    ScheduleOverrideInputs,
    ScheduleRecord,
    TimeRestriction,
    override_date,
    rotation_date,
)
from providers.opsgenie.schedule import ScheduleProvider, schedule_live
from providers.opsgenie.schedule_override import ScheduleOverrideProvider
from providers.opsgenie.schedule_rotation import ScheduleRotationProvider

pytestmark = pytest.mark.usefixtures("credentials")  # check() reads the provider settings
ALICE_ID = "6bc13753-1a48-4ed3-84fd-7b16feb856c0"


def rotation(**extra: Any) -> dict[str, Any]:
    return {
        "start_date": "2024-01-01T09:00:00Z",
        "type": "weekly",
        "participants": [{"type": "user", "username": "alice@example.com"}],
        **extra,
    }


def failures(provider: Any, news: dict[str, Any]) -> dict[str, str]:
    result = provider.check({}, news)
    return {f.property: f.reason for f in result.failures}


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("news", "path", "words"),
    [
        ({"name": ""}, "name", "blank"),
        ({"name": "x" * 101}, "name", "at most 100"),
        ({"name": "s", "description": "d" * 201}, "description", "at most 200"),
        ({"name": "s", "timezone": "Mars/Olympus"}, "timezone", "unknown time zone 'Mars/Olympus'"),
        ({"name": "s", "enabled": "maybe"}, "enabled", "boolean"),
        ({"name": "s", "owner_team": {}}, "owner_team", "give id or name"),
        ({"name": "s", "rotations": []}, "rotations", "at least 1"),
        ({"name": "s", "rotations": [rotation(type="monthly")]}, "rotations[0].type", "'hourly'"),
        (
            {"name": "s", "rotations": [rotation(length=0)]},
            "rotations[0].length",
            "greater than or equal to 1",
        ),
        (
            {"name": "s", "rotations": [rotation(start_date="tomorrow")]},
            "rotations[0].start_date",
            "ISO 8601",
        ),
        (
            {"name": "s", "rotations": [rotation(start_date="2024-01-01T09:00:00")]},
            "rotations[0].start_date",
            "no UTC offset",
        ),
        (
            {"name": "s", "rotations": [rotation(end_date="2023-12-31T00:00:00Z")]},
            "rotations[0].end_date",
            "should be after start_date",
        ),
        ({"name": "s", "rotations": [rotation(participants=[])]}, "rotations[0].participants", "at least 1"),
        (
            {"name": "s", "rotations": [rotation(participants=[{"type": "user"}])]},
            "rotations[0].participants[0]",
            "needs id or username",
        ),
        (
            {
                "name": "s",
                "rotations": [rotation(participants=[{"type": "team", "username": "x", "id": "1"}])],
            },
            "rotations[0].participants[0]",
            "not username",
        ),
        (
            {"name": "s", "rotations": [rotation(participants=[{"type": "none", "id": "1"}])]},
            "rotations[0].participants[0]",
            "takes no id",
        ),
        (
            {"name": "s", "rotations": [rotation(participants=[{"type": "schedule", "id": "1"}])]},
            "rotations[0].participants[0].type",
            "'escalation'",
        ),
        (
            {"name": "s", "rotations": [rotation(time_restriction={"type": "time-of-day"})]},
            "rotations[0].time_restriction",
            "needs 'restriction'",
        ),
        (
            {"name": "s", "rotations": [rotation(time_restriction={"type": "weekday-and-time-of-day"})]},
            "rotations[0].time_restriction",
            "1 to 15",
        ),
        (
            {
                "name": "s",
                "rotations": [
                    rotation(
                        time_restriction={
                            "type": "time-of-day",
                            "restriction": {"start_hour": 24, "start_min": 0, "end_hour": 8, "end_min": 0},
                        }
                    )
                ],
            },
            "rotations[0].time_restriction.restriction.start_hour",
            "less than or equal to 23",
        ),
        ({"name": "s", "colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_each_bad_schedule_field_is_named(news: dict[str, Any], path: str, words: str) -> None:
    found = failures(ScheduleProvider(), news)
    assert path in found, found
    assert words in found[path]


def test_all_bad_fields_are_reported_together() -> None:
    found = failures(
        ScheduleProvider(), {"name": "", "timezone": "Nowhere", "rotations": [rotation(length=0)]}
    )
    assert set(found) == {"name", "timezone", "rotations[0].length"}


def test_rotation_and_override_failures() -> None:
    assert set(failures(ScheduleRotationProvider(), {"type": "daily", "participants": []})) == {
        "start_date",
        "participants",
        "schedule_id",
    }
    found = failures(
        ScheduleOverrideProvider(),
        {
            "schedule_id": "s",
            "alias": "a",
            "user": {"type": "team", "name": "ops_team"},
            "start_date": "2024-01-02T00:00:00Z",
            "end_date": "2024-01-01T00:00:00Z",
            "rotations": [{}],
        },
    )
    assert set(found) == {"user", "end_date", "rotations[0]"}
    assert "'user' or 'none'" in found["user"]


@pytest.mark.parametrize("unknown", [Unknown(), UNKNOWN], ids=["deserialized", "wire"])
def test_unknown_values_are_not_judged_at_preview(unknown: object) -> None:
    # At preview, another resource's id reaches check() as pulumi.output.Unknown.
    result = ScheduleRotationProvider().check({}, {"schedule_id": unknown, **rotation()})
    assert result.failures == []
    result = ScheduleRotationProvider().check({}, {"schedule_id": unknown, **rotation(type="yearly")})
    assert [f.property for f in result.failures] == ["type"]  # known values still are


# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2024-01-01T09:00:00+02:00", "2024-01-01T07:00:00Z"),  # an offset is the same instant in UTC
        ("2024-01-01T07:00:00Z", "2024-01-01T07:00:00Z"),
        ("2024-01-01T09:00:00+0200", "2024-01-01T07:00:00Z"),  # the docs' Java-style offset
        ("2024-01-01T07:14:59Z", "2024-01-01T07:00:00Z"),  # seconds dropped first
        ("2024-01-01T07:15:00Z", "2024-01-01T07:30:00Z"),  # a tie goes up (the sandbox's choice)
        ("2024-01-01T07:44:00Z", "2024-01-01T07:30:00Z"),
        ("2024-01-01T07:45:00Z", "2024-01-01T08:00:00Z"),
        ("2024-12-31T23:50:00Z", "2025-01-01T00:00:00Z"),  # carried into the next day and year
    ],
)
def test_rotation_dates_are_utc_rounded_to_half_hours(given: str, stored: str) -> None:
    assert rotation_date(given) == stored
    assert rotation_date(stored) == stored  # idempotent: a stored value reads back unchanged


def test_override_dates_are_utc_to_the_second() -> None:
    assert override_date("2024-01-01T10:15:30.250+01:00") == "2024-01-01T09:15:30Z"


def test_restriction_minutes_round_and_carry_the_day() -> None:
    daily = TimeRestriction.model_validate(
        {
            "type": "time-of-day",
            "restriction": {"start_hour": 8, "start_min": 15, "end_hour": 23, "end_min": 45},
        }
    )
    assert daily.restriction is not None
    assert (daily.restriction.start_hour, daily.restriction.start_min) == (8, 30)
    assert (daily.restriction.end_hour, daily.restriction.end_min) == (0, 0)
    weekly = TimeRestriction.model_validate(
        {
            "type": "weekday-and-time-of-day",
            "restrictions": [
                {
                    "start_day": "sunday",
                    "start_hour": 23,
                    "start_min": 50,
                    "end_day": "monday",
                    "end_hour": 8,
                    "end_min": 14,
                }
            ],
        }
    )
    assert weekly.restrictions is not None
    (window,) = weekly.restrictions
    assert (window.start_day, window.start_hour, window.start_min) == ("monday", 0, 0)
    assert (window.end_day, window.end_hour, window.end_min) == ("monday", 8, 0)


def test_time_of_day_in_the_docs_list_form_reads_as_restriction() -> None:
    # The docs' Get Schedule sample answers time-of-day with a one-item `restrictions` list.
    tr = TimeRestriction.model_validate(
        {
            "type": "time-of-day",
            "restrictions": [{"startHour": 8, "endHour": 18, "startMin": 0, "endMin": 30}],
        }
    )
    assert tr.restrictions is None and tr.restriction is not None
    assert tr.restriction.end_min == 30


def test_check_returns_normalised_inputs_so_the_next_diff_is_empty() -> None:
    provider = ScheduleProvider()
    written = {"name": "s", "rotations": [rotation(start_date="2024-01-01T10:20:00+01:00")]}
    checked = provider.check({}, written).inputs
    assert checked["rotations"][0]["start_date"] == "2024-01-01T09:30:00Z"
    assert checked["rotations"][0]["length"] == 1
    assert not provider.diff("id", checked, provider.check({}, written).inputs).changes
    moved = provider.check({}, {**written, "description": "new"}).inputs
    diff = provider.diff("id", checked, moved)
    assert diff.changes and diff.replaces == [] and "description" not in (diff.stables or [])


# ---------------------------------------------------------------- mapping


def test_record_reads_back_as_the_program_wrote_it() -> None:
    record = ScheduleRecord.model_validate(
        {
            "id": "s1",
            "name": "s",
            "timezone": "America/New_York",
            "enabled": True,
            "ownerTeam": {"id": "t1", "name": "ops_team"},
            "rotations": [
                {
                    "id": "r1",
                    "name": "Rotation 1",
                    "startDate": "2024-01-01T09:00:00Z",
                    "type": "weekly",
                    "length": 1,
                    "participants": [{"type": "user", "id": ALICE_ID, "username": "alice@example.com"}],
                }
            ],
        }
    )
    live = schedule_live(record)
    assert live[1] == {
        "rotation_ids": ["r1"],
        "participant_ids": [[ALICE_ID]],
        "owner_team_id": "t1",
        "owner_team_name": "ops_team",
    }
    reference = {"name": "s", "owner_team": {"id": "t1"}, "rotations": [rotation()]}
    inputs, outputs = ScheduleProvider().align_live(live, reference)
    assert inputs == {
        "name": "s",
        "owner_team": {"id": "t1"},
        "rotations": [
            {
                "start_date": "2024-01-01T09:00:00Z",
                "type": "weekly",
                "length": 1,
                "participants": [{"type": "user", "username": "alice@example.com"}],
            }
        ],
    }
    assert outputs == live[1]
    # Not managed: no time zone, enabled flag, owner team or rotations, so none of them can drift.
    inputs, outputs = ScheduleProvider().align_live(live, {"name": "s"})
    assert inputs == {"name": "s"}
    assert outputs == {
        "rotation_ids": [],
        "participant_ids": [],
        "owner_team_id": None,
        "owner_team_name": None,
    }


def test_a_changed_reference_still_shows_as_drift() -> None:
    bob = {"type": "user", "id": "b1", "username": "bob@example.com"}
    assert align_ref(bob, {"type": "user", "username": "alice@example.com"}) == {
        "type": "user",
        "username": "bob@example.com",
    }
    team = {"type": "team", "id": "t1", "name": "ops_team"}
    assert align_ref(team, {"type": "user", "username": "alice@example.com"}) == team


def test_an_empty_override_rotation_list_means_all() -> None:
    override = ScheduleOverrideInputs.model_validate(
        {
            "schedule_id": "s",
            "user": {"type": "none"},
            "start_date": "2024-01-01T00:00:00Z",
            "end_date": "2024-01-02T00:00:00Z",
            "rotations": [],
        }
    )
    assert override.rotations is None
