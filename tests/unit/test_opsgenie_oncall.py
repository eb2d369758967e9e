"""The on-call prediction (providers.opsgenie.oncall) on hand-worked examples, one rule each.

Every expected period was worked out by hand from the rotation's rules; none is computed by
the code under test. The bad input, shifts, gaps and compare: test_opsgenie_oncall_use.py; the
property test against the sandbox: tests/sandbox/test_oncall_property.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from providers.opsgenie.models import TimelineRecipient, TimelineRotation
from providers.opsgenie.oncall import predict_timeline
from tests.support.docs_examples import example
from tests.support.docs_samples import DOCS, all_samples
from tests.support.oncall import A, B, C, at, periods, rotation, time_of_day, weekly, who
from tests.support.shared import shared_missing

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
