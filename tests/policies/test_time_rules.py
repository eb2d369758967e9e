"""The time rules (oncall-coverage, oncall-load, job-rate) as plain functions over resources."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from policies import time_rules
from policies.resources import (
    IMBRACE_SCHEDULER,
    OMNI_SCHEDULE,
    OPSGENIE_OVERRIDE,
    OPSGENIE_ROTATION,
    OPSGENIE_SCHEDULE,
    UNKNOWN,
    Resource,
    Violation,
)
from providers.opsgenie.oncall import predict_timeline
from providers.timewindows import parse_windows
from tests.support.weekly import in_windows

FROM = "2026-12-07T09:00:00+01:00"  # a Monday, 09:00 in Berlin
BERLIN = ZoneInfo("Europe/Berlin")


def user(name: str) -> dict[str, str]:
    return {"type": "user", "username": f"{name}@example.com"}


def weekly_window(start_day: str, start_hour: int, end_day: str, end_hour: int) -> dict[str, Any]:
    return {
        "type": "weekday-and-time-of-day",
        "restrictions": [
            {
                "start_day": start_day,
                "start_hour": start_hour,
                "start_min": 0,
                "end_day": end_day,
                "end_hour": end_hour,
                "end_min": 0,
            }
        ],
    }


WEEKDAYS = {  # Monday 09:00 to Saturday 00:00: nobody from Saturday to Monday morning
    "name": "weekdays",
    "type": "weekly",
    "start_date": "2026-01-05T09:00:00+01:00",
    "participants": [user("alice"), user("bob")],
    "time_restriction": weekly_window("monday", 9, "saturday", 0),
}
WEEKEND = {
    "name": "weekend",
    "type": "weekly",
    "start_date": "2026-01-03T00:00:00+01:00",
    "participants": [user("carol")],
    "time_restriction": weekly_window("saturday", 0, "monday", 9),
}


def schedule(name: str = "gap", **props: Any) -> Resource:
    inputs = {"name": f"{name}-oncall", "timezone": "Europe/Berlin", "owner_team": {"name": "ops"}, **props}
    return Resource(OPSGENIE_SCHEDULE, name, inputs, urn=f"urn:{name}")


def separate(kind: str, resource: str, owner: Resource, **props: Any) -> Resource:
    """A rotation or override declared apart, its ``schedule_id`` the (unknown) id of ``owner``."""
    urn = f"urn:{resource}"
    return Resource(kind, resource, {"schedule_id": UNKNOWN, **props}, urn, {"schedule_id": [owner.urn]})


def en(text: str) -> str:
    """Expected text with ``--`` for the en dash the messages put between a span's ends."""
    return text.replace(" -- ", " \u2013 ")


def only(found: list[Violation]) -> Violation:
    assert len(found) == 1, found
    return found[0]


# ---- oncall-coverage ----------------------------------------------------------------------------
def test_a_weekend_gap_is_named_in_local_time_with_the_uncovered_hours() -> None:
    gap = schedule(rotations=[WEEKDAYS])
    found = only(time_rules.oncall_coverage([gap], {"from": FROM}))
    assert found.urn == "urn:gap" and not found.note
    assert found.message == en(
        "Opsgenie schedule 'gap-oncall' leaves its required hours uncovered: "
        "Sat 2026-12-12 00:00 -- Mon 2026-12-14 09:00 Europe/Berlin; "
        "Sat 2026-12-19 00:00 -- Mon 2026-12-21 09:00 Europe/Berlin; "
        "Sat 2026-12-26 00:00 -- Mon 2026-12-28 09:00 Europe/Berlin and 1 more "
        "(228.0 h uncovered in the 4 weeks from Mon 2026-12-07 09:00)"
    )


def test_the_gap_filled_by_a_separate_rotation_or_override_passes() -> None:
    gap = schedule(rotations=[WEEKDAYS])
    weekend = separate(OPSGENIE_ROTATION, "weekend", gap, **WEEKEND)
    assert time_rules.oncall_coverage([gap, weekend], {"from": FROM}) == []
    override = separate(
        OPSGENIE_OVERRIDE,
        "cover",
        gap,
        user=user("dave"),
        start_date="2026-12-12T00:00:00+01:00",
        end_date="2026-12-14T09:00:00+01:00",
    )
    found = only(time_rules.oncall_coverage([gap, override], {"from": FROM, "horizonWeeks": 2}))
    assert en(
        "Sat 2026-12-19 00:00 -- Mon 2026-12-21 09:00 Europe/Berlin (57.0 h uncovered in the 2 weeks"
    ) in (found.message)
    other = separate(OPSGENIE_ROTATION, "other", schedule("elsewhere"), **WEEKEND)
    assert time_rules.oncall_coverage([gap, other], {"from": FROM}), (
        "another schedule's rotation fills nothing here"
    )


