"""providers.imbrace.firings: when a scheduler fires, from its definition (the docs' samples, each
unit and trigger field, and properties over random schedulers)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from providers.imbrace.firings import FiringError, next_firings
from tests.support.docs_examples import example


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_docs_list_sample_fires_daily_at_its_trigger_time_from_the_day_after_its_start() -> None:
    # "Get User Schedulers": days/1, trigger 01:00, start 2024-04-29T01:30 (after that day's 01:00).
    sample = {
        "trigger_frequency_unit": "days",
        "trigger_frequency_value": 1,
        "trigger_time": "2024-04-29T01:00:00.000Z",
        "start_datetime": "2024-04-29T01:30:00.000Z",
    }
    assert next_firings(sample, at("2024-04-01T00:00Z"), at("2024-05-02T00:00Z")) == [
        at("2024-04-30T01:00Z"),
        at("2024-05-01T01:00Z"),
    ]


def test_the_docs_create_sample_fires_yearly_on_its_month_and_day() -> None:
    sample = {
        "type": "recurring",
        "trigger_frequency_unit": "years",
        "trigger_frequency_value": 1,
        "trigger_month_and_day": "1969-12-31T16:32:00.000Z",
        "trigger_time": "1969-12-31T16:00:00.000Z",
        "start_datetime": "2024-09-11T14:35:00.000Z",
    }
    assert next_firings(sample, at("2020-01-01T00:00Z"), at("2027-01-01T00:00Z")) == [
        at("2024-12-31T16:00Z"),
        at("2025-12-31T16:00Z"),
        at("2026-12-31T16:00Z"),
    ]


def test_the_docs_files_sample_fires_every_30_minutes_from_its_exact_start() -> None:
    sample = {
        "trigger_frequency_unit": "minutes",
        "trigger_frequency_value": 30.0,
    }  # a float, as policies see it
    sample["start_datetime"] = "2024-10-16T17:30:15.463Z"
    assert next_firings(sample, at("2024-10-16T17:00Z"), at("2024-10-16T18:45Z")) == [
        at("2024-10-16T17:30:15.463Z"),
        at("2024-10-16T18:00:15.463Z"),
        at("2024-10-16T18:30:15.463Z"),
    ]


def test_a_one_time_scheduler_fires_once_at_its_start_and_a_paused_one_never() -> None:
    once = {
        "type": "non_recurring",
        "one_time_schedule_type": "exact",
        "start_datetime": "2024-10-16T14:45:15Z",
    }
    assert next_firings(once, at("2024-01-01T00:00Z"), at("2025-01-01T00:00Z")) == [
        at("2024-10-16T14:45:15Z")
    ]
    assert next_firings(once, at("2024-10-16T14:45:16Z"), at("2025-01-01T00:00Z")) == []
    daily = {
        "trigger_frequency_unit": "days",
        "trigger_frequency_value": 1,
        "start_datetime": "2024-01-01T09:00Z",
    }
    assert len(next_firings(daily, at("2024-01-01T00:00Z"), at("2024-01-08T00:00Z"))) == 7
    assert next_firings({**daily, "paused": True}, at("2024-01-01T00:00Z"), at("2024-01-08T00:00Z")) == []


def test_weeks_fire_on_the_day_of_week_counting_from_sunday() -> None:
    every_other_monday = {
        "trigger_frequency_unit": "weeks",
        "trigger_frequency_value": 2,
        "trigger_day_of_week": 1,
        "trigger_time": "1970-01-01T09:00:00Z",
        "start_datetime": "2025-01-01T00:00:00Z",  # a Wednesday
    }
    assert next_firings(every_other_monday, at("2025-01-01T00:00Z"), at("2025-02-10T00:00Z")) == [
        at("2025-01-06T09:00Z"),
        at("2025-01-20T09:00Z"),
        at("2025-02-03T09:00Z"),
    ]
    sunday = {**every_other_monday, "trigger_day_of_week": 0, "trigger_frequency_value": 1}
    assert next_firings(sunday, at("2025-01-01T00:00Z"), at("2025-01-13T00:00Z")) == [
        at("2025-01-05T09:00Z"),
        at("2025-01-12T09:00Z"),
    ]


def test_months_skip_a_month_without_the_day_and_years_skip_29_february_outside_leap_years() -> None:
    the_31st = {
        "trigger_frequency_unit": "months",
        "trigger_frequency_value": 1,
        "trigger_day_of_month": 31,
        "trigger_time": "1970-01-01T06:30:00Z",
        "start_datetime": "2025-01-31T07:00:00Z",  # after January's firing
    }
    fired = next_firings(the_31st, at("2025-01-01T00:00Z"), at("2025-09-01T00:00Z"))
    assert fired == [at(f"2025-{m:02d}-31T06:30Z") for m in (3, 5, 7, 8)]
    leap = {
        "trigger_frequency_unit": "years",
        "trigger_frequency_value": 1,
        "trigger_month_and_day": "2024-02-29T00:00:00Z",
        "start_datetime": "2023-06-01T12:00:00Z",
    }
    assert next_firings(leap, at("2023-01-01T00:00Z"), at("2033-01-01T00:00Z")) == [
        at("2024-02-29T12:00Z"),
        at("2028-02-29T12:00Z"),
        at("2032-02-29T12:00Z"),
    ]


def test_a_time_of_day_or_day_left_out_is_the_starts_and_no_start_means_the_window_start() -> None:
    monthly = {
        "trigger_frequency_unit": "months",
        "trigger_frequency_value": 3,
        "start_datetime": "2025-01-15T08:00Z",
    }
    assert next_firings(monthly, at("2025-01-01T00:00Z"), at("2026-01-01T00:00Z")) == [
        at(f"2025-{m:02d}-15T08:00Z") for m in (1, 4, 7, 10)
    ]
    hourly = {"trigger_frequency_unit": "minutes", "trigger_frequency_value": 60}
    assert next_firings(hourly, at("2025-01-01T00:10Z"), at("2025-01-01T03:00Z")) == [
        at("2025-01-01T00:10Z"),
        at("2025-01-01T01:10Z"),
        at("2025-01-01T02:10Z"),
    ]


def test_limit_and_empty_windows() -> None:
    every_minute = {
        "trigger_frequency_unit": "minutes",
        "trigger_frequency_value": 1,
        "start_datetime": "2025-01-01T00:00Z",
    }
    assert len(next_firings(every_minute, at("2025-01-01T00:00Z"), at("2025-03-01T00:00Z"))) == 10_000
    assert len(next_firings(every_minute, at("2025-01-01T00:00Z"), at("2025-03-01T00:00Z"), limit=5)) == 5
    assert next_firings(every_minute, at("2025-01-02T00:00Z"), at("2025-01-01T00:00Z")) == []
    with pytest.raises(ValueError, match="timezone-aware"):
        next_firings(every_minute, datetime(2025, 1, 1), at("2025-01-02T00:00Z"))


@pytest.mark.parametrize(
    ("scheduler", "field", "reason"),
    [
        ({"type": "non_recurring"}, "start_datetime", "is required"),
        ({"type": "sometimes"}, "type", "is not recurring or non_recurring"),
        (
            {"trigger_frequency_unit": "hours", "trigger_frequency_value": 1},
            "trigger_frequency_unit",
            "'hours'",
        ),
        ({"trigger_frequency_unit": "days"}, "trigger_frequency_value", "is required"),
        ({"trigger_frequency_unit": "days", "trigger_frequency_value": 0}, "trigger_frequency_value", "1 to"),
        (
            {"trigger_frequency_unit": "days", "trigger_frequency_value": 1.5},
            "trigger_frequency_value",
            "whole",
        ),
        (
            {"trigger_frequency_unit": "years", "trigger_frequency_value": 1},
            "trigger_month_and_day",
            "required",
        ),
        (
            {"trigger_frequency_unit": "weeks", "trigger_frequency_value": 1, "trigger_day_of_week": 7},
            "trigger_day_of_week",
            "0 to 6",
        ),
        (
            {"trigger_frequency_unit": "days", "trigger_frequency_value": 1, "trigger_time": "9 o'clock"},
            "trigger_time",
            "not an ISO 8601",
        ),
    ],
)
def test_a_definition_that_cannot_fire_names_the_field(
    scheduler: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(FiringError) as err:
        next_firings(scheduler, at("2025-01-01T00:00Z"), at("2025-02-01T00:00Z"))
    assert err.value.field == field and reason in err.value.reason


def test_the_docs_example_runs() -> None:
    exec(example("imbrace.md", "firings"), {})  # the page's own example, with its asserts


# ---- properties over random schedulers ------------------------------------------------------------
BASE = datetime(2024, 1, 1, tzinfo=UTC)


@st.composite
def schedulers(draw: st.DrawFn) -> dict[str, Any]:
    unit = draw(st.sampled_from(["minutes", "days", "weeks", "months", "years"]))
    start = BASE + timedelta(minutes=draw(st.integers(0, 3 * 366 * 1440)), seconds=draw(st.integers(0, 59)))
    scheduler: dict[str, Any] = {
        "trigger_frequency_unit": unit,
        "trigger_frequency_value": draw(st.integers(1, {"minutes": 600}.get(unit, 4))),
        "start_datetime": start.isoformat(),
    }
    if unit != "minutes" and draw(st.booleans()):
        scheduler["trigger_time"] = (BASE + timedelta(minutes=draw(st.integers(0, 1439)))).isoformat()
    if unit == "weeks" and draw(st.booleans()):
        scheduler["trigger_day_of_week"] = draw(st.integers(0, 6))
    if unit == "months" and draw(st.booleans()):
        scheduler["trigger_day_of_month"] = draw(st.integers(1, 31))
    if unit == "years":
        scheduler["trigger_month_and_day"] = (BASE + timedelta(days=draw(st.integers(0, 365)))).isoformat()
    return scheduler


def _month_index(moment: datetime) -> int:
    return moment.year * 12 + moment.month - 1


@settings(max_examples=300, deadline=None)
@given(schedulers(), st.integers(0, 6 * 366 * 24), st.integers(1, 4 * 366 * 24), st.floats(0, 1))
def test_firings_are_ordered_shaped_and_split_windows_add_up(
    scheduler: dict[str, Any], offset_hours: int, length_hours: int, cut: float
) -> None:
    start = BASE + timedelta(hours=offset_hours)
    end = start + timedelta(hours=length_hours)
    fired = next_firings(scheduler, start, end)
    assert fired == sorted(set(fired)) and all(start <= f < end for f in fired)
    begin = at(scheduler["start_datetime"])
    assert all(f >= begin for f in fired), "nothing fires before the start"

    middle = start + (end - start) * cut
    if len(fired) < 10_000:
        assert next_firings(scheduler, start, middle) + next_firings(scheduler, middle, end) == fired

    unit, every = scheduler["trigger_frequency_unit"], scheduler["trigger_frequency_value"]
    if unit != "minutes":
        clock = at(scheduler.get("trigger_time") or scheduler["start_datetime"]).time()
        assert all(f.time() == clock for f in fired)
    steps = list(itertools.pairwise(fired))
    if unit in ("minutes", "days", "weeks"):
        period = {
            "minutes": timedelta(minutes=every),
            "days": timedelta(days=every),
            "weeks": timedelta(weeks=every),
        }
        assert all(b - a == period[unit] for a, b in steps)
    if unit == "weeks" and "trigger_day_of_week" in scheduler:
        assert all((f.weekday() + 1) % 7 == scheduler["trigger_day_of_week"] for f in fired)
    if unit == "months":
        assert all(f.day == scheduler.get("trigger_day_of_month", begin.day) for f in fired)
        assert all((_month_index(b) - _month_index(a)) % every == 0 for a, b in steps)
    if unit == "years":
        month_day = at(scheduler["trigger_month_and_day"])
        assert all((f.month, f.day) == (month_day.month, month_day.day) for f in fired)
        assert all((b.year - a.year) % every == 0 for a, b in steps)


@settings(max_examples=200, deadline=None)
@given(schedulers())
def test_the_first_firing_comes_within_one_period_of_the_start(scheduler: dict[str, Any]) -> None:
    begin = at(scheduler["start_datetime"])
    unit, every = scheduler["trigger_frequency_unit"], scheduler["trigger_frequency_value"]
    leap_day = unit == "years" and at(scheduler["trigger_month_and_day"]).strftime("%m-%d") == "02-29"
    assume(not (leap_day and every % 2 == 0))  # every 2 or 4 years from a common year: never
    # The longest a first firing can wait: the clock (a day), a weekday (a week), a 31st (months
    # without one skipped), 29 February (a leap year).
    wait = {"minutes": 0, "days": 1, "weeks": 7, "months": 31 * (every + 1), "years": 366 * 4 * every}[unit]
    fired = next_firings(
        scheduler, begin - timedelta(days=400), begin + timedelta(days=wait, seconds=1), limit=1
    )
    assert fired and begin <= fired[0] <= begin + timedelta(days=wait)
