"""Conformance of the iMBRACE emulator's JSON calls to docs/imbrace-schedulers.txt."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.imbrace import BASE, CREATE_BODY, HEADERS, ORG, SEEDED, USER

SEEDED_LIST = "66e400607c85c0dc11b46f21"  # the docs' list example


def create(client: TestClient, **changes: Any) -> dict[str, Any]:
    response = client.post(BASE, headers=HEADERS, json={**CREATE_BODY, **changes})
    assert response.status_code == 201, response.text
    return dict(response.json())


# --- happy paths -------------------------------------------------------------------


def test_list_answers_the_documented_shape(client: TestClient) -> None:
    body = client.get(BASE, headers=HEADERS).json()
    assert set(body) == {"data", "count", "total", "has_more"}
    assert body["count"] == 2 and body["total"] == 2 and body["has_more"] is False
    listed = {s["_id"]: s for s in body["data"]}
    assert listed[SEEDED_LIST]["internal_id"] == "662f175874c8ca8d00a1d30d"
    assert listed[SEEDED_LIST]["trigger_time"] == "2024-04-29T01:00:00.000Z"
    assert listed[SEEDED_LIST]["organization_id"] == ORG


def test_get_by_id_answers_the_docs_example(client: TestClient) -> None:
    response = client.get(
        f"{BASE}/{SEEDED}", headers={**HEADERS, "x-organization-id": ORG, "x-user-id": USER}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["_id"] == SEEDED
    assert body["name"] == "testing schedule" and body["trigger_frequency_unit"] == "minutes"
    assert "trigger_time" not in body and "one_time_schedule_type" not in body
    assert body["start_date"] == body["start_time"] == body["start_datetime"] == "2024-09-11T17:50:00.000Z"


def test_create_answers_201_with_the_stored_scheduler(client: TestClient) -> None:
    response = client.post(BASE, headers=HEADERS, json=CREATE_BODY)
    assert response.status_code == 201
    body = response.json()
    assert len(body["_id"]) == 24 and int(body["_id"], 16) >= 0
    expected = {
        "type": "recurring",
        "name": "testing schedule",
        "event_type": "whatsapp",
        "description": "",
        "options": None,
        "organization_id": ORG,
        "trigger_frequency_unit": "years",
        "trigger_frequency_value": 1,
        "trigger_time": "1969-12-31T16:00:00.000Z",
        "triger_month_and_day": "1969-12-31T16:32:00.000Z",
        "start_date": "2024-09-11T14:35:00.000Z",
        "start_time": "2024-09-11T14:35:00.000Z",
        "start_datetime": "2024-09-11T14:35:00.000Z",
        "is_paused": False,
        "is_finished": False,
        "channel_source": "",
        "created_by": USER,
        "updated_by": USER,
    }
    assert {k: body[k] for k in expected} == expected
    assert body["job"] == CREATE_BODY["job"]
    assert body["created_at"] == body["updated_at"]
    assert client.get(f"{BASE}/{body['_id']}", headers=HEADERS).json() == body


def test_create_normalises_dates_like_mongodb(client: TestClient) -> None:
    body = create(client, start_datetime="2024-09-11T14:35:00Z", trigger_time="1969-12-31T16:00:00+00:00")
    assert body["start_datetime"] == "2024-09-11T14:35:00.000Z"
    assert body["trigger_time"] == "1969-12-31T16:00:00.000Z"


@pytest.mark.lenient  # the emulator's answer to a request the docs do not allow
def test_create_drops_unknown_fields(client: TestClient) -> None:
    body = create(client, callback_url="https://google.com", schedule_id="schedule_1")
    assert "callback_url" not in body and "schedule_id" not in body


def test_update_replaces_the_fields(client: TestClient) -> None:
    created = create(client, description="before", channel_source="web")
    update = {  # the docs' update body: no description, channel_source, trigger_time
        "type": "recurring",
        "name": "testing schedule updated",
        "event_type": "facebook",
        "trigger_frequency_unit": "minutes",
        "trigger_frequency_value": 1,
        "start_datetime": "2024-09-19T15:36:00.000Z",
        "job": {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE", "data": {}, "workflow_id": "456"},
        "is_paused": True,
    }
    response = client.put(f"{BASE}/{created['_id']}", headers=HEADERS, json=update)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "testing schedule updated" and body["event_type"] == "facebook"
    assert body["description"] == "" and body["channel_source"] == ""
    assert "trigger_time" not in body and "triger_month_and_day" not in body
    assert body["is_paused"] is True and body["job"]["workflow_id"] == "456"
    assert body["created_at"] == created["created_at"] and body["created_by"] == USER
    assert client.get(f"{BASE}/{created['_id']}", headers=HEADERS).json() == body


def test_delete_answers_the_message_and_forgets(client: TestClient) -> None:
    created = create(client)
    body = {"type": "non_recurring", "schedule_id": "schedule_1", "callback_url": "https://google.com"}
    response = client.request("DELETE", f"{BASE}/{created['_id']}", headers=HEADERS, json=body)
    assert response.status_code == 200
    assert response.json() == {"message": f"schedule {created['_id']} is deleted successfully"}
    assert client.get(f"{BASE}/{created['_id']}", headers=HEADERS).status_code == 404
    assert client.delete(f"{BASE}/{SEEDED}", headers=HEADERS).status_code == 200  # no body at all


def test_list_filters_by_event_type(client: TestClient) -> None:
    create(client, event_type="telegram_outbound")
    create(client, event_type="whatsapp_outbound")

    def names(event_type: str) -> list[str]:
        body = client.get(BASE, headers=HEADERS, params={"event_type": event_type}).json()
        return sorted(s["event_type"] for s in body["data"])

    assert names("whatsapp") == ["whatsapp"]
    assert names("contains:whatsapp_outbound,telegram_outbound") == ["telegram_outbound", "whatsapp_outbound"]
    assert names("contains:board_automation, whatsapp") == ["board_automation", "whatsapp"]
    assert names("nothing") == []


def test_list_pages_with_limit_and_skip(client: TestClient) -> None:
    made = {create(client, name=f"bulk {i}")["_id"] for i in range(23)}
    seen: list[str] = []
    pages = []
    skip = 0
    while True:
        body = client.get(BASE, headers=HEADERS, params={"skip": skip}).json()  # default limit 10
        pages.append((body["count"], body["total"], body["has_more"]))
        seen += [s["_id"] for s in body["data"]]
        if not body["has_more"]:
            break
        skip += body["count"]
    assert pages == [(10, 25, True), (10, 25, True), (5, 25, False)]
    assert len(seen) == len(set(seen)) == 25 and made <= set(seen)
    body = client.get(BASE, headers=HEADERS, params={"limit": 4, "skip": 24}).json()
    assert (body["count"], body["has_more"]) == (1, False)
    assert client.get(BASE, headers=HEADERS, params={"skip": 99}).json()["data"] == []
