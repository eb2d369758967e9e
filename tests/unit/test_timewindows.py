"""providers.timewindows: weekly windows, calendar weeks and spans in local time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from providers.timewindows import (
    EN_DASH,
    WeeklyWindow,
    WindowError,
    describe,
    hours,
    job_runs,
    occurrences,
    parse_windows,
    utc_instant,
    weeks,
    zone,
)
from tests.support.weekly import in_windows

BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def shown(span: tuple[datetime, datetime]) -> str:
    """``describe`` in Berlin, its en dash written ``--``."""
    return describe(span, BERLIN).replace(EN_DASH, "--")


def test_business_hours_over_a_weekend_in_local_time() -> None:
    windows = parse_windows([{"days": "mon-fri", "start": "09:00", "end": "18:00"}], "w")
    spans = occurrences(windows, BERLIN, at("2026-12-11T00:00+01:00"), at("2026-12-15T00:00+01:00"))
    assert [shown(s) for s in spans] == [
        "Fri 2026-12-11 09:00 -- Fri 2026-12-11 18:00 Europe/Berlin",
        "Mon 2026-12-14 09:00 -- Mon 2026-12-14 18:00 Europe/Berlin",
    ]


def test_a_night_window_ends_the_next_day_and_is_clipped_to_the_range() -> None:
    nights = parse_windows([{"days": "sat,sun", "start": "18:00", "end": "08:00"}], "w")
    spans = occurrences(nights, BERLIN, at("2026-12-12T00:00+01:00"), at("2026-12-14T06:00+01:00"))
    assert [shown(s) for s in spans] == [
        "Sat 2026-12-12 18:00 -- Sun 2026-12-13 08:00 Europe/Berlin",
        "Sun 2026-12-13 18:00 -- Mon 2026-12-14 06:00 Europe/Berlin",
    ]
    whole = parse_windows([{"days": "fri-mon", "start": "00:00", "end": "24:00"}], "w")
    assert whole == [WeeklyWindow(frozenset({4, 5, 6, 0}), 0, 1440)]
    assert parse_windows([{"days": "daily", "start": "09:00", "end": "09:00"}], "w")[0].end == 540  # 24 h


def test_windows_keep_local_wall_time_across_dst() -> None:
    daily = parse_windows([{"days": "daily", "start": "09:00", "end": "18:00"}], "w")
    spans = occurrences(daily, BERLIN, at("2026-03-28T00:00+01:00"), at("2026-03-30T00:00+02:00"))
    assert [s[0].astimezone(BERLIN).strftime("%H:%M %z") for s in spans] == ["09:00 +0100", "09:00 +0200"]
    nights = parse_windows([{"days": "sat", "start": "00:00", "end": "24:00"}], "w")
    assert (
        hours(occurrences(nights, BERLIN, at("2026-10-24T00:00+02:00"), at("2026-10-27T00:00+01:00"))) == 24
    )
    sundays = parse_windows([{"days": "sun"}], "w")  # the day the clocks go back lasts 25 hours
    assert (
        hours(occurrences(sundays, BERLIN, at("2026-10-24T00:00+02:00"), at("2026-10-27T00:00+01:00"))) == 25
    )


def test_weeks_are_local_calendar_weeks() -> None:
    found = weeks(BERLIN, at("2026-03-25T12:00+01:00"), 2)
    assert [shown(w) for w in found] == [
        "Mon 2026-03-23 00:00 -- Mon 2026-03-30 00:00 Europe/Berlin",
        "Mon 2026-03-30 00:00 -- Mon 2026-04-06 00:00 Europe/Berlin",
    ]
    assert hours([found[0]]) == 167  # the clocks went forward that Sunday


@pytest.mark.parametrize(
    ("raw", "field", "reason"),
    [
        ([], "w", "expected a list of windows"),
        ("mon-fri", "w", "expected a list of windows"),
        ([{"days": "weekdays"}], "w[0].days", "days are mon … sun"),
        ([{"days": "mon", "start": "9"}], "w[0].start", "not a time of day"),
        ([{"days": "mon", "end": "24:30"}], "w[0].end", "not a time of day"),
        (["mon"], "w[0]", "expected {days, start, end}"),
    ],
)
def test_bad_windows_name_the_field(raw: object, field: str, reason: str) -> None:
    with pytest.raises(WindowError) as err:
        parse_windows(raw, "w")
    assert err.value.field == field and reason in err.value.reason


def test_zones_and_instants_name_the_field() -> None:
    with pytest.raises(WindowError, match=r"requiredHours.0..timezone: unknown time zone 'Mars/Olympus'"):
        zone("Mars/Olympus", "requiredHours[0].timezone")
    with pytest.raises(WindowError, match="from: '2026-12-24' has no offset"):
        utc_instant("2026-12-24", "from")
    with pytest.raises(WindowError, match="not an ISO 8601"):
        utc_instant("Christmas", "from")
    assert utc_instant("2026-12-24T00:00:00+01:00", "from") == datetime(2026, 12, 23, 23, tzinfo=UTC)


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sets(st.sampled_from(DAYS), min_size=1), st.integers(0, 47), st.integers(1, 48)),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]),
    st.integers(0, 366 * 48),
    st.integers(1, 21 * 48),
)
def test_occurrences_are_the_half_hours_whose_local_day_and_time_a_window_names(
    raw: list[tuple[set[str], int, int]], tz_name: str, offset: int, length: int
) -> None:
    """Checked half hour by half hour against the windows read directly in local time."""
    tz = ZoneInfo(tz_name)
    config = [
        {
            "days": sorted(days),
            "start": f"{a // 2:02d}:{a % 2 * 30:02d}",
            "end": f"{b // 2:02d}:{b % 2 * 30:02d}",
        }
        for days, a, b in raw
    ]
    windows = parse_windows(config, "w")
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=30 * offset)
    end = start + timedelta(minutes=30 * length)
    spans = occurrences(windows, tz, start, end)

    # Lord Howe's half-hour DST shift and the fold=0 reading of skipped wall times move a few
    # window edges by the change; away from a change, every half hour agrees.
    moment = start
    while moment < end:
        local_now, local_next = moment.astimezone(tz), (moment + timedelta(minutes=30)).astimezone(tz)
        if (
            local_now.utcoffset()
            == local_next.utcoffset()
            == (moment - timedelta(hours=3)).astimezone(tz).utcoffset()
        ):
            assert any(a <= moment < b for a, b in spans) == in_windows(moment, windows, tz), moment
        moment += timedelta(minutes=30)
    assert all(start <= a < b <= end for a, b in spans)


# ---- job_runs: the one reading of when a job runs (policies and stacks both call it) -------------
CRON = "*/30 9-10 ? * MON-FRI *"  # four runs each weekday morning


@pytest.mark.parametrize("paused", [None, False])
def test_job_runs_of_an_omni_schedule_are_its_crons_runs_in_its_zone(paused: bool | None) -> None:
    props = {"schedule": CRON, "timezone": "Europe/Berlin", "paused": paused}
    runs = job_runs("omni", props, at("2026-12-07T00:00:00+01:00"), at("2026-12-14T00:00:00+01:00"))
    assert len(runs) == 20 and {r.utcoffset() for r in runs} == {timedelta(hours=1)}
    assert runs[0] == at("2026-12-07T09:00:00+01:00") and runs == sorted(runs)
    assert job_runs("omni", props, runs[0], runs[-1], limit=3) == runs[:3]


@pytest.mark.parametrize("props", [{"schedule": CRON, "paused": True}, {"schedule": None}, {"schedule": ""}])
def test_a_paused_omni_schedule_or_one_without_a_cron_runs_never(props: dict[str, Any]) -> None:
    assert job_runs("omni", props, at("2026-12-07T00:00:00Z"), at("2027-12-07T00:00:00Z")) == []


def test_job_runs_of_an_imbrace_scheduler_are_its_firings_in_utc() -> None:
    every_day = {
        "trigger_frequency_unit": "days",
        "trigger_frequency_value": 1,
        "trigger_time": "1970-01-01T08:00:00Z",
        "start_datetime": "2026-01-01T08:00:00Z",
    }
    runs = job_runs("imbrace", every_day, at("2026-12-07T00:00:00Z"), at("2026-12-10T00:00:00Z"))
    assert runs == [at(f"2026-12-0{d}T08:00:00Z") for d in (7, 8, 9)]
    assert job_runs("imbrace", {**every_day, "paused": True}, runs[0], runs[-1]) == []
