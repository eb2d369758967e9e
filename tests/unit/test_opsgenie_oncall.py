"""The on-call prediction (providers.opsgenie.oncall) on hand-worked examples, one rule each.

Every expected period was worked out by hand from the rotation's rules; none is computed by
the code under test. The property test against the sandbox is tests/sandbox/test_oncall_property.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from providers.opsgenie.models import Timeline, TimelinePeriod, TimelineRecipient, TimelineRotation
from providers.opsgenie.oncall import (
    PredictionError,
    Shift,
    compare,
    gaps,
    hours_by_recipient,
    predict_timeline,
    shifts,
)
from providers.opsgenie.schedule import ScheduleProvider
from providers.opsgenie.schedule_rotation import ScheduleRotationProvider
from tests.support.docs_examples import example
from tests.support.docs_samples import DOCS, all_samples
from tests.support.shared import shared_missing

A, B, C = "alice@example.com", "bob@example.com", "carol@example.com"


def who(*names: str | None) -> list[dict[str, Any]]:
    """Participants: usernames, None for ``none``."""
    return [{"type": "user", "username": n} if n else {"type": "none"} for n in names]


def at(text: str) -> datetime:
    """``"2030-01-07 09:00"`` as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def rotation(**fields: Any) -> dict[str, Any]:
    """A daily rotation from Monday 2030-01-07 09:00Z for Alice and Bob, overridable."""
    return {
        "name": "R",
        "start_date": "2030-01-07T09:00:00Z",
        "type": "daily",
        "participants": who(A, B),
        **fields,
    }


def periods(
    rotations: list[dict[str, Any]], start: str, end: str, tz: str = "UTC", order: int = 1, **kw: Any
) -> list[tuple[str, str, str]]:
    """The predicted periods of one rotation as ``(start, end, who)`` in UTC, ``+override`` marked."""
    timeline = predict_timeline(
        {"name": "S", "timezone": tz, "rotations": rotations}, at(start), at(end), **kw
    )
    return [
        (
            f"{p.start_date:%Y-%m-%d %H:%M}",
            f"{p.end_date:%Y-%m-%d %H:%M}",
            (p.recipient.name or p.recipient.id or "") + ("+override" if p.type == "override" else ""),
        )
        for p in timeline.rotations[order - 1].periods
        if p.recipient is not None
    ]


def time_of_day(sh: int, sm: int, eh: int, em: int) -> dict[str, Any]:
    return {
        "type": "time-of-day",
        "restriction": {"start_hour": sh, "start_min": sm, "end_hour": eh, "end_min": em},
    }


def weekly(*windows: tuple[str, int, int, str, int, int]) -> dict[str, Any]:
    keys = ("start_day", "start_hour", "start_min", "end_day", "end_hour", "end_min")
    return {
        "type": "weekday-and-time-of-day",
        "restrictions": [dict(zip(keys, w, strict=True)) for w in windows],
    }


# ---------------------------------------------------------------- turns


def test_hourly_turns_of_six_hours_with_a_none_turn() -> None:
    rot = rotation(type="hourly", length=6, start_date="2030-01-07T00:00:00Z", participants=who(A, None, B))
    assert periods([rot], "2030-01-07 00:00", "2030-01-08 00:00") == [
        ("2030-01-07 00:00", "2030-01-07 06:00", A),
        ("2030-01-07 12:00", "2030-01-07 18:00", B),  # 06:00-12:00 is the none turn
        ("2030-01-07 18:00", "2030-01-08 00:00", A),
    ]


def test_daily_turns_clipped_to_the_window_and_a_turn_started_long_ago() -> None:
    assert periods([rotation(length=2)], "2030-03-01 12:00", "2030-03-02 12:00") == [
        # 52 days after the start: turn 26 (Alice) until 2030-03-02 09:00, then turn 27 (Bob).
        ("2030-03-01 12:00", "2030-03-02 09:00", A),
        ("2030-03-02 09:00", "2030-03-02 12:00", B),
    ]


