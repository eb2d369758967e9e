"""iMBRACE and Omni over real HTTP: concurrency, restarts, injected faults, stats and admin routes."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient

IMBRACE_TOKEN = {"x-access-token": "sandbox-imbrace"}
IMBRACE = "/imbrace/3rd/organization/org_sandbox/users/u_sandbox/schedulers"
OMNI_AUTH = {"Authorization": "Bearer sandbox-omni"}
OMNI = "/omni/api/v1/schedules"
ORDERS = "61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc"
SCHEDULER = {
    "type": "recurring",
    "name": "concurrent",
    "event_type": "whatsapp",
    "job": {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE"},
    "trigger_frequency_unit": "days",
    "trigger_frequency_value": 1,
}
THREADS, WRITES = 20, 50


# --- real HTTP ------------------------------------------------------------------------


def test_imbrace_over_http(sandbox_server: Any) -> None:
    sandbox_server.reset()
    url = sandbox_server.url
    with requests.Session() as http:
        http.headers.update(IMBRACE_TOKEN)
        payload = json.dumps({**SCHEDULER, "name": "with files"})
        data = b"%PDF-1.4 real bytes over http"
        response = http.post(
            f"{url}{IMBRACE}/files",
            data={"payload": payload},
            files=[("files", ("report.pdf", data, "application/pdf"))],
            timeout=10,
        )
        assert response.status_code == 201, response.text
        created = response.json()
        file_url = created["job"]["files"][0]["file_url"]
        assert file_url.startswith(url + "/imbrace/files/")
        download = requests.get(file_url, timeout=10)  # no token
        assert (download.content, download.headers["content-type"]) == (data, "application/pdf")
        missing = http.get(f"{url}/imbrace/3rd/organization//users/u_sandbox/schedulers", timeout=10)
        assert (missing.status_code, missing.json()) == (400, {"message": "organization_id is required"})
        deleted = http.delete(f"{url}{IMBRACE}/{created['_id']}", timeout=10)
        assert deleted.json() == {"message": f"schedule {created['_id']} is deleted successfully"}


def test_omni_over_http(sandbox_server: Any) -> None:
    sandbox_server.reset()
    url = sandbox_server.url
    with requests.Session() as http:
        http.headers.update(OMNI_AUTH)
        listed = http.get(f"{url}{OMNI}", timeout=10).json()
        assert listed["pageInfo"]["totalRecords"] == 6
        assert http.post(f"{url}{OMNI}/{ORDERS}/trigger", timeout=10).json() == {"success": True}
        unstable = http.post(f"{url}/omni/api/unstable/schedules/nope/trigger", timeout=10)
        assert unstable.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
        assert http.put(f"{url}{OMNI}/{ORDERS}/pause", timeout=10).json() == {"success": True}
        record = requests.get(f"{url}/_sandbox/omni/schedules/{ORDERS}", timeout=10).json()
        assert record["triggerCount"] == 1 and record["disabledAt"] is not None


def test_concurrent_imbrace_creates_lose_nothing(sandbox_server: Any) -> None:
    sandbox_server.reset()
    url = sandbox_server.url

    def writer(thread: int) -> list[str]:
        with requests.Session() as http:
            ids = []
            for i in range(WRITES):
                body = {**SCHEDULER, "name": f"t{thread}-{i}"}
                response = http.post(f"{url}{IMBRACE}", headers=IMBRACE_TOKEN, json=body, timeout=30)
                assert response.status_code == 201, response.text
                ids.append(response.json()["_id"])
            return ids

    with ThreadPoolExecutor(THREADS) as pool:
        ids = [i for chunk in pool.map(writer, range(THREADS)) for i in chunk]
    assert len(set(ids)) == THREADS * WRITES
    body = requests.get(f"{url}{IMBRACE}", headers=IMBRACE_TOKEN, params={"limit": 1}, timeout=10).json()
    assert body["total"] == THREADS * WRITES + 2  # plus the two seeded schedulers
    stored = requests.get(f"{url}/_sandbox/imbrace/schedulers", timeout=30).json()
    assert {s["name"] for s in stored} >= {f"t{t}-{i}" for t in range(THREADS) for i in range(WRITES)}


def test_concurrent_omni_recipient_adds_lose_nothing(sandbox_server: Any) -> None:
    sandbox_server.reset()
    url = sandbox_server.url

    def writer(thread: int) -> int:
        added = 0
        with requests.Session() as http:
            for i in range(WRITES):
                body = {"emails": [f"t{thread}-{i}@example.com"]}
                response = http.put(
                    f"{url}{OMNI}/{ORDERS}/add-recipients", headers=OMNI_AUTH, json=body, timeout=30
                )
                assert response.status_code == 200, response.text
                added += response.json()["addedRecipientsCount"]
        return added

    with ThreadPoolExecutor(THREADS) as pool:
        assert sum(pool.map(writer, range(THREADS))) == THREADS * WRITES
    records = requests.get(f"{url}{OMNI}", headers=OMNI_AUTH, params={"q": "orders"}, timeout=10).json()[
        "records"
    ]
    orders = next(r for r in records if r["id"] == ORDERS)
    assert orders["recipientCount"] == THREADS * WRITES + 1


def test_data_survives_a_restart(sandbox_server: Any, tmp_path: Path) -> None:
    server = type(sandbox_server)(tmp_path / "restart.db").start()
    try:
        created = requests.post(
            f"{server.url}{IMBRACE}/files",
            headers=IMBRACE_TOKEN,
            data={"payload": json.dumps(SCHEDULER)},
            files=[("files", ("kept.txt", b"still here", "text/plain"))],
            timeout=10,
        ).json()
        added = requests.put(
            f"{server.url}{OMNI}/{ORDERS}/add-recipients",
            headers=OMNI_AUTH,
            json={"emails": ["persisted@example.com"]},
            timeout=10,
        )
        assert added.json()["addedRecipientsCount"] == 1
        requests.put(f"{server.url}{OMNI}/{ORDERS}/pause", headers=OMNI_AUTH, timeout=10)
        server.stop()
        server.start()
        again = requests.get(
            f"{server.url}{IMBRACE}/{created['_id']}", headers=IMBRACE_TOKEN, timeout=10
        ).json()
        assert again["name"] == created["name"] and again["created_at"] == created["created_at"]
        # The file URL follows the server to its new port, and the bytes are still there.
        file_url = again["job"]["files"][0]["file_url"]
        assert file_url.startswith(server.url)
        assert requests.get(file_url, timeout=10).content == b"still here"
        record = requests.get(f"{server.url}/_sandbox/omni/schedules/{ORDERS}", timeout=10).json()
        assert record["recipientCount"] == 2 and record["disabledAt"] is not None
    finally:
        server.stop()


# --- injected faults and statistics ------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "path", "headers", "body"),
    [
        ("imbrace", IMBRACE, IMBRACE_TOKEN, {"message": "Too Many Requests"}),
        ("omni", OMNI, OMNI_AUTH, {"detail": "Too Many Requests", "status": 429}),
    ],
)
def test_injected_429_in_each_apis_shape(
    client: TestClient, api: str, path: str, headers: dict[str, str], body: dict[str, Any]
) -> None:
    client.put("/_sandbox/faults", json={api: {"p429": 1, "retry_after_s": 7}})
    response = client.get(path, headers=headers)
    assert (response.status_code, response.json()) == (429, body)
    assert response.headers["Retry-After"] == "7"
    other = "omni" if api == "imbrace" else "imbrace"
    other_path, other_headers = (OMNI, OMNI_AUTH) if other == "omni" else (IMBRACE, IMBRACE_TOKEN)
    assert client.get(other_path, headers=other_headers).status_code == 200  # faults are per API
    assert client.get("/_sandbox/stats").json()["faults"] == {f"{api} 429": 1}


def test_injected_500_in_each_apis_shape(client: TestClient) -> None:
    client.put("/_sandbox/faults", json={"imbrace": {"p500": 1}, "omni": {"p500": 1}})
    response = client.get(IMBRACE, headers=IMBRACE_TOKEN)
    assert (response.status_code, response.json()) == (500, {"message": "Internal Server Error"})
    response = client.get(OMNI, headers=OMNI_AUTH)
    assert (response.status_code, response.json()) == (
        500,
        {"detail": "Internal Server Error", "status": 500},
    )


def test_stats_count_requests_per_route(client: TestClient) -> None:
    client.delete("/_sandbox/stats")
    for _ in range(3):
        client.get(IMBRACE, headers=IMBRACE_TOKEN)
    client.post(f"{OMNI}/{ORDERS}/trigger", headers=OMNI_AUTH)
    client.get(OMNI)  # a 401 is counted too
    stats = client.get("/_sandbox/stats").json()
    requests_ = stats["requests"]
    assert requests_["imbrace GET /3rd/organization/{organization_id}/users/{user_id}/schedulers"] == 3
    assert requests_["omni POST /api/v1/schedules/{schedule_id}/trigger"] == 1
    assert requests_["omni GET /api/v1/schedules"] == 1
    assert stats["total"] == 5


# --- admin routes ----------------------------------------------------------------------------


def test_omni_admin_seeds_a_schedule_with_owner_and_recipients(client: TestClient) -> None:
    user = client.post(
        "/_sandbox/omni/users", json={"name": "Sandy Box", "email": "sandy@example.com"}
    ).json()
    response = client.post(
        "/_sandbox/omni/schedules",
        json={
            "name": "Seeded",
            "ownerId": user["id"],
            "recipients": ["sandy@example.com", "x@example.com"],
            "lastStatus": "COMPLETE",
        },
    )
    assert response.status_code == 201
    seeded = response.json()
    assert seeded["ownerName"] == "Sandy Box" and seeded["recipientCount"] == 2
    assert seeded["recipients"][0] == {"email": "sandy@example.com", "userId": user["id"]}
    assert client.get(f"/_sandbox/omni/schedules/{seeded['id']}").json() == seeded
    listed = client.get(OMNI, headers=OMNI_AUTH, params={"ownerId": user["id"]}).json()["records"]
    assert [r["id"] for r in listed] == [seeded["id"]]
    assert set(listed[0]) == set(client.get(OMNI, headers=OMNI_AUTH).json()["records"][0])


def test_omni_admin_recipient_count_and_fixed_id(client: TestClient) -> None:
    schedule_id = "11111111-2222-4333-8444-555555555555"
    body = {"id": schedule_id, "recipientCount": 4, "systemDisabledAt": "2025-01-01T00:00:00.000Z"}
    seeded = client.post("/_sandbox/omni/schedules", json=body).json()
    assert seeded["id"] == schedule_id and len(seeded["recipients"]) == 4
    response = client.put(f"{OMNI}/{schedule_id}/resume", headers=OMNI_AUTH)
    assert response.json() == {"detail": "Schedule is system disabled", "status": 400}
    assert client.post("/_sandbox/omni/schedules", json={"id": "nope"}).status_code == 422
    assert client.post("/_sandbox/omni/schedules", json={"colour": "red"}).status_code == 422
    assert client.post("/_sandbox/omni/schedules", json={"ownerId": ORDERS}).status_code == 404
    assert len(client.get("/_sandbox/omni/users").json()) == 4


def test_imbrace_admin_reads_and_patches_stored_schedulers(client: TestClient) -> None:
    stored = client.get("/_sandbox/imbrace/schedulers").json()
    assert [s["_id"] for s in stored] == ["66e17484412c29cf84c39898", "66e400607c85c0dc11b46f21"]
    patched = client.patch(
        "/_sandbox/imbrace/schedulers/66e17484412c29cf84c39898", json={"is_finished": True}
    )
    assert patched.status_code == 200 and patched.json()["is_finished"] is True
    api = client.get(f"{IMBRACE}/66e17484412c29cf84c39898", headers=IMBRACE_TOKEN).json()
    assert api["is_finished"] is True
    one = client.get("/_sandbox/imbrace/schedulers/66e17484412c29cf84c39898").json()
    assert one["_files"] == [] and one["is_finished"] is True
    assert client.get("/_sandbox/imbrace/schedulers/000000000000000000000000").status_code == 404
    bad = client.patch("/_sandbox/imbrace/schedulers/66e17484412c29cf84c39898", json={"is_paused": "maybe"})
    assert bad.status_code == 422


def test_reset_restores_the_seeds(client: TestClient) -> None:
    client.delete(f"{OMNI}/{ORDERS}", headers=OMNI_AUTH)
    client.delete(f"{IMBRACE}/66e17484412c29cf84c39898", headers=IMBRACE_TOKEN)
    client.post("/_sandbox/reset")
    assert client.get(OMNI, headers=OMNI_AUTH).json()["pageInfo"]["totalRecords"] == 6
    assert client.get(IMBRACE, headers=IMBRACE_TOKEN).json()["total"] == 2
