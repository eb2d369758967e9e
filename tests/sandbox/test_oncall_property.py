"""The on-call prediction against the sandbox's timeline endpoint, on 500 random schedules.

Each example draws a schedule (1-3 rotations of every type, length, participant type, start and
end dates, both restriction forms with windows that wrap midnight or the week, minutes Opsgenie
rounds), 0-3 overrides (a user or nobody, all rotations or some), a zone with DST changes (Berlin,
New York, Lord Howe's half hour, Kolkata's half-hour offset, Kirov) and a window of 1-14 days;
creates them on the in-process sandbox (strict: every request checked against Opsgenie's OAS),
asks for the timeline and checks that :func:`providers.opsgenie.oncall.predict_timeline` gives
the same final periods, period for period (:func:`providers.opsgenie.oncall.compare`).

The two are written independently (the import contract keeps providers and sandbox apart); a
disagreement is settled by the docs (docs/api-assumptions.md, O11-O16).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic.alias_generators import to_camel

from providers.opsgenie.models import DAYS, ScheduleTimeline
from providers.opsgenie.oncall import PredictionError, compare, predict_timeline
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
    # Often 01:00-03:59: the local hours DST changes skip or repeat.
    return draw(st.one_of(st.integers(0, 23), st.integers(1, 3))), draw(MINUTES)


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
def rotation(draw: st.DrawFn, n: int, window: datetime, change: datetime | None) -> dict[str, Any]:
    kind = draw(st.sampled_from(["hourly", "daily", "weekly"]))
    length = draw(st.integers(1, {"hourly": 30, "daily": 4, "weekly": 2}[kind]))
    if change is not None and draw(st.booleans()):  # hand-overs at a wall time the change skips or repeats
        start = change - timedelta(days=draw(st.integers(1, 20)), minutes=30 * draw(st.integers(-4, 4)))
    else:
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


@dataclass(frozen=True)
class Drawn:
    """A drawn schedule: its rotations (the last ``separate`` made on their own), overrides, window."""

    zone: str
    rotations: list[dict[str, Any]]
    separate: int
    overrides: list[dict[str, Any]]
    targets: list[list[int]]
    """Per override, the rotations it names by id (their ids are known once they are made)."""
    date: datetime
    days: int


def transitions(zone: str) -> list[datetime]:
    """The zone's offset changes in 2030-2031 (UTC, to the half hour)."""
    tz, out = ZoneInfo(zone), []
    moment = BASE
    while moment < BASE + timedelta(days=2 * 365):
        after = moment + timedelta(minutes=30)
        if moment.astimezone(tz).utcoffset() != after.astimezone(tz).utcoffset():
            out.append(after)
        moment = after
    return out


CHANGES = {zone: transitions(zone) for zone in ZONES}