def test_outputs_beside_the_inputs_are_ignored() -> None:
    """At the end of `pulumi up` the stack policies see each resource's outputs as well."""
    outputs = {"participant_ids": ["u1"], "owner_team_id": "t1", "description": UNKNOWN}
    gap = schedule(rotations=[WEEKDAYS], **outputs)
    weekend = separate(OPSGENIE_ROTATION, "weekend", gap, **WEEKEND, id="r1", participant_ids=["u3"])
    assert time_rules.oncall_coverage([gap, weekend], {"from": FROM}) == []


def test_required_hours_are_configured_per_schedule_name() -> None:
    gap = schedule(rotations=[WEEKDAYS])
    office = {
        "schedules": "gap-*",
        "timezone": "Europe/Berlin",
        "windows": [{"days": "mon-fri", "start": "09:00", "end": "18:00"}],
    }
    assert time_rules.oncall_coverage([gap], {"from": FROM, "requiredHours": [office]}) == []
    elsewhere = {**office, "schedules": "network-*"}
    assert time_rules.oncall_coverage([gap], {"from": FROM, "requiredHours": [elsewhere]}), "no match: 24x7"
    by_resource = {
        **office,
        "schedules": "gap",
        "windows": [{"days": "sat", "start": "10:00", "end": "12:00"}],
    }
    found = only(
        time_rules.oncall_coverage([gap], {"from": FROM, "requiredHours": [by_resource], "maxGapsShown": 1})
    )
    assert en("Sat 2026-12-12 10:00 -- Sat 2026-12-12 12:00 Europe/Berlin and 3 more (8.0 h") in found.message


def test_unknown_values_are_skipped_with_a_note_and_bad_definitions_name_the_field() -> None:
    later = schedule("later", rotations=[{**WEEKDAYS, "start_date": UNKNOWN}])
    note = only(time_rules.oncall_coverage([later], {"from": FROM}))
    assert note.note and note.urn == "urn:later"
    assert (
        "Schedule 'later-oncall' skipped: rotations[0].start_date not known yet (judged once known)"
        in note.message
    )
    bare = schedule("bare")
    part = separate(OPSGENIE_ROTATION, "nights", bare, **{**WEEKEND, "participants": [UNKNOWN]})
    assert (
        "nights.participants[0] not known yet" in only(time_rules.oncall_coverage([bare, part], {})).message
    )

    broken = schedule("broken", rotations=[{**WEEKDAYS, "end_date": "2025-01-01T00:00:00Z"}])
    found = only(time_rules.oncall_coverage([broken], {"from": FROM}))
    assert not found.note and "cannot be computed: rotations[0].end_date" in found.message
    bad = {"schedules": "*", "timezone": "Mars/Olympus", "windows": [{"days": "mon"}]}
    found = only(time_rules.oncall_coverage([schedule(rotations=[WEEKDAYS])], {"requiredHours": [bad]}))
    assert "requiredHours[0].timezone: unknown time zone 'Mars/Olympus'" in found.message


