"""The iMBRACE multipart calls: uploads stored as blobs, the file URLs, and "Get Scheduler File"."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from fastapi.testclient import TestClient

TOKEN = {"x-access-token": "sandbox-imbrace"}
ORG, USER = "org_sandbox", "u_sandbox"
BASE = f"/imbrace/3rd/organization/{ORG}/users/{USER}/schedulers"

# The docs' multipart payload (job.data.files carries the browser's `"file": {}`).
PAYLOAD: dict[str, Any] = {
    "type": "recurring",
    "name": "testing schedule",
    "event_type": "whatsapp",
    "channel_source": "",
    "description": "",
    "trigger_frequency_unit": "minutes",
    "trigger_frequency_value": 30,
    "start_datetime": "2024-10-16T17:30:15.463Z",
    "job": {
        "type": "webhook",
        "data": {
            "outboundTags": "Marketing",
            "message": "sdsdsds",
            "files": [
                {"id": "imbrace-upload1 - 0", "file": {}, "name": "bank.jpg", "isValid": True, "status": "ok"}
            ],
        },
        "method": "POST",
        "url": "https://org-imbrace.dev.imbrace.co/webhook/webhook_79893fd6",
    },
}
JPEG = b"\xff\xd8\xff\xe0" + os.urandom(2048)
PDF = b"%PDF-1.4\n" + os.urandom(512)


def create_with_files(client: TestClient, files: list[tuple[str, tuple[str, bytes, str]]]) -> dict[str, Any]:
    # Always multipart, as the docs' `curl --form` (with `data=` and no files, a URL-encoded form).
    form = [("payload", (None, json.dumps(PAYLOAD))), *files]
    response = client.post(f"{BASE}/files", headers=TOKEN, files=form)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_create_with_files_answers_the_documented_job_files(client: TestClient) -> None:
    body = create_with_files(
        client,
        [
            ("files", ("iphone13.jpg", JPEG, "image/jpeg")),
            ("files", ("logitech mouse.pdf", PDF, "application/pdf")),
        ],
    )
    job = body["job"]
    assert job["scheduler_id"] == body["_id"]
    assert job["data"]["files"] == [
        {"id": "imbrace-upload1 - 0", "name": "bank.jpg", "isValid": True, "status": "ok"}
    ]
    first, second = job["files"]
    assert set(first) == {
        "organization_id",
        "name",
        "file_path",
        "file_id",
        "size",
        "file_type",
        "file_extension",
        "file_url",
        "is_public",
        "short_path",
    }
    assert (first["name"], first["size"], first["file_type"], first["file_extension"]) == (
        "iphone13.jpg",
        len(JPEG),
        "image/jpeg",
        "jpeg",
    )
    assert first["organization_id"] == ORG and first["is_public"] is True and len(first["short_path"]) == 6
    assert first["file_path"].startswith(f"{ORG}/") and first["file_path"].endswith("/iphone13.jpg")
    assert first["file_url"] == f"http://testserver/imbrace/files/{first['file_id']}/iphone13.jpg"
    assert second["file_url"].endswith("/logitech%20mouse.pdf") and second["file_extension"] == "pdf"
    assert body["start_date"] == body["start_time"] == body["start_datetime"] == "2024-10-16T17:30:15.463Z"
    assert client.get(f"{BASE}/{body['_id']}", headers=TOKEN).json() == body


def test_file_url_serves_the_same_bytes_without_auth(client: TestClient) -> None:
    body = create_with_files(
        client,
        [("files", ("iphone13.jpg", JPEG, "image/jpeg")), ("files", ("doc.pdf", PDF, "application/pdf"))],
    )
    for entry, data, content_type in zip(
        body["job"]["files"], (JPEG, PDF), ("image/jpeg", "application/pdf"), strict=True
    ):
        response = client.get(entry["file_url"])  # no x-access-token, like a public S3 URL
        assert response.status_code == 200
        assert response.content == data
        assert response.headers["content-type"] == content_type


def test_content_type_is_guessed_for_untyped_uploads(client: TestClient) -> None:
    body = create_with_files(client, [("files", ("notes.txt", b"hello", "application/octet-stream"))])
    entry = body["job"]["files"][0]
    assert (entry["file_type"], entry["file_extension"]) == ("text/plain", "plain")
    untyped = create_with_files(client, [("files", ("blob.xyz123", b"\x00\x01", "application/octet-stream"))])
    entry = untyped["job"]["files"][0]
    assert (entry["file_type"], entry["file_extension"]) == ("application/octet-stream", "xyz123")


def test_create_with_no_files(client: TestClient) -> None:
    response = client.post(f"{BASE}/files", headers=TOKEN, files={"payload": (None, json.dumps(PAYLOAD))})
    assert response.status_code == 201
    assert response.json()["job"]["files"] == []


def test_get_scheduler_file(client: TestClient) -> None:
    body = create_with_files(client, [("files", ("doc.pdf", PDF, "application/pdf"))])
    entry = body["job"]["files"][0]
    response = client.get(f"{BASE}/{body['_id']}/files/{entry['file_id']}", headers=TOKEN)
    assert response.status_code == 200
    assert response.json() == {
        "file_url": entry["file_url"],
        "file_name": "doc.pdf",
        "file_type": "application/pdf",
        "file_size": len(PDF),
        "created_at": body["created_at"],
    }
    other = create_with_files(client, [])
    response = client.get(f"{BASE}/{other['_id']}/files/{entry['file_id']}", headers=TOKEN)
    assert (response.status_code, response.json()) == (404, {"message": "File not found"})


def test_update_with_files_replaces_the_old_files(client: TestClient) -> None:
    created = create_with_files(client, [("files", ("old.jpg", JPEG, "image/jpeg"))])
    old = created["job"]["files"][0]
    payload = {**PAYLOAD, "type": "non_recurring", "one_time_schedule_type": "exact", "name": "updated"}
    payload["start_datetime"] = "2099-10-16T14:45:15.463Z"
    response = client.put(
        f"{BASE}/files/{created['_id']}",
        headers={**TOKEN, "x-organization-id": ORG, "x-user-id": USER},
        data={"payload": json.dumps(payload)},
        files=[("files", ("new.pdf", PDF, "application/pdf"))],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "updated" and body["one_time_schedule_type"] == "exact"
    assert [f["name"] for f in body["job"]["files"]] == ["new.pdf"]
    assert body["created_at"] == created["created_at"]
    assert client.get(body["job"]["files"][0]["file_url"]).content == PDF
    assert client.get(old["file_url"]).status_code == 404
    gone = client.get(f"{BASE}/{created['_id']}/files/{old['file_id']}", headers=TOKEN)
    assert (gone.status_code, gone.json()) == (404, {"message": "File not found"})


@pytest.mark.lenient  # the emulator's answer to a request the docs do not allow
def test_updates_without_new_files_keep_the_uploaded_ones(client: TestClient) -> None:
    created = create_with_files(client, [("files", ("keep.jpg", JPEG, "image/jpeg"))])
    kept = created["job"]["files"]
    response = client.put(
        f"{BASE}/files/{created['_id']}",
        headers=TOKEN,
        data={"payload": json.dumps({**PAYLOAD, "name": "n2"})},
    )
    assert response.status_code == 200 and response.json()["job"]["files"] == kept
    response = client.put(f"{BASE}/{created['_id']}", headers=TOKEN, json={**PAYLOAD, "name": "n3"})
    assert response.status_code == 200 and response.json()["job"]["files"] == kept
    assert client.get(kept[0]["file_url"]).content == JPEG


def test_delete_forgets_the_files(client: TestClient) -> None:
    created = create_with_files(client, [("files", ("bye.jpg", JPEG, "image/jpeg"))])
    url = created["job"]["files"][0]["file_url"]
    assert client.delete(f"{BASE}/{created['_id']}", headers=TOKEN).status_code == 200
    response = client.get(url)
    assert (response.status_code, response.json()) == (404, {"message": "File not found"})


@pytest.mark.lenient  # the emulator's answer to a request the docs do not allow
def test_payload_sent_as_a_file_part_is_read(client: TestClient) -> None:
    files = {"payload": ("payload.json", json.dumps(PAYLOAD).encode(), "application/json")}
    response = client.post(f"{BASE}/files", headers=TOKEN, files=files)
    assert response.status_code == 201


@pytest.mark.lenient  # the emulator's answer to a request the docs do not allow
def test_payload_is_validated_like_a_json_body(client: TestClient) -> None:
    for payload, message in (
        ("[1, 2]", "Invalid JSON in payload"),
        ("  ", "payload is required"),
        (json.dumps({**PAYLOAD, "job": None}), "job is required"),
    ):
        response = client.post(f"{BASE}/files", headers=TOKEN, data={"payload": payload})
        assert (response.status_code, response.json()) == (400, {"message": message})
    response = client.post(f"{BASE}/files", headers=TOKEN, json=PAYLOAD)  # not multipart at all
    assert (response.status_code, response.json()) == (400, {"message": "payload is required"})
