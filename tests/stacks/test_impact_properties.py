"""``stacks impact`` over random schedules (hypothesis): a participant swapped for a newcomer hands
over exactly their hours and nobody else's change; a gap opened by the change is a stretch nobody
covers afterwards and somebody covered before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from providers.opsgenie.oncall import gaps
from stacks import impact
from stacks.timing import OnCallSchedule

START = datetime(2030, 3, 4, tzinfo=UTC)
END = START + timedelta(weeks=2)
PEOPLE = [f"user{i}@example.com" for i in range(5)]
NEWCOMER = "newcomer@example.com"


@st.composite
def rotations(draw: st.DrawFn) -> dict[str, Any]:
    people = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=4, unique=True))
    rotation: dict[str, Any] = {
        "name": "r",
        "type": draw(st.sampled_from(["hourly", "daily", "weekly"])),
        "length": draw(st.integers(1, 3)),
        "start_date": (START - timedelta(hours=draw(st.integers(0, 200)))).isoformat(),
        "participants": [{"type": "user", "username": p} for p in people],
    }
    if draw(st.booleans()):
        start, hours = draw(st.integers(0, 23)), draw(st.integers(1, 23))
        rotation["time_restriction"] = {
            "type": "time-of-day",
            "restriction": {
                "start_hour": start,
                "start_min": 0,
                "end_hour": (start + hours) % 24,
                "end_min": 0,
            },
        }
    return rotation


def _schedule(rotation: dict[str, Any], zone: str) -> OnCallSchedule:
    inputs = {"name": "s", "timezone": zone, "rotations": [rotation]}
    return OnCallSchedule("s", "s", zone, inputs)


@settings(max_examples=60, deadline=None)
@given(rotations(), st.sampled_from(["UTC", "Europe/Berlin", "America/New_York"]), st.data())
def test_a_swap_moves_exactly_the_swapped_participants_hours(
    rotation: dict[str, Any], zone: str, data: st.DataObject
) -> None:
    who = data.draw(st.sampled_from([p["username"] for p in rotation["participants"]]))
    swapped = {
        **rotation,
        "participants": [
            {"type": "user", "username": NEWCOMER if p["username"] == who else p["username"]}
            for p in rotation["participants"]
        ],
    }
    found = impact.schedule_impact(_schedule(rotation, zone), _schedule(swapped, zone), START, END)
    if found is None:  # the swapped participant had no turn in the window
        return
    hours = {h.participant: (h.before, h.after) for h in found.hours}
    assert hours[who][1] == 0
    assert hours[NEWCOMER] == (0, hours[who][0])
    assert all(before == after for p, (before, after) in hours.items() if p not in (who, NEWCOMER))
    assert found.opened == [] and found.closed == []


@settings(max_examples=60, deadline=None)
@given(rotations(), rotations())
def test_opened_gaps_are_uncovered_after_and_covered_before(old: dict[str, Any], new: dict[str, Any]) -> None:
    before, after = _schedule(old, "Europe/Berlin"), _schedule(new, "Europe/Berlin")
    found = impact.schedule_impact(before, after, START, END)
    if found is None:
        return
    after_gaps = gaps(after.predict(START, END), START, END)
    before_gaps = gaps(before.predict(START, END), START, END)
    for start, end in found.opened:
        assert any(a <= start and end <= b for a, b in after_gaps)
        assert not any(a < end and start < b for a, b in before_gaps)
    for start, end in found.closed:
        assert any(a <= start and end <= b for a, b in before_gaps)
        assert not any(a < end and start < b for a, b in after_gaps)