def test_weekly_turns_and_the_start_and_end_dates() -> None:
    rot = rotation(type="weekly", start_date="2030-01-08T00:00:00Z", end_date="2030-01-25T00:00:00Z")
    assert periods([rot], "2030-01-01 00:00", "2030-02-01 00:00") == [
        ("2030-01-08 00:00", "2030-01-15 00:00", A),
        ("2030-01-15 00:00", "2030-01-22 00:00", B),
        ("2030-01-22 00:00", "2030-01-25 00:00", A),
    ]


def test_a_single_participant_is_one_period_across_turns() -> None:
    assert periods([rotation(participants=who(C))], "2030-01-07 00:00", "2030-01-10 00:00") == [
        ("2030-01-07 09:00", "2030-01-10 00:00", C)
    ]


def test_team_escalation_and_user_by_id_recipients() -> None:
    parts = [
        {"type": "team", "name": "sre"},
        {"type": "escalation", "name": "esc"},
        {"type": "user", "id": "u-1"},
    ]
    timeline = predict_timeline(
        {"name": "S", "rotations": [rotation(participants=parts)]},
        at("2030-01-07 09:00"),
        at("2030-01-10 09:00"),
    )
    got = [p.recipient for p in timeline.rotations[0].periods]
    assert got == [
        TimelineRecipient(type="team", name="sre"),
        TimelineRecipient(type="escalation", name="esc"),
        TimelineRecipient(type="user", id="u-1"),
    ]
    assert (timeline.rotations[0].name, timeline.rotations[0].order) == ("R", 1)


def test_daily_turns_keep_local_time_across_dst_and_hourly_turns_are_elapsed_hours() -> None:
    # 09:00 Europe/Berlin: 08:00Z in CET, 07:00Z from 2024-03-31 (CEST): a 23-hour turn.
    assert periods(
        [rotation(start_date="2024-03-29T08:00:00Z")], "2024-03-29 08:00", "2024-04-01 07:00", "Europe/Berlin"
    ) == [
        ("2024-03-29 08:00", "2024-03-30 08:00", A),
        ("2024-03-30 08:00", "2024-03-31 07:00", B),
        ("2024-03-31 07:00", "2024-04-01 07:00", A),
    ]
    # 01:30 America/New_York on 2024-11-03 exists twice: the first (EDT, 05:30Z), a 25-hour turn.
    assert periods(
        [rotation(start_date="2024-11-02T05:30:00Z")],
        "2024-11-02 05:30",
        "2024-11-04 06:30",
        "America/New_York",
    ) == [
        ("2024-11-02 05:30", "2024-11-03 05:30", A),
        ("2024-11-03 05:30", "2024-11-04 06:30", B),
    ]
    # Lord Howe moves by 30 minutes (+10:30 → +11:00 on Sunday 2024-10-06 02:00 local).
    assert periods(
        [rotation(start_date="2024-10-04T22:00:00Z")],
        "2024-10-04 22:00",
        "2024-10-06 21:30",
        "Australia/Lord_Howe",
    ) == [
        ("2024-10-04 22:00", "2024-10-05 21:30", A),  # Sat 08:30 +10:30 to Sun 08:30 +11:00: 23.5 hours
        ("2024-10-05 21:30", "2024-10-06 21:30", B),
    ]
    hourly = rotation(type="hourly", length=12, start_date="2024-03-30T20:00:00Z")
    assert periods([hourly], "2024-03-30 20:00", "2024-03-31 20:00", "Europe/Berlin") == [
        ("2024-03-30 20:00", "2024-03-31 08:00", A),
        ("2024-03-31 08:00", "2024-03-31 20:00", B),
    ]


# ---------------------------------------------------------------- time restrictions


def test_time_of_day_restriction_and_one_that_wraps_midnight() -> None:
    rot = rotation(start_date="2030-01-07T00:00:00Z", time_restriction=time_of_day(9, 0, 17, 30))
    assert periods([rot], "2030-01-07 00:00", "2030-01-09 00:00") == [
        ("2030-01-07 09:00", "2030-01-07 17:30", A),
        ("2030-01-08 09:00", "2030-01-08 17:30", B),
    ]
    night = rotation(start_date="2030-01-07T12:00:00Z", time_restriction=time_of_day(18, 0, 8, 0))
    assert periods([night], "2030-01-07 00:00", "2030-01-09 00:00") == [
        ("2030-01-07 18:00", "2030-01-08 08:00", A),
        ("2030-01-08 18:00", "2030-01-09 00:00", B),
    ]