@st.composite
def schedule(draw: st.DrawFn) -> Drawn:
    zone, change = draw(st.sampled_from(ZONES)), None
    if CHANGES[zone] and draw(st.booleans()):  # half the examples around a DST change
        change = draw(st.sampled_from(CHANGES[zone]))
        near = change - timedelta(days=draw(st.integers(-3, 12)))
        window = near.replace(minute=0) + timedelta(minutes=30 * draw(st.integers(0, 47)))
    else:
        window = BASE + timedelta(minutes=30 * draw(st.integers(0, 2 * 365 * 48)))
    if draw(st.booleans()):
        window += timedelta(minutes=draw(st.integers(1, 29)), seconds=draw(st.integers(0, 59)))
    rotations = [draw(rotation(n, window, change)) for n in range(1, draw(st.integers(1, 3)) + 1)]
    names = [r.get("name") or f"Rotation {n}" for n, r in enumerate(rotations, 1)]
    overrides, targets = [], []
    for _ in range(draw(st.integers(0, 3))):
        start = window + timedelta(seconds=draw(st.integers(-86400, 86400 * 14)))
        override: dict[str, Any] = {
            "user": draw(st.sampled_from([*USERS, {"type": "none"}])),
            "start_date": stamp(start),
            "end_date": stamp(start + timedelta(seconds=draw(st.integers(60, 86400 * 3)))),
        }
        chosen = draw(st.lists(st.integers(0, len(rotations) - 1), max_size=len(rotations), unique=True))
        by_id = draw(st.booleans())  # name them by id (known once made), else by name
        if chosen and not by_id:
            override["rotations"] = [{"name": names[i]} for i in chosen]
        overrides.append(override)
        targets.append(chosen if by_id else [])
    return Drawn(
        zone=zone,
        rotations=rotations,
        separate=draw(st.integers(0, len(rotations))),  # the last ones as ScheduleRotation resources
        overrides=overrides,
        targets=targets,
        date=window,
        days=draw(st.integers(1, 14)),
    )


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
def test_the_prediction_is_the_sandboxs_timeline(og: Opsgenie, drawn: Drawn) -> None:
    cut = len(drawn.rotations) - drawn.separate
    inline, separate = drawn.rotations[:cut], drawn.rotations[cut:]
    schedule: dict[str, Any] = {"timezone": drawn.zone, **({"rotations": inline} if inline else {})}
    schedule_id = og.create_schedule(name=f"P{next(NAMES)}", **camel(schedule))
    try:
        for rotation in separate:
            response = og.post(f"/v2/schedules/{schedule_id}/rotations", json=camel(rotation))
            assert response.status_code == 201, response.text
        ids = [r["id"] for r in og.get(f"/v2/schedules/{schedule_id}").json()["data"]["rotations"]]
        overrides = [
            {**o, "rotations": [{"id": ids[i]} for i in chosen]} if chosen else o
            for o, chosen in zip(drawn.overrides, drawn.targets, strict=True)
        ]
        for n, override in enumerate(overrides):
            body = {"alias": f"o{n}", **camel(override)}
            response = og.post(f"/v2/schedules/{schedule_id}/overrides", json=body)
            assert response.status_code == 201, response.text
        query = {"date": stamp(drawn.date), "interval": drawn.days, "intervalUnit": "days"}
        response = og.get(f"/v2/schedules/{schedule_id}/timeline", params=query)
        assert response.status_code == 200, response.text
        live = ScheduleTimeline.model_validate(response.json()["data"])
        with_ids = [{**r, "id": i} for r, i in zip(inline, ids, strict=False)]
        made = [{**r, "id": i, "schedule_id": schedule_id} for r, i in zip(separate, ids[cut:], strict=True)]
        try:
            predicted = predict_timeline(
                {"name": "P", **schedule, **({"rotations": with_ids} if inline else {})},
                live.start_date,
                live.end_date,
                rotations=made,
                overrides=overrides,
            )
        except PredictionError as exc:
            # The check refuses a rotation never on call (register O14): the sandbox never has it on call.
            refused = re.fullmatch(r"rotations\[(\d+)\]\.time_restriction", exc.field)
            assert refused is not None and "never on call" in exc.reason, exc
            rotation = live.final_timeline.rotations[int(refused[1])]
            assert [p for p in rotation.periods if p.type != "override"] == []
            return
        assert compare(predicted, live.final_timeline) == []
    finally:
        assert og.delete(f"/v2/schedules/{schedule_id}").status_code == 200


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
def test_hand_overs_and_windows_at_wall_times_a_dst_change_skips_or_repeats(og: Opsgenie, zone: str) -> None:
    """Every half hour from 00:00 to 04:30 local as a daily hand-over and as window edges, over
    each DST change of 2030 (random draws rarely land in the skipped or repeated hour)."""
    tz = ZoneInfo(zone)
    for change in CHANGES[zone][:2]:
        day = change.astimezone(tz).date()
        for half_hours in range(10):
            hour, minute = divmod(30 * half_hours, 60)
            start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz) - timedelta(days=3)
            window = {"start_hour": hour, "start_min": minute, "end_hour": (hour + 1) % 24, "end_min": 30}
            inputs = {
                "timezone": zone,
                "rotations": [
                    {"start_date": stamp(start.astimezone(UTC)), "type": "daily", "participants": USERS[:2]},
                    {
                        "start_date": stamp(start.astimezone(UTC)),
                        "type": "weekly",
                        "participants": USERS[2:],
                        "time_restriction": {"type": "time-of-day", "restriction": window},
                    },
                ],
            }
            schedule_id = og.create_schedule(name=f"D{next(NAMES)}", **camel(inputs))
            query = {
                "date": stamp(start.astimezone(UTC) + timedelta(days=2)),
                "interval": 3,
                "intervalUnit": "days",
            }
            live = ScheduleTimeline.model_validate(
                og.get(f"/v2/schedules/{schedule_id}/timeline", params=query).json()["data"]
            )
            predicted = predict_timeline({"name": "D", **inputs}, live.start_date, live.end_date)
            assert compare(predicted, live.final_timeline) == [], (zone, change, hour, minute)
            assert og.delete(f"/v2/schedules/{schedule_id}").status_code == 200
