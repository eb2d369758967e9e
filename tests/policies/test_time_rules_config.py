"""The time rules' reading of their config and of the definitions they judge: a freeze that ends
before it starts, the last calendar week of a horizon, a schedule's own time zone, an iMBRACE
start without an offset, and the prediction cache's keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from policies import time_rules
from policies.resources import OPSGENIE_OVERRIDE, Violation
from tests.policies.test_time_rules import EVERY_5, FROM, WEEKDAYS, only, schedule, scheduler, separate, user


@pytest.mark.parametrize("end", ["2026-12-23T00:00:00+01:00", "2026-12-24T00:00:00+01:00"])
def test_a_freeze_that_ends_before_or_as_it_starts_is_a_config_error_naming_its_end(end: str) -> None:
    freeze = {"name": "prod freeze", "start": "2026-12-24T00:00:00+01:00", "end": end}
    job = scheduler("digest", **EVERY_5, start_datetime="2026-12-07T12:00:00Z")
    found = only(time_rules.job_rate([job], {"from": FROM, "freezeWindows": [freeze]}))
    assert found.urn == "" and not found.note
    assert found.message == f"the policy config's freezeWindows[0].end: '{end}' is not after start"


@pytest.mark.parametrize("day", range(1, 7))  # the horizon from Tuesday … Sunday 12:00 in Berlin
def test_the_last_days_of_a_horizon_not_from_a_monday_are_judged(day: int) -> None:
    start = datetime.fromisoformat("2026-12-07T12:00:00+01:00") + timedelta(days=day)
    end = start + timedelta(weeks=4)
    hourly = {  # 21 h a week each: below the limit
        "name": "hourly",
        "type": "hourly",
        "length": 1,
        "start_date": "2026-01-05T00:00:00+01:00",
        "participants": [user(f"u{i}") for i in range(8)],
    }
    gap = schedule(rotations=[hourly])
    last_day = separate(  # the horizon's last 26 hours, in its last calendar week
        OPSGENIE_OVERRIDE,
        "cover",
        gap,
        user=user("dave"),
        start_date=(end - timedelta(hours=26)).isoformat(),
        end_date=end.isoformat(),
    )
    config = {"from": start.isoformat(), "maxHoursPerWeek": 25}
    found = only(time_rules.oncall_load([gap, last_day], config))
    assert found.message == (
        "Opsgenie schedule 'gap-oncall': dave@example.com is on call 26.0 h in the week of "
        "Mon 2027-01-04 00:00 Europe/Berlin, above maxHoursPerWeek 25"
    )


@pytest.mark.parametrize("rule", [time_rules.oncall_coverage, time_rules.oncall_load])
def test_a_schedules_unknown_time_zone_is_reported_against_that_schedule(rule: Any) -> None:
    mars = schedule("mars", rotations=[WEEKDAYS], timezone="Mars/Olympus")
    fine = schedule("fine", rotations=[WEEKDAYS])
    config = {"from": FROM, "maxHoursPerWeek": 60}
    found = [v for v in rule([mars, fine], config) if v.urn == "urn:mars"]
    assert found == [
        Violation(
            "on-call time of 'mars-oncall' cannot be computed: "
            "timezone: unknown time zone 'Mars/Olympus' (e.g. Europe/Berlin, UTC)",
            "urn:mars",
        )
    ]
    assert any(v.urn == "urn:fine" for v in rule([mars, fine], config)), "the other schedule is still judged"


def test_an_imbrace_start_without_an_offset_is_read_as_utc_as_its_provider_reads_it() -> None:
    config = {"from": FROM, "maxRunsPerDay": 100}
    bare = time_rules.job_rate([scheduler("soon", **EVERY_5, start_datetime="2026-12-07T12:00:00")], config)
    zulu = time_rules.job_rate([scheduler("soon", **EVERY_5, start_datetime="2026-12-07T12:00:00Z")], config)
    assert bare == zulu
    assert "runs 288 times on Tue 2026-12-08 (UTC)" in only(bare).message
    broken = only(time_rules.job_rate([scheduler("odd", **EVERY_5, start_datetime="soon")], config))
    assert broken.urn == "urn:odd" and "cannot be computed: start_datetime: 'soon' is not an ISO 8601" in (
        broken.message
    )


def test_the_prediction_of_a_schedule_is_keyed_by_its_inputs_not_its_outputs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Preview sees no outputs, the end of `pulumi up` sees them: one prediction serves both."""
    calls: list[datetime] = []
    predict = time_rules.predict_timeline

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(datetime.now(UTC))
        return predict(*args, **kwargs)

    monkeypatch.setattr(time_rules, "predict_timeline", counted)
    time_rules.clear_predictions()
    preview = schedule(rotations=[WEEKDAYS])
    up = schedule(rotations=[WEEKDAYS], participant_ids=["u1", "u2"], owner_team_id="t1")
    first = time_rules.oncall_coverage([preview], {"from": FROM})
    assert time_rules.oncall_coverage([up], {"from": FROM}) == first
    assert len(calls) == 1