def test_restriction_windows_cut_turns_but_a_recipient_on_both_sides_stays_one_period() -> None:
    rot = rotation(
        type="hourly",
        length=6,
        start_date="2030-01-07T00:00:00Z",
        participants=who(A),
        time_restriction=time_of_day(8, 0, 18, 0),
    )
    assert periods([rot], "2030-01-07 00:00", "2030-01-08 00:00") == [
        ("2030-01-07 08:00", "2030-01-07 18:00", A)
    ]


def test_weekday_restrictions_wrap_the_week_and_overlapping_windows_add_up() -> None:
    tr = weekly(("friday", 18, 0, "monday", 8, 0), ("wednesday", 12, 0, "wednesday", 13, 0))
    rot = rotation(type="weekly", start_date="2030-01-07T08:00:00Z", time_restriction=tr)
    assert periods([rot], "2030-01-07 00:00", "2030-01-21 00:00") == [
        ("2030-01-09 12:00", "2030-01-09 13:00", A),
        ("2030-01-11 18:00", "2030-01-14 08:00", A),
        ("2030-01-16 12:00", "2030-01-16 13:00", B),
        ("2030-01-18 18:00", "2030-01-21 00:00", B),
    ]
    both = weekly(("monday", 10, 0, "monday", 14, 0), ("monday", 12, 0, "monday", 16, 0))
    assert periods(
        [rotation(start_date="2030-01-07T00:00:00Z", time_restriction=both)],
        "2030-01-07 00:00",
        "2030-01-08 00:00",
    ) == [("2030-01-07 10:00", "2030-01-07 16:00", A)]


def test_the_docs_create_schedule_sample_in_kirov_time() -> None:
    # The docs' sample: 6-hour turns of [user, none, user] from Monday 2017-02-06 08:00 Europe/Kirov
    # (UTC+3), on call Mon 08:00 - Tue 18:30 and Wed 08:00 - Thu 18:30 local.
    tr = weekly(("monday", 8, 0, "tuesday", 18, 30), ("wednesday", 8, 0, "thursday", 18, 30))
    rot = rotation(
        type="hourly",
        length=6,
        start_date="2017-02-06T05:00:00Z",
        end_date="2017-02-23T06:00:00Z",
        participants=who(A, None, B),
        time_restriction=tr,
    )
    assert periods([rot], "2017-02-06 05:00", "2017-02-10 05:00", "Europe/Kirov") == [
        ("2017-02-06 05:00", "2017-02-06 11:00", A),  # turn 0
        ("2017-02-06 17:00", "2017-02-06 23:00", B),  # turn 2 (turn 1 is none)
        ("2017-02-06 23:00", "2017-02-07 05:00", A),  # turn 3
        ("2017-02-07 11:00", "2017-02-07 15:30", B),  # turn 5, cut at Tue 18:30 local
        ("2017-02-08 05:00", "2017-02-08 11:00", B),  # turn 8
        ("2017-02-08 11:00", "2017-02-08 17:00", A),  # turn 9
        ("2017-02-08 23:00", "2017-02-09 05:00", B),  # turn 11
        ("2017-02-09 05:00", "2017-02-09 11:00", A),  # turn 12
    ]