# ---- oncall-load --------------------------------------------------------------------------------
def test_load_names_the_participant_the_week_and_the_hours() -> None:
    gap = schedule(rotations=[WEEKDAYS])
    config = {"from": FROM, "maxHoursPerWeek": 60, "maxShiftHours": 100}
    found = [v.message for v in time_rules.oncall_load([gap], config)]
    # The horizon ends Mon 2027-01-04 09:00, so that week (alice's third) is judged too.
    assert found == [
        en(m)
        for m in (
            "Opsgenie schedule 'gap-oncall': alice@example.com is on call 111.0 h in the week of "
            "Mon 2026-12-07 00:00 Europe/Berlin (and 2 other weeks), above maxHoursPerWeek 60",
            "Opsgenie schedule 'gap-oncall': bob@example.com is on call 111.0 h in the week of "
            "Mon 2026-12-14 00:00 Europe/Berlin (and 1 other week), above maxHoursPerWeek 60",
            "Opsgenie schedule 'gap-oncall': alice@example.com has a shift of 111.0 h "
            "(Mon 2026-12-07 09:00 -- Sat 2026-12-12 00:00 Europe/Berlin), above maxShiftHours 100",
            "Opsgenie schedule 'gap-oncall': bob@example.com has a shift of 111.0 h "
            "(Mon 2026-12-14 09:00 -- Sat 2026-12-19 00:00 Europe/Berlin), above maxShiftHours 100",
        )
    ]
    assert time_rules.oncall_load([gap], {"from": FROM, "maxHoursPerWeek": 111, "maxShiftHours": 111}) == []
    assert time_rules.oncall_load([gap], {"from": FROM}) == [], "no limits configured"


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4), st.sampled_from(["hourly", "daily", "weekly"]), st.integers(1, 3), st.integers(1, 400)
)
def test_load_above_a_limit_is_reported_exactly_when_some_week_exceeds_it(
    people: int, kind: str, length: int, limit: int
) -> None:
    rotation = {
        "type": kind,
        "length": length,
        "start_date": "2026-01-05T09:00:00+01:00",
        "participants": [user(f"u{i}") for i in range(people)],
    }
    found = time_rules.oncall_load([schedule(rotations=[rotation])], {"from": FROM, "maxHoursPerWeek": limit})
    # Every hour of a week belongs to one participant: someone has at least 168 / people hours.
    if limit < 168 / people:
        assert found
    if limit >= 169:
        assert found == []
    for violation in found:
        hours = float(violation.message.split(" is on call ")[1].split(" h ")[0])
        assert hours > limit


# ---- job-rate -----------------------------------------------------------------------------------
def scheduler(name: str, **props: Any) -> Resource:
    return Resource(IMBRACE_SCHEDULER, name, {"name": name, "event_type": "x", **props}, f"urn:{name}")


def omni(name: str, cron: Any, **props: Any) -> Resource:
    return Resource(
        OMNI_SCHEDULE,
        name,
        {"schedule_id": "id", "name": name, "schedule": cron, "timezone": "Europe/Berlin", **props},
        f"urn:{name}",
    )


EVERY_5 = {"trigger_frequency_unit": "minutes", "trigger_frequency_value": 5.0}


def test_runs_per_day_are_counted_from_the_horizon_or_the_jobs_later_start() -> None:
    soon = scheduler("soon", **EVERY_5, start_datetime="2026-12-07T12:00:00Z")
    later = scheduler("later", **EVERY_5, start_datetime="2030-01-01T00:00:00Z")
    hourly = scheduler(
        "hourly",
        trigger_frequency_unit="minutes",
        trigger_frequency_value=60,
        start_datetime="2026-12-07T00:00:00Z",
    )
    found = time_rules.job_rate([soon, later, hourly], {"from": FROM, "maxRunsPerDay": 100})
    assert [(v.urn, v.message) for v in found] == [
        (
            "urn:soon",
            "iMBRACE scheduler 'soon' runs 288 times on Tue 2026-12-08 (UTC), above maxRunsPerDay 100",
        ),
        (
            "urn:later",
            "iMBRACE scheduler 'later' runs 288 times on Tue 2030-01-01 (UTC), above maxRunsPerDay 100",
        ),
    ]
    assert (
        time_rules.job_rate([soon, later, hourly, scheduler("off", **EVERY_5, paused=True)], {"from": FROM})
        == []
    )
    weekdays = omni("Orders", "*/10 9-17 ? * 2-6 *")  # 54 deliveries a weekday
    assert (
        "Omni schedule 'Orders' runs 54 times on Mon 2026-12-07 (Europe/Berlin)"
        in only(
            time_rules.job_rate([weekdays], {"from": "2026-12-07T00:00:00+01:00", "maxRunsPerDay": 50})
        ).message
    )


