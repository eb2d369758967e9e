"""The on-call prediction against the sandbox's timeline endpoint, on 500 random schedules.

Each example draws a schedule (1-3 rotations of every type, length, participant type, start and
end dates, both restriction forms with windows that wrap midnight or the week, minutes Opsgenie
rounds), 0-3 overrides (a user or nobody, all rotations or some), a zone with DST changes (Berlin,
New York, Lord Howe's half hour, Kolkata's half-hour offset, Kirov) and a window of 1-14 days;
creates them on the in-process sandbox (strict: every request checked against Opsgenie's OAS),
asks for the timeline and checks that :func:`providers.opsgenie.oncall.predict_timeline` gives
the same final periods, period for period (:func:`providers.opsgenie.oncall.compare`).

The two are written independently (the import contract keeps providers and sandbox apart); a
disagreement is settled by the docs (docs/api-assumptions.md, O11-O14).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic.alias_generators import to_camel

from providers.opsgenie.models import DAYS, ScheduleTimeline
from providers.opsgenie.oncall import compare, predict_timeline
from sandbox.app import create_app
from tests.support.opsgenie_oas import ALICE, BOB, CAROL, OAS_WARNINGS, Opsgenie

pytestmark = OAS_WARNINGS

ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Europe/Kirov")
BASE = datetime(2030, 1, 1, tzinfo=UTC)  # in the future: no period is historical
# Carol by id, the others by username (one person named both ways is two recipients to a prediction).
USERS = [{"type": "user", "username": ALICE["username"]}, {"type": "user", "username": BOB["username"]}]
USERS.append({"type": "user", "id": CAROL["id"]})
OTHERS = [
    {"type": "team", "name": "sre"},
    {"type": "escalation", "name": "ops_team_escalation"},
    {"type": "none"},
]
# Minutes Opsgenie rounds to :00/:30 (0-14, 15-44, 45-59), weighted towards the exact ones.
MINUTES = st.one_of(st.sampled_from([0, 30]), st.integers(0, 59))


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def clock(draw: st.DrawFn) -> tuple[int, int]:
    return draw(st.integers(0, 23)), draw(MINUTES)


def rounded(hour: int, minute: int) -> int:
    """The minute of the day Opsgenie keeps (for drawing windows that are not empty)."""
    return ((hour * 60 + minute + 15) // 30 * 30) % 1440


@st.composite
def time_restriction(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        (sh, sm), (eh, em) = draw(clock()), draw(clock())
        if rounded(sh, sm) == rounded(eh, em):
            eh = (eh + draw(st.integers(1, 22))) % 24  # a window of no length is refused
        return {
            "type": "time-of-day",
            "restriction": {"start_hour": sh, "start_min": sm, "end_hour": eh, "end_min": em},
        }
    windows = []
    for _ in range(draw(st.integers(1, 3))):
        (sh, sm), (eh, em) = draw(clock()), draw(clock())
        sd, ed = draw(st.sampled_from(DAYS)), draw(st.sampled_from(DAYS))
        if (sd, rounded(sh, sm)) == (ed, rounded(eh, em)) or sm >= 45 or em >= 45:
            sm, em = 0, 30  # no carry into the next day, and never empty
        item = {
            "start_day": sd,
            "start_hour": sh,
            "start_min": sm,
            "end_day": ed,
            "end_hour": eh,
            "end_min": em,
        }
        windows.append(item)
    return {"type": "weekday-and-time-of-day", "restrictions": windows}


@st.composite
def rotation(draw: st.DrawFn, n: int, window: datetime) -> dict[str, Any]:
    kind = draw(st.sampled_from(["hourly", "daily", "weekly"]))
    length = draw(st.integers(1, {"hourly": 30, "daily": 4, "weekly": 2}[kind]))
    start = window + timedelta(minutes=draw(st.integers(-60 * 24 * 30, 60 * 24 * 10)))
    out: dict[str, Any] = {
        "start_date": stamp(start),
        "type": kind,
        "length": length,
        "participants": draw(st.lists(st.sampled_from(USERS + OTHERS), min_size=1, max_size=4)),
    }
    if draw(st.booleans()):
        out["name"] = f"R{n}"
    if draw(st.booleans()):
        out["end_date"] = stamp(start + timedelta(minutes=draw(st.integers(60, 60 * 24 * 40))))
    if draw(st.booleans()):
        out["time_restriction"] = draw(time_restriction())
    return out


@st.composite
def schedule(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]], datetime, int]:
    window = BASE + timedelta(minutes=30 * draw(st.integers(0, 2 * 365 * 48)))
    if draw(st.booleans()):
        window += timedelta(minutes=draw(st.integers(1, 29)), seconds=draw(st.integers(0, 59)))
    rotations = [draw(rotation(n, window)) for n in range(1, draw(st.integers(1, 3)) + 1)]
    names = [r.get("name") or f"Rotation {n}" for n, r in enumerate(rotations, 1)]
    overrides = []
    for _ in range(draw(st.integers(0, 3))):
        start = window + timedelta(seconds=draw(st.integers(-86400, 86400 * 14)))
        override: dict[str, Any] = {
            "user": draw(st.sampled_from([*USERS, {"type": "none"}])),
            "start_date": stamp(start),
            "end_date": stamp(start + timedelta(seconds=draw(st.integers(60, 86400 * 3)))),
        }
        if draw(st.booleans()):
            override["rotations"] = [
                {"name": x} for x in draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
            ]
        overrides.append(override)
    zone = draw(st.sampled_from(ZONES))
    return {"timezone": zone, "rotations": rotations}, overrides, window, draw(st.integers(1, 14))


def camel(value: Any) -> Any:
    """The API's body of snake_case inputs (sent as drawn: the sandbox does its own rounding)."""
    if isinstance(value, dict):
        return {to_camel(k): camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


@pytest.fixture(scope="module")
def og() -> Iterator[Opsgenie]:
    with TestClient(create_app(":memory:")) as client:
        yield Opsgenie(client, validate=False)  # strict mode still checks every request


NAMES = count()


@settings(
    max_examples=500,
    deadline=None,
    derandomize=True,  # the same 500 schedules on every run and machine
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=schedule())
def test_the_prediction_is_the_sandboxs_timeline(og: Opsgenie, drawn: Any) -> None:
    inputs, overrides, date, days = drawn
    schedule_id = og.create_schedule(name=f"P{next(NAMES)}", **camel(inputs))
    try:
        for n, override in enumerate(overrides):
            response = og.post(
                f"/v2/schedules/{schedule_id}/overrides", json={"alias": f"o{n}", **camel(override)}
            )
            assert response.status_code == 201, response.text
        query = {"date": stamp(date), "interval": days, "intervalUnit": "days"}
        response = og.get(f"/v2/schedules/{schedule_id}/timeline", params=query)
        assert response.status_code == 200, response.text
        live = ScheduleTimeline.model_validate(response.json()["data"])
        predicted = predict_timeline(
            {"name": "P", **inputs}, live.start_date, live.end_date, overrides=overrides
        )
        assert compare(predicted, live.final_timeline) == []
    finally:
        assert og.delete(f"/v2/schedules/{schedule_id}").status_code == 200
