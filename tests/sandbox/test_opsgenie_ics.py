"""Export Schedule (``/v2/schedules/{identifier}.ics``): a valid iCalendar of the on-call periods."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from tests.support.opsgenie_oas import ALICE, BOB, CAROL, OAS_WARNINGS, Opsgenie, rotation

pytestmark = OAS_WARNINGS


@pytest.fixture
def og(client: TestClient) -> Opsgenie:
    return Opsgenie(client)


def z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def events(content: bytes) -> list[tuple[datetime, datetime, str]]:
    cal = Calendar.from_ical(content)
    return sorted((e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"])) for e in cal.walk("VEVENT"))


def test_export_holds_one_event_per_on_call_period(og: Opsgenie) -> None:
    # Three daily turns starting tomorrow 09:00 UTC: Alice, Bob, Alice; then the rotation ends.
    day = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=1)
    rot = rotation(
        name="Primary",
        startDate=z(day),
        endDate=z(day + timedelta(days=3)),
        participants=[{"type": "user", "id": ALICE["id"]}, {"type": "user", "id": BOB["id"]}],
    )
    schedule_id = og.create_schedule(name="Ops", timezone="UTC", rotations=[rot])
    response = og.get(f"/v2/schedules/{schedule_id}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert 'filename="Ops.ics"' in response.headers["content-disposition"]
    cal = Calendar.from_ical(response.content)
    assert str(cal["version"]) == "2.0" and str(cal["x-wr-calname"]) == "Ops"
    assert events(response.content) == [
        (day, day + timedelta(days=1), "alice@example.com - Primary"),
        (day + timedelta(days=1), day + timedelta(days=2), "bob@example.com - Primary"),
        (day + timedelta(days=2), day + timedelta(days=3), "alice@example.com - Primary"),
    ]
    uids = [str(e["uid"]) for e in cal.walk("VEVENT")]
    assert len(set(uids)) == 3


def test_export_by_name_includes_overrides(og: Opsgenie) -> None:
    day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=2)
    rot = rotation(
        name="R",
        startDate=z(day),
        endDate=z(day + timedelta(days=1)),
        participants=[{"type": "user", **ALICE}],
    )
    og.create_schedule(name="Weekend", timezone="UTC", rotations=[rot])
    override = {"user": {"type": "user", "username": CAROL["username"]}}
    override |= {"startDate": z(day + timedelta(hours=6)), "endDate": z(day + timedelta(hours=8))}
    assert (
        og.post("/v2/schedules/Weekend/overrides?scheduleIdentifierType=name", json=override).status_code
        == 201
    )
    response = og.get("/v2/schedules/Weekend.ics?identifierType=name")
    assert events(response.content) == [
        (day, day + timedelta(hours=6), "alice@example.com - R"),
        (day + timedelta(hours=6), day + timedelta(hours=8), "carol@example.com - R"),
        (day + timedelta(hours=8), day + timedelta(days=1), "alice@example.com - R"),
    ]


def test_export_window_leaves_out_the_far_past_and_future(og: Opsgenie) -> None:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    rot = rotation(
        type="weekly", startDate=z(today - timedelta(days=70)), participants=[{"type": "user", **ALICE}]
    )
    schedule_id = og.create_schedule(timezone="UTC", rotations=[rot])
    (only,) = events(og.get(f"/v2/schedules/{schedule_id}.ics").content)
    # One continuous on-call period, clipped to [today - 7 days, today + 91 days).
    assert only[:2] == (today - timedelta(days=7), today + timedelta(days=91))


def test_ics_suffix_is_routed_to_the_export(og: Opsgenie) -> None:
    og.create_schedule(name="report")
    response = og.get("/v2/schedules/report.ics?identifierType=name")
    assert response.headers["content-type"].startswith("text/calendar")
    assert events(response.content) == []
    assert og.get("/v2/schedules/report?identifierType=name").json()["data"]["name"] == "report"
