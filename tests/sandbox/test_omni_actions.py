"""Omni's schedule actions: trigger (v1 and unstable), recipients, pause/resume, delete."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.omni import (
    BLOB_MARLEY,
    BLOB_ROSS,
    BLOBETTE,
    HEADERS,
    ORDERS,
    QUERY,
    UNSTABLE,
    V1,
    WEB_TRAFFIC,
)

SCIM = ["urn:ietf:params:scim:api:messages:2.0:Error"]


def admin(client: TestClient, schedule_id: str) -> dict[str, Any]:
    response = client.get(f"/_sandbox/omni/schedules/{schedule_id}")
    assert response.status_code == 200
    return dict(response.json())


def listed(client: TestClient, schedule_id: str) -> dict[str, Any]:
    records = client.get(V1, headers=HEADERS, params={"pageSize": 100}).json()["records"]
    return next(r for r in records if r["id"] == schedule_id)


# --- trigger -------------------------------------------------------------------------


@pytest.mark.parametrize("base", [V1, UNSTABLE])
def test_trigger_runs_the_schedule(client: TestClient, base: str) -> None:
    assert admin(client, ORDERS)["triggerCount"] == 0
    for _ in range(2):
        response = client.post(f"{base}/{ORDERS}/trigger", headers=HEADERS)
        assert (response.status_code, response.json()) == (200, {"success": True})
    record = admin(client, ORDERS)
    assert record["triggerCount"] == 2 and record["lastTriggeredAt"].endswith("Z")


def test_trigger_accepts_paused_schedules_and_uppercase_ids(client: TestClient) -> None:
    response = client.post(f"{V1}/{WEB_TRAFFIC.upper()}/trigger", headers=HEADERS)
    assert response.status_code == 200 and admin(client, WEB_TRAFFIC)["triggerCount"] == 1


@pytest.mark.parametrize(("base", "extra"), [(V1, {}), (UNSTABLE, {"schemas": SCIM})], ids=["v1", "unstable"])
def test_trigger_dispatcher_error(client: TestClient, base: str, extra: dict[str, Any]) -> None:
    client.patch(
        f"/_sandbox/omni/schedules/{ORDERS}", json={"dispatchError": "Failed to dispatch schedule job"}
    )
    response = client.post(f"{base}/{ORDERS}/trigger", headers=HEADERS)
    assert response.status_code == 500
    assert response.json() == {"detail": "Failed to dispatch schedule job", **extra, "status": 500}
    assert admin(client, ORDERS)["triggerCount"] == 0


# --- recipients ----------------------------------------------------------------------


def test_add_recipients_counts_only_new_ones(client: TestClient) -> None:
    body = {
        "emails": ["user1@example.com", "USER1@example.com", "blob.ross@blobsrus.com"],
        "userIds": [BLOB_MARLEY],
    }
    response = client.put(f"{V1}/{ORDERS}/add-recipients", headers=HEADERS, json=body)
    assert (response.status_code, response.json()) == (200, {"addedRecipientsCount": 2, "success": True})
    assert listed(client, ORDERS)["recipientCount"] == 3
    emails = [(r["email"], r["userId"]) for r in admin(client, ORDERS)["recipients"]]
    assert emails == [
        ("blob.ross@blobsrus.com", BLOB_ROSS),
        ("blob.marley@blobsrus.com", BLOB_MARLEY),
        ("user1@example.com", None),
    ]
    again = client.put(f"{V1}/{ORDERS}/add-recipients", headers=HEADERS, json=body)
    assert again.json() == {"addedRecipientsCount": 0, "success": True}


def test_adding_a_users_email_links_the_user(client: TestClient) -> None:
    client.put(f"{V1}/{ORDERS}/add-recipients", headers=HEADERS, json={"emails": ["Blobette@blobsrus.com"]})
    assert admin(client, ORDERS)["recipients"][-1] == {"email": "Blobette@blobsrus.com", "userId": BLOBETTE}
    response = client.put(f"{V1}/{ORDERS}/add-recipients", headers=HEADERS, json={"userIds": [BLOBETTE]})
    assert response.json()["addedRecipientsCount"] == 0


def test_remove_recipients_counts_only_removed_ones(client: TestClient) -> None:
    body = {"emails": ["ANALYTICS@blobsrus.com", "nobody@example.com"], "userIds": [BLOB_ROSS]}
    response = client.put(f"{V1}/{WEB_TRAFFIC}/remove-recipients", headers=HEADERS, json=body)
    assert (response.status_code, response.json()) == (200, {"removedRecipientsCount": 2, "success": True})
    assert listed(client, WEB_TRAFFIC)["recipientCount"] == 3
    again = client.put(f"{V1}/{WEB_TRAFFIC}/remove-recipients", headers=HEADERS, json=body)
    assert again.json() == {"removedRecipientsCount": 0, "success": True}


def test_recipient_count_follows_adds_and_removes(client: TestClient) -> None:
    emails = [f"r{i}@example.com" for i in range(10)]
    client.put(f"{V1}/{QUERY}/add-recipients", headers=HEADERS, json={"emails": emails})
    assert listed(client, QUERY)["recipientCount"] == 11
    client.put(f"{V1}/{QUERY}/remove-recipients", headers=HEADERS, json={"emails": emails[:4]})
    assert listed(client, QUERY)["recipientCount"] == 7


# --- pause / resume / delete -----------------------------------------------------------


def test_pause_sets_and_resume_clears_disabled_at(client: TestClient) -> None:
    response = client.put(f"{V1}/{ORDERS}/pause", headers=HEADERS)
    assert (response.status_code, response.json()) == (200, {"success": True})
    paused_at = listed(client, ORDERS)["disabledAt"]
    assert paused_at is not None and paused_at.endswith("Z")
    response = client.put(f"{V1}/{ORDERS}/resume", headers=HEADERS)
    assert (response.status_code, response.json()) == (200, {"success": True})
    assert listed(client, ORDERS)["disabledAt"] is None


def test_delete_forgets_the_schedule(client: TestClient) -> None:
    response = client.delete(f"{V1}/{ORDERS}", headers=HEADERS)
    assert (response.status_code, response.json()) == (200, {"success": True})
    body = client.get(V1, headers=HEADERS).json()
    assert body["pageInfo"]["totalRecords"] == 5 and ORDERS not in [r["id"] for r in body["records"]]
    assert client.get(f"/_sandbox/omni/schedules/{ORDERS}").status_code == 404
