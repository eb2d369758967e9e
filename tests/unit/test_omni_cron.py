"""Omni's EventBridge-style crons: parsing, next runs in a time zone, DST, clear refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from providers.omni import CronError, explain_cron
from providers.omni.cron import next_runs, runs_between
from tests.support.docs_examples import example

NOON_UTC = datetime(2025, 3, 7, 12, tzinfo=UTC)  # a Friday


def local(runs: list[datetime]) -> list[str]:
    return [r.strftime("%a %Y-%m-%d %H:%M %z") for r in runs]


def test_the_docs_example_is_09_00_monday_to_friday_in_the_schedules_zone() -> None:
    explained = explain_cron("00 09 ? * 2,3,4,5,6 *", "America/New_York", count=6, after=NOON_UTC)
    assert local(explained.next_runs) == [
        "Fri 2025-03-07 09:00 -0500",  # 14:00 UTC: after noon UTC
        "Mon 2025-03-10 09:00 -0400",  # DST started on Sunday the 9th
        "Tue 2025-03-11 09:00 -0400",
        "Wed 2025-03-12 09:00 -0400",
        "Thu 2025-03-13 09:00 -0400",
        "Fri 2025-03-14 09:00 -0400",
    ]
    assert str(explained).startswith("00 09 ? * 2,3,4,5,6 * (America/New_York): Fri 2025-03-07 09:00 EST")


def test_names_ranges_steps_and_years() -> None:
    runs = explain_cron("*/20 */6 1-31/10 JAN-MAR/2 ? 2026", count=5, after=NOON_UTC).next_runs
    assert [r.strftime("%m-%d %H:%M") for r in runs] == [
        "01-01 00:00",
        "01-01 00:20",
        "01-01 00:40",
        "01-01 06:00",
        "01-01 06:20",
    ]
    assert {r.year for r in runs} == {2026}
    weekly = explain_cron("30 8 ? * MON-WED *", "Europe/Paris", count=3, after=NOON_UTC).next_runs
    assert local(weekly) == [
        "Mon 2025-03-10 08:30 +0100",
        "Tue 2025-03-11 08:30 +0100",
        "Wed 2025-03-12 08:30 +0100",
    ]
    assert explain_cron("5/20 0 1 1 ? *", count=3, after=NOON_UTC).next_runs[-1].minute == 45


def test_the_skipped_hour_is_skipped_and_the_repeated_hour_runs_once() -> None:
    spring = explain_cron(
        "30 2 ? * SUN *", "America/New_York", count=2, after=datetime(2025, 3, 1, tzinfo=UTC)
    )
    assert [r.day for r in spring.next_runs] == [2, 16]  # 02:30 on 9 March does not exist
    autumn = explain_cron(
        "30 1 * * ? *", "America/New_York", count=3, after=datetime(2025, 11, 1, 12, tzinfo=UTC)
    )
    # 01:30 on 2 November happens twice (EDT, then EST): it runs once, at the first.
    assert local(autumn.next_runs) == [
        "Sun 2025-11-02 01:30 -0400",
        "Mon 2025-11-03 01:30 -0500",
        "Tue 2025-11-04 01:30 -0500",
    ]


@pytest.mark.parametrize(
    ("cron", "after", "days"),
    [
        ("0 0 L * ? *", datetime(2024, 1, 31, tzinfo=UTC), ["2024-02-29", "2024-03-31"]),
        ("0 0 LW * ? *", datetime(2025, 5, 1, tzinfo=UTC), ["2025-05-30", "2025-06-30"]),  # 31 May: Sat
        ("0 0 1W * ? *", datetime(2025, 1, 2, tzinfo=UTC), ["2025-02-03", "2025-03-03"]),  # 1st: Sat
        ("0 0 ? * 6L *", datetime(2025, 5, 1, tzinfo=UTC), ["2025-05-30", "2025-06-27"]),  # last Friday
        ("0 0 ? * 2#1 *", datetime(2025, 5, 1, tzinfo=UTC), ["2025-05-05", "2025-06-02"]),  # first Monday
        ("0 0 29 2 ? *", datetime(2025, 1, 1, tzinfo=UTC), ["2028-02-29", "2032-02-29"]),
    ],
)
def test_last_nearest_weekday_and_nth(cron: str, after: datetime, days: list[str]) -> None:
    runs = explain_cron(cron, count=2, after=after).next_runs
    assert [r.strftime("%Y-%m-%d") for r in runs] == days


def test_a_cron_that_never_runs_again_has_no_next_runs() -> None:
    explained = explain_cron("0 0 1 1 ? 2020", after=NOON_UTC)
    assert explained.next_runs == [] and str(explained).endswith("never again")


@pytest.mark.parametrize(
    ("cron", "message"),
    [
        ("0 9 * * *", "has 5 fields; Omni's have 6"),
        ("60 9 ? * * *", "minutes '60' is out of range 0-59"),
        ("0 24 ? * * *", "hours '24' is out of range 0-23"),
        ("0 9 ? 13 * *", "month '13' is out of range 1-12"),
        ("0 9 ? * 8 *", "day-of-week '8' is out of range 1-7"),
        ("0 9 ? * MON *", None),
        ("0 9 1 * 2 *", "use ? in day-of-month or in day-of-week"),
        ("? 9 ? * * *", "minutes '?': ? is only allowed in day-of-month or day-of-week"),
        ("0 9 ? * * 1969", "year '1969' is out of range 1970-2199"),
        ("0 L ? * * *", "hours 'L': L, W and # are not allowed here"),
        ("0 9-5 ? * * *", "hours '9-5': the range runs backwards"),
        ("*/0 9 ? * * *", "the step after / must be a whole number"),
        ("0 9 ? FOO * *", "month 'FOO' is not a number from 1 to 12"),
    ],
)
def test_refusals_name_the_field(cron: str, message: str | None) -> None:
    if message is None:
        assert explain_cron(cron, count=1, after=NOON_UTC).next_runs
        return
    with pytest.raises(CronError, match=message.replace("?", r"\?").replace("*", r"\*")):
        explain_cron(cron, count=1, after=NOON_UTC)


def test_unknown_zone_and_naive_after_are_refused() -> None:
    with pytest.raises(CronError, match="unknown time zone 'Mars/Olympus'"):
        explain_cron("0 9 ? * * *", "Mars/Olympus")
    with pytest.raises(CronError, match="timezone-aware"):
        explain_cron("0 9 ? * * *", after=datetime(2025, 1, 1))


def test_after_as_an_iso_string_is_read_and_a_bad_one_is_a_clear_error() -> None:
    """``after="2026-01-01T00:00:00Z"`` used to die with AttributeError ('str' has no 'tzinfo')."""
    from_string = explain_cron("00 09 ? * 2 *", "Europe/Berlin", count=2, after="2026-01-01T00:00:00Z")
    from_datetime = explain_cron(
        "00 09 ? * 2 *", "Europe/Berlin", count=2, after=datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert from_string.next_runs == from_datetime.next_runs
    assert [r.isoformat() for r in from_string.next_runs] == [
        "2026-01-05T09:00:00+01:00",
        "2026-01-12T09:00:00+01:00",
    ]
    for after, message in [
        ("next tuesday", "is not an ISO 8601 date-time"),
        ("2026-01-01T00:00:00", "timezone-aware"),
        (1767225600, "must be a datetime or an ISO 8601 string"),
    ]:
        with pytest.raises(CronError, match=message):
            explain_cron("00 09 ? * 2 *", after=after)  # type: ignore[arg-type]
    with pytest.raises(CronError, match="count must be a whole number"):
        explain_cron("00 09 ? * 2 *", count="3")  # type: ignore[arg-type]


# ---- runs_between: the deliveries of a schedule over a window -------------------------------------
def test_runs_between_is_the_half_open_window_in_the_schedules_zone() -> None:
    weekdays = "00 09 ? * 2,3,4,5,6 *"
    runs = runs_between(weekdays, "Europe/Berlin", "2026-12-11T08:00:00Z", "2026-12-15T08:00:00Z")
    assert local(runs) == ["Fri 2026-12-11 09:00 +0100", "Mon 2026-12-14 09:00 +0100"], (
        "15 Dec 08:00 UTC is out"
    )
    assert runs_between(weekdays, "Europe/Berlin", "2026-12-11T08:00:01Z", "2026-12-12T00:00:00Z") == []
    assert len(runs_between("* * * * ? *", "UTC", NOON_UTC, datetime(2025, 3, 17, 12, tzinfo=UTC))) == 10_000
    assert len(runs_between("*/15 * * * ? *", "UTC", NOON_UTC, "2025-03-08T12:00:00Z", limit=5)) == 5
    assert runs_between("0 0 30 2 ? *", "UTC", NOON_UTC, "2030-01-01T00:00:00Z") == [], (
        "30 February never comes"
    )


def test_runs_between_refuses_what_next_runs_refuses() -> None:
    with pytest.raises(CronError, match="unknown time zone"):
        runs_between("0 9 ? * 2 *", "Mars/Olympus", NOON_UTC, "2025-04-01T00:00:00Z")
    with pytest.raises(CronError, match="timezone-aware"):
        runs_between("0 9 ? * 2 *", "UTC", datetime(2025, 3, 7), "2025-04-01T00:00:00Z")
    with pytest.raises(CronError, match="limit"):
        runs_between("0 9 ? * 2 *", "UTC", NOON_UTC, "2025-04-01T00:00:00Z", limit=0)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(
        ["*/7 * * * ? *", "30 2 ? * MON-FRI *", "0 */5 1,15,L * ? *", "15 10 ? * 6L *", "0 8 ? * 2#1 *"]
    ),
    st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]),
    st.integers(0, 3 * 366 * 24),
    st.integers(1, 21 * 24),
    st.floats(0, 1),
)
def test_runs_between_agrees_with_next_runs_and_split_windows_add_up(
    cron: str, tz: str, offset_hours: int, length_hours: int, cut: float
) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=offset_hours)
    end = start + timedelta(hours=length_hours)
    runs = runs_between(cron, tz, start, end)
    assert all(start <= r < end for r in runs) and runs == sorted(set(runs))
    following = next_runs(cron, tz, count=len(runs) + 1, after=start - timedelta(microseconds=1))
    assert following[: len(runs)] == runs and (len(following) == len(runs) or following[-1] >= end)
    middle = start + (end - start) * cut
    assert runs_between(cron, tz, start, middle) + runs_between(cron, tz, middle, end) == runs


def test_the_docs_deliveries_example_runs() -> None:
    exec(example("omni.md", "deliveries"), {})  # the page's own example, with its asserts


@pytest.mark.parametrize("which", ["start", "end"])
def test_runs_between_names_the_argument_without_an_offset(which: str) -> None:
    bounds = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-08T00:00:00Z", which: "2026-01-02T00:00:00"}
    with pytest.raises(CronError, match=f"^`{which}` must be timezone-aware"):
        runs_between("00 09 ? * 2 *", "Europe/Berlin", bounds["start"], bounds["end"])
