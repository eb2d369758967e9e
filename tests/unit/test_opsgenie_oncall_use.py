"""The on-call prediction's bad input (at preview too), shifts, gaps, hours and compare.

Expected values worked out by hand; the rules themselves: test_opsgenie_oncall.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from providers.opsgenie.models import Timeline, TimelinePeriod, TimelineRecipient, TimelineRotation
from providers.opsgenie.oncall import (
    PredictionError,
    Shift,
    clip,
    compare,
    gaps,
    hours_by_recipient,
    predict_timeline,
    shifts,
)
from providers.opsgenie.schedule import ScheduleProvider
from providers.opsgenie.schedule_rotation import ScheduleRotationProvider
from tests.support.oncall import A, B, C, at, rotation, time_of_day, weekly, who

# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("schedule", "kw", "field"),
    [
        ({"timezone": "Mars/Olympus"}, {}, "timezone"),
        ({"rotations": [rotation(end_date="2030-01-06T00:00:00Z")]}, {}, "rotations[0].end_date"),
        ({"rotations": [rotation(type="monthly")]}, {}, "rotations[0].type"),
        ({}, {"rotations": [rotation(participants=[])]}, "schedule_rotations[0].participants"),
        (
            {},
            {
                "overrides": [
                    {
                        "user": {"type": "team", "name": "x"},
                        "start_date": "2030-01-07T00:00:00Z",
                        "end_date": "2030-01-08T00:00:00Z",
                    }
                ]
            },
            "overrides[0].user",
        ),
        (
            {"rotations": [rotation()]},
            {
                "overrides": [
                    {
                        "user": {"type": "none"},
                        "start_date": "2030-01-07T00:00:00Z",
                        "end_date": "2030-01-08T00:00:00Z",
                        "rotations": [{"name": "Nope"}],
                    }
                ]
            },
            "overrides[0].rotations[0]",
        ),
    ],
)
def test_bad_definitions_name_the_field(schedule: dict[str, Any], kw: dict[str, Any], field: str) -> None:
    with pytest.raises(PredictionError) as info:
        predict_timeline({"name": "S", **schedule}, at("2030-01-07 00:00"), at("2030-01-08 00:00"), **kw)
    assert info.value.field == field
    assert info.value.reason


@pytest.mark.usefixtures("credentials")  # check() reads the provider settings
def test_a_window_that_is_never_on_call_fails_the_providers_check_naming_it() -> None:
    # 09:00 to 09:10 rounds to 09:00 - 09:00: zero hours, or all day? Refused at preview.
    never = time_of_day(9, 0, 9, 10)
    week = weekly(("monday", 9, 0, "friday", 17, 0), ("sunday", 23, 45, "monday", 0, 0))
    wraps = weekly(("wednesday", 10, 0, "wednesday", 9, 30))  # almost a week: fine
    news = {
        "name": "s",
        "rotations": [
            rotation(time_restriction=never),
            rotation(time_restriction=week),
            rotation(time_restriction=wraps),
        ],
    }
    result = ScheduleProvider().check({}, news)
    assert {f.property: f.reason for f in result.failures} == {
        "rotations[0].time_restriction.restriction": "the window from 09:00 to 09:00 (minutes rounded to "
        ":00/:30) is never on call: end it at another time, or leave out time_restriction to be on call "
        "at all hours",
        "rotations[1].time_restriction.restrictions[1]": "the window from monday 00:00 to monday 00:00 "
        "(minutes rounded to :00/:30) is never on call: end it at another time, or leave out "
        "time_restriction to be on call at all hours",
    }
    separate = {**rotation(time_restriction=never), "schedule_id": "s-1"}
    (failure,) = ScheduleRotationProvider().check({}, separate).failures
    assert failure.property == "time_restriction.restriction"
    with pytest.raises(PredictionError) as info:
        predict_timeline({"name": "S"}, at("2030-01-07 00:00"), at("2030-01-08 00:00"), rotations=[separate])
    assert info.value.field == "schedule_rotations[0].time_restriction.restriction"


@pytest.mark.usefixtures("credentials")
def test_a_rotation_whose_dates_hold_no_window_fails_the_check_naming_it() -> None:
    # Saturday 2024-01-06 09:00 - 21:00 Berlin, restricted to Mon 09:00 - Fri 17:00: never on call.
    weekdays = weekly(("monday", 9, 0, "friday", 17, 0))
    saturday = {"start_date": "2024-01-06T08:00:00Z", "end_date": "2024-01-06T20:00:00Z"}
    friday = {"start_date": "2024-01-05T08:00:00Z", "end_date": "2024-01-05T20:00:00Z"}  # 09:00 - 17:00 open
    news = {
        "name": "s",
        "timezone": "Europe/Berlin",
        "rotations": [
            rotation(**friday, time_restriction=weekdays),
            rotation(**saturday, time_restriction=weekdays),
        ],
    }
    (failure,) = ScheduleProvider().check({}, news).failures
    assert failure.property == "rotations[1].time_restriction"
    assert failure.reason == (
        "no window of the restriction opens between start_date and end_date (Europe/Berlin): "
        "the rotation is never on call"
    )
    # Without a zone (the account's, unknown) or with a long span, nothing is refused.
    assert ScheduleProvider().check({}, {**news, "timezone": None}).failures == []
    long = rotation(
        start_date="2024-01-06T08:00:00Z", end_date="2024-01-16T08:00:00Z", time_restriction=weekdays
    )
    assert ScheduleProvider().check({}, {**news, "rotations": [long]}).failures == []


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(PredictionError, match="before start") as info:
        predict_timeline({"name": "S"}, at("2030-01-08 00:00"), at("2030-01-07 00:00"))
    assert info.value.field == "end"


# ---------------------------------------------------------------- shifts, gaps, hours


def test_shifts_gaps_and_hours() -> None:
    day = rotation(
        name="Day",
        start_date="2030-01-07T00:00:00Z",
        participants=who(A, B),
        time_restriction=time_of_day(9, 0, 17, 0),
    )
    backup = rotation(
        name="Backup",
        start_date="2030-01-07T00:00:00Z",
        participants=who(A),
        time_restriction=time_of_day(16, 0, 18, 0),
    )
    over = [
        {
            "user": {"type": "user", "username": C},
            "start_date": "2030-01-08T12:00:00Z",
            "end_date": "2030-01-08T13:00:00Z",
        }
    ]
    timeline = predict_timeline(
        {"name": "S", "rotations": [day, backup]},
        at("2030-01-07 00:00"),
        at("2030-01-09 00:00"),
        overrides=over,
    )
    assert shifts(timeline) == [
        Shift(at("2030-01-07 09:00"), at("2030-01-07 18:00"), A),  # Day and Backup joined
        Shift(at("2030-01-08 09:00"), at("2030-01-08 12:00"), B),
        Shift(at("2030-01-08 12:00"), at("2030-01-08 13:00"), C, override=True),  # in both rotations
        Shift(at("2030-01-08 13:00"), at("2030-01-08 17:00"), B),
        Shift(at("2030-01-08 16:00"), at("2030-01-08 18:00"), A),
    ]
    assert gaps(timeline, at("2030-01-07 00:00"), at("2030-01-09 00:00")) == [
        (at("2030-01-07 00:00"), at("2030-01-07 09:00")),
        (at("2030-01-07 18:00"), at("2030-01-08 09:00")),
        (at("2030-01-08 18:00"), at("2030-01-09 00:00")),
    ]
    assert hours_by_recipient(timeline, at("2030-01-07 00:00"), at("2030-01-08 12:30")) == {
        A: 9.0,
        B: 3.0,
        C: 0.5,
    }
    assert gaps(Timeline(), at("2030-01-07 00:00"), at("2030-01-07 01:00")) == [
        (at("2030-01-07 00:00"), at("2030-01-07 01:00"))
    ]


# ---------------------------------------------------------------- compare


def _period(start: str, end: str, kind: str = "default", **recipient: Any) -> TimelinePeriod:
    return TimelinePeriod(
        start_date=at(start), end_date=at(end), type=kind, recipient=TimelineRecipient(**recipient)
    )


def test_compare_pairs_rotations_and_periods_and_says_what_differs() -> None:
    predicted = predict_timeline(
        {"name": "S", "rotations": [rotation()]}, at("2030-01-07 09:00"), at("2030-01-09 09:00")
    )
    live = Timeline(
        rotations=[
            TimelineRotation(
                id="r1",
                name="R",
                order=1,
                periods=[
                    _period(
                        "2030-01-07 09:00", "2030-01-08 09:00", "historical", id="id-a", name=A, type="user"
                    ),
                    _period("2030-01-08 09:00", "2030-01-09 09:00", id="id-b", name=B, type="user"),
                ],
            )
        ]
    )
    assert compare(predicted, live) == []
    live.rotations[0].periods[1] = _period(
        "2030-01-08 09:00", "2030-01-09 10:00", id="id-c", name=C, type="user"
    )
    live.rotations.append(TimelineRotation(name="Other", order=2))
    assert compare(predicted, live) == [
        f"rotation 'R', period 2: predicted 2030-01-08 09:00Z - 2030-01-09 09:00Z {B} (default), "
        f"live 2030-01-08 09:00Z - 2030-01-09 10:00Z {C} (default)",
        "rotation 'Other': live, but not predicted",
    ]
    assert compare(predicted, Timeline()) == ["rotation 'R': predicted, but not in the live timeline"]
    short = Timeline(rotations=[TimelineRotation(name="R", order=1, periods=live.rotations[0].periods[:1])])
    assert compare(predicted, short) == [
        f"rotation 'R', period 2: predicted 2030-01-08 09:00Z - 2030-01-09 09:00Z {B} (default), not live"
    ]


def test_compare_names_a_predicted_user_given_by_id_with_the_live_answers_name() -> None:
    predicted = predict_timeline(
        {"name": "S", "rotations": [rotation(participants=[{"type": "user", "id": "id-a"}])]},
        at("2030-01-07 09:00"),
        at("2030-01-08 09:00"),
    )
    live = Timeline(
        rotations=[
            TimelineRotation(
                name="R",
                order=1,
                periods=[_period("2030-01-07 09:00", "2030-01-08 09:00", id="id-b", name=B, type="user")],
            )
        ]
    )
    assert compare(predicted, live) == [
        f"rotation 'R', period 1: predicted 2030-01-07 09:00Z - 2030-01-08 09:00Z id-a (default), "
        f"live 2030-01-07 09:00Z - 2030-01-08 09:00Z {B} (default)"
    ]
    live.rotations[0].periods[0].recipient = TimelineRecipient(id="id-a", name=A, type="user")
    assert compare(predicted, live) == []


def test_clip_cuts_both_sides_to_one_window_before_comparing() -> None:
    predicted = predict_timeline(
        {"name": "S", "rotations": [rotation()]}, at("2030-01-07 09:00"), at("2030-01-10 09:00")
    )
    # A live answer that starts at its request's moment, 2030-01-08 12:00.
    live = Timeline(
        rotations=[
            TimelineRotation(
                name="R",
                order=1,
                periods=[
                    _period("2030-01-08 12:00", "2030-01-09 09:00", name=B, type="user"),
                    _period("2030-01-09 09:00", "2030-01-10 09:00", name=A, type="user"),
                ],
            )
        ]
    )
    assert len(compare(predicted, live)) == 3
    now, end = at("2030-01-08 12:00"), at("2030-01-09 12:00")
    assert compare(clip(predicted, now, end), clip(live, now, end)) == []
    assert [(p.start_date, p.end_date) for p in clip(predicted, now, end).rotations[0].periods] == [
        (now, at("2030-01-09 09:00")),
        (at("2030-01-09 09:00"), end),
    ]
    assert predicted.rotations[0].periods[0].start_date == at("2030-01-07 09:00")  # not changed in place


def test_a_states_outputs_beside_the_inputs_are_ignored() -> None:
    """The policies and `stacks impact` pass what a state holds: inputs, outputs, `__provider`."""
    schedule = {
        "name": "S",
        "rotations": [{**rotation(participants=who(A)), "id": "r-1"}],
        "id": "s-1",
        "rotation_ids": ["r-1"],
        "owner_team_id": "t-1",
        "__provider": "opaque",
    }
    over = {
        "user": {"type": "user", "username": B},
        "start_date": "2030-01-07T10:00:00Z",
        "end_date": "2030-01-07T11:00:00Z",
        "rotations": [{"id": "r-1"}],
        "schedule_id": None,
        "id": "s-1_o",
    }
    separate = {
        **rotation(name="Other", participants=who(C)),
        "schedule_id": None,
        "id": "r-2",
        "__provider": "x",
    }
    timeline = predict_timeline(
        schedule, at("2030-01-07 09:00"), at("2030-01-07 12:00"), rotations=[separate], overrides=[over]
    )
    assert [
        [(p.recipient.name if p.recipient else None, p.type) for p in r.periods] for r in timeline.rotations
    ] == [
        [(A, "default"), (B, "override"), (A, "default")],
        [(C, "default")],
    ]