def test_restriction_wall_times_a_dst_change_skips_or_repeats() -> None:
    # 02:30-03:30 Berlin does not exist on 2024-03-31: 02:30 reads as 01:30Z (the offset before), as
    # does 03:30 CEST: nothing that day.
    rot = rotation(
        start_date="2024-03-29T00:00:00Z", participants=who(A), time_restriction=time_of_day(2, 30, 3, 30)
    )
    assert periods([rot], "2024-03-29 00:00", "2024-04-02 00:00", "Europe/Berlin") == [
        ("2024-03-29 01:30", "2024-03-29 02:30", A),
        ("2024-03-30 01:30", "2024-03-30 02:30", A),
        ("2024-04-01 00:30", "2024-04-01 01:30", A),
    ]
    # 01:00-01:30 New York happens twice on 2024-11-03: the first time (EDT) counts.
    rot = rotation(
        start_date="2024-11-01T00:00:00Z", participants=who(A), time_restriction=time_of_day(1, 0, 1, 30)
    )
    assert periods([rot], "2024-11-03 00:00", "2024-11-05 00:00", "America/New_York") == [
        ("2024-11-03 05:00", "2024-11-03 05:30", A),
        ("2024-11-04 06:00", "2024-11-04 06:30", A),
    ]


# ---------------------------------------------------------------- overrides


def test_an_override_takes_its_whole_stretch_whatever_the_rotation_says() -> None:
    rot = rotation(
        start_date="2030-01-08T00:00:00Z",
        end_date="2030-01-09T00:00:00Z",
        participants=who(A, None),
        time_restriction=time_of_day(9, 0, 17, 0),
    )
    over = [
        {
            "user": {"type": "user", "username": C},
            "start_date": "2030-01-07T20:00:00Z",
            "end_date": "2030-01-08T10:00:00Z",
        }
    ]
    assert periods([rot], "2030-01-07 00:00", "2030-01-10 00:00", overrides=over) == [
        ("2030-01-07 20:00", "2030-01-08 10:00", C + "+override"),  # before the rotation starts too
        ("2030-01-08 10:00", "2030-01-08 17:00", A),
    ]


def test_a_later_override_wins_and_a_none_override_empties_every_rotation() -> None:
    day, night = rotation(name="Day", participants=who(A)), rotation(name="Night", participants=who(B))
    over = [
        {
            "user": {"type": "user", "username": C},
            "start_date": "2030-01-07T10:00:00Z",
            "end_date": "2030-01-07T12:00:00Z",
            "rotations": [{"name": "Night"}],
        },
        {
            "user": {"type": "none"},
            "start_date": "2030-01-07T11:00:00+00:00",
            "end_date": "2030-01-07T11:30:00Z",
        },
    ]
    kw: dict[str, Any] = {"overrides": over}
    assert periods([day, night], "2030-01-07 09:00", "2030-01-07 13:00", **kw) == [
        ("2030-01-07 09:00", "2030-01-07 11:00", A),
        ("2030-01-07 11:30", "2030-01-07 13:00", A),
    ]
    assert periods([day, night], "2030-01-07 09:00", "2030-01-07 13:00", order=2, **kw) == [
        ("2030-01-07 09:00", "2030-01-07 10:00", B),
        ("2030-01-07 10:00", "2030-01-07 11:00", C + "+override"),
        ("2030-01-07 11:30", "2030-01-07 12:00", C + "+override"),
        ("2030-01-07 12:00", "2030-01-07 13:00", B),
    ]


def test_separate_rotations_follow_the_schedules_and_overrides_name_them_by_id() -> None:
    separate = [{**rotation(name=None, participants=who(B)), "schedule_id": "s-1", "id": "rot-2"}]
    over = [
        {
            "schedule_id": "s-1",
            "user": {"type": "user", "id": "u-c"},
            "start_date": "2030-01-07T10:00:00Z",
            "end_date": "2030-01-07T11:00:00Z",
            "rotations": [{"id": "rot-2"}],
        }
    ]
    timeline = predict_timeline(
        {"name": "S", "rotations": [rotation(participants=who(A))]},
        at("2030-01-07 09:00"),
        at("2030-01-07 12:00"),
        rotations=separate,
        overrides=over,
    )
    assert [(r.id, r.name, r.order) for r in timeline.rotations] == [
        (None, "R", 1),
        ("rot-2", "Rotation 2", 2),
    ]
    assert len(timeline.rotations[0].periods) == 1
    assert [(p.type, p.recipient.id if p.recipient else None) for p in timeline.rotations[1].periods] == [
        ("default", None),
        ("override", "u-c"),
        ("default", None),
    ]


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