def test_runs_inside_a_freeze_window_are_named() -> None:
    daily = scheduler(
        "digest",
        trigger_frequency_unit="days",
        trigger_frequency_value=1,
        trigger_time="1970-01-01T08:00:00Z",
        start_datetime="2026-01-01T08:00:00Z",
    )
    freezes = [
        {"name": "year end", "start": "2026-12-24T00:00:00+01:00", "end": "2026-12-27T00:00:00+01:00"},
        {
            "name": "sunday maintenance",
            "days": "sun",
            "start": "08:30",
            "end": "10:00",
            "timezone": "Europe/Berlin",
        },
        {"name": "over", "start": "2026-01-01T00:00:00Z", "end": "2026-02-01T00:00:00Z"},
    ]
    found = [v.message for v in time_rules.job_rate([daily], {"from": FROM, "freezeWindows": freezes})]
    assert found == [
        en(m)
        for m in (
            # Midnight in Berlin is 23:00 UTC: shown in the job's zone (iMBRACE: UTC), as no zone is given.
            "iMBRACE scheduler 'digest' runs 3 time(s) inside freeze window 'year end', first at "
            "Thu 2026-12-24 08:00 (Wed 2026-12-23 23:00 -- Sat 2026-12-26 23:00 UTC)",
            # 08:30-10:00 in Berlin holds each Sunday's 08:00 UTC run: four Sundays in the horizon.
            "iMBRACE scheduler 'digest' runs 4 time(s) inside freeze window 'sunday maintenance', first at "
            "Sun 2026-12-13 09:00 (Sun 2026-12-13 08:30 -- Sun 2026-12-13 10:00 Europe/Berlin)",
        )
    ]


def test_unknown_jobs_get_a_note_and_bad_ones_name_the_field() -> None:
    note = only(time_rules.job_rate([omni("Fresh", UNKNOWN)], {"maxRunsPerDay": 1}))
    assert note.note and "Schedule 'Fresh' skipped: schedule not known yet" in note.message
    assert time_rules.job_rate([omni("Paused", "* * * * ? *", paused=True)], {"maxRunsPerDay": 1}) == []
    adopted = Resource(
        OMNI_SCHEDULE, "new", {"schedule_id": "id", "paused": False}, "urn:new"
    )  # a first preview
    assert (
        "schedule (read from Omni when the schedule is adopted) not known yet"
        in only(time_rules.job_rate([adopted], {})).message
    )
    found = only(
        time_rules.job_rate([scheduler("odd", trigger_frequency_unit="hours", trigger_frequency_value=1)], {})
    )
    assert (
        "when iMBRACE scheduler 'odd' runs cannot be computed: trigger_frequency_unit: 'hours'"
        in found.message
    )
    bad = only(
        time_rules.job_rate([], {"freezeWindows": [{"start": "2026-12-24", "end": "2026-12-25T00:00:00Z"}]})
    )
    assert bad.urn == "" and "freezeWindows[0].start: '2026-12-24' has no offset" in bad.message


@pytest.mark.parametrize("rule", [time_rules.oncall_coverage, time_rules.oncall_load, time_rules.job_rate])
def test_a_policy_config_it_cannot_read_is_one_violation_for_the_stack(rule: Any) -> None:
    found = only(rule([schedule(rotations=[WEEKDAYS])], {"from": "next monday"}))
    assert (
        found.urn == ""
        and "the policy config's from: 'next monday' is not an ISO 8601 date-time" in found.message
    )


def test_the_horizon_starts_now_unless_configured() -> None:
    start, end = time_rules.horizon({})
    assert abs(start - datetime.now(UTC)) < timedelta(minutes=1) and end - start == timedelta(weeks=4)
    start, end = time_rules.horizon({"from": FROM, "horizonWeeks": 1.5})
    assert start.astimezone(BERLIN).hour == 9 and end - start == timedelta(hours=252)


@pytest.mark.parametrize("rule", [time_rules.oncall_coverage, time_rules.oncall_load, time_rules.job_rate])
def test_an_empty_stack_has_nothing_to_report(rule: Any) -> None:
    assert rule([], {"maxHoursPerWeek": 1, "maxRunsPerDay": 1}) == []


# ---- oncall-coverage over random schedules and required hours -------------------------------------
HALF_HOUR = timedelta(minutes=30)