# ---------------------------------------------------------------- the docs' timeline sample


def _timeline_sample() -> dict[str, Any]:
    if not DOCS.is_dir():
        shared_missing("the Opsgenie docs are not at ../shared/api-docs (shared material missing)")
    (sample,) = [s for s in all_samples() if s.kind == "response" and "finalTimeline" in str(s.value)]
    return dict(sample.value["data"])


def _rows(rotation: dict[str, Any] | TimelineRotation) -> list[tuple[datetime, datetime, str, str]]:
    items = (
        rotation.periods if isinstance(rotation, TimelineRotation) else TimelineRotation(**rotation).periods
    )
    return sorted({(p.start_date, p.end_date, p.type, p.recipient.id or "") for p in items if p.recipient})


def test_the_docs_timeline_sample_is_reproduced_from_its_schedule() -> None:
    """The Get Schedule Timeline sample, from the closest schedule the docs let us define.

    The sample's base timeline is a daily rotation handing over at 05:30Z from 2017-05-17 and
    ending 2017-05-19 15:30Z, three users in turn; its override timeline one override of
    2017-05-17 14:33Z - 2017-05-18 14:33Z; its final timeline starts at the request's moment
    (14:56:34.603Z). Register, "The docs' own samples": the base lists the override period and
    its last period twice (dropped), and the final names a team for 2017-05-18 14:33 - 2017-05-19
    05:30 where its own base names user 4fb3… (no forwarding covers it): we assert the base's.
    """
    data = _timeline_sample()
    base = data["baseTimeline"]["rotations"][0]
    in_order = sorted((p for p in base["periods"] if p["type"] == "default"), key=lambda p: p["startDate"])
    users = list(dict.fromkeys(p["recipient"]["id"] for p in in_order))  # a951…, 4fb3…, 1f2a… in turn
    (override,) = data["overrideTimeline"]["rotations"][0]["periods"]
    schedule = {
        "name": data["_parent"]["name"],
        "timezone": "Europe/Kirov",  # the List Schedules sample's zone; UTC hand-overs do not depend on it
        "rotations": [
            {
                "name": base["name"],
                "start_date": "2017-05-17T05:30:00Z",
                "end_date": "2017-05-19T15:30:00Z",
                "type": "daily",
                "participants": [{"type": "user", "id": u} for u in users],
            }
        ],
    }
    overrides = [
        {
            "user": {"type": "user", "id": override["recipient"]["id"]},
            "start_date": override["startDate"],
            "end_date": override["endDate"],
        }
    ]
    window = (datetime.fromisoformat(data["startDate"]), datetime.fromisoformat(data["endDate"]))
    predicted_base = predict_timeline(schedule, *window)
    assert _rows(predicted_base.rotations[0]) == [r for r in _rows(base) if r[2] == "default"]
    predicted = predict_timeline(schedule, *window, overrides=overrides)
    assert [r for r in _rows(predicted.rotations[0]) if r[2] == "override"] == _rows(
        data["overrideTimeline"]["rotations"][0]
    )
    final = data["finalTimeline"]["rotations"][0]
    now = datetime.fromisoformat(final["periods"][0]["startDate"])
    from_now = predict_timeline(schedule, now, window[1], overrides=overrides).rotations[0]
    expected = _rows(final)
    expected[1] = (*expected[1][:3], users[1])  # the sample's own base: see the docstring
    assert _rows(from_now) == expected
    assert (from_now.name, from_now.order) == (final["name"], final["order"])
    assert now == datetime(2017, 5, 17, 14, 56, 34, 603000, tzinfo=UTC)
    assert [p.end_date - p.start_date for p in from_now.periods][-1] == timedelta(hours=10)


def test_the_docs_example_runs_and_its_assertions_hold(capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(example("opsgenie.md", "predicted"), "opsgenie.md:predicted", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Mon 08:00Z - Tue 08:00Z alice@example.com"
    assert "Wed 11:00Z - Wed 17:00Z carol@example.com (override)" in printed