@st.composite
def rotations(draw: st.DrawFn) -> dict[str, Any]:
    participants = [user(f"u{i}") for i in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        participants.append({"type": "none"})
    rotation: dict[str, Any] = {
        "type": draw(st.sampled_from(["hourly", "daily", "weekly"])),
        "length": draw(st.integers(1, 3)),
        "start_date": (
            datetime(2026, 1, 5, tzinfo=UTC) + HALF_HOUR * draw(st.integers(0, 48 * 7))
        ).isoformat(),
        "participants": participants,
    }
    if draw(st.booleans()):
        a = draw(st.integers(0, 47))
        b = draw(st.integers(0, 47).filter(lambda b: b != a))  # equal ends: never on call, refused
        clock = {"start_hour": a // 2, "start_min": a % 2 * 30, "end_hour": b // 2, "end_min": b % 2 * 30}
        rotation["time_restriction"] = {"type": "time-of-day", "restriction": clock}
    return rotation


@st.composite
def required_windows(draw: st.DrawFn) -> list[dict[str, Any]]:
    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    out = []
    for _ in range(draw(st.integers(1, 2))):
        a, b = draw(st.integers(0, 47)), draw(st.integers(1, 48))
        chosen = sorted(draw(st.sets(st.sampled_from(days), min_size=1)), key=days.index)
        out.append(
            {
                "days": chosen,
                "start": f"{a // 2:02d}:{a % 2 * 30:02d}",
                "end": f"{b // 2:02d}:{b % 2 * 30:02d}",
            }
        )
    return out


@settings(max_examples=120, deadline=None)
@given(
    st.lists(rotations(), min_size=1, max_size=2),
    st.one_of(st.none(), required_windows()),
    st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"]),
    st.integers(0, 300 * 48),
)
def test_the_uncovered_hours_are_the_required_half_hours_nobody_is_on_call(
    drawn: list[dict[str, Any]], windows: list[dict[str, Any]] | None, tz_name: str, offset: int
) -> None:
    """Checked half hour by half hour: required (read in local time) and not in a predicted period."""
    tz = ZoneInfo(tz_name)
    start = datetime(2026, 1, 1, tzinfo=UTC) + HALF_HOUR * offset
    end = start + timedelta(weeks=1)
    assume(start.astimezone(tz).utcoffset() == end.astimezone(tz).utcoffset())  # no DST change inside
    config: dict[str, Any] = {"from": start.isoformat(), "horizonWeeks": 1, "maxGapsShown": 1}
    if windows is not None:
        config["requiredHours"] = [{"schedules": "*", "windows": windows}]
    props = {"rotations": drawn, "timezone": tz_name}
    found = time_rules.oncall_coverage([schedule(**props)], config)

    periods = [
        (p.start_date, p.end_date)
        for r in predict_timeline({"name": "x", **props}, start, end).rotations
        for p in r.periods
    ]
    required = parse_windows(windows, "w") if windows is not None else time_rules.ALWAYS
    slots = [start + HALF_HOUR * i for i in range(7 * 48)]
    missing = sum(
        1 for slot in slots if in_windows(slot, required, tz) and not any(a <= slot < b for a, b in periods)
    )
    if missing == 0:
        assert found == []
    else:
        reported = re.search(r"\((\d+\.\d) h uncovered in the 1 week from", only(found).message)
        assert reported and float(reported.group(1)) == missing / 2


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 720), st.integers(1, 1500), st.integers(0, 7 * 1440))
def test_runs_per_day_match_a_count_of_every_run(every: int, limit: int, offset: int) -> None:
    """An every-N-minutes scheduler: flagged exactly when its busiest UTC day has more runs than the limit."""
    begins = datetime(2026, 12, 7, tzinfo=UTC) + timedelta(minutes=offset)
    job = scheduler(
        "often",
        trigger_frequency_unit="minutes",
        trigger_frequency_value=every,
        start_datetime=begins.isoformat(),
    )
    found = time_rules.job_rate(
        [job], {"from": begins.isoformat(), "horizonWeeks": 1, "maxRunsPerDay": limit}
    )
    per_day: dict[Any, int] = {}
    for k in range(7 * 1440 // every + 1):
        run = begins + timedelta(minutes=every * k)
        if run < begins + timedelta(weeks=1):
            per_day[run.date()] = per_day.get(run.date(), 0) + 1
    busiest = max(per_day.values())
    if busiest > limit:
        assert f"runs {busiest} times on " in only(found).message
    else:
        assert found == []
