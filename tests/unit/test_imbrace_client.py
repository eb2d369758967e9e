"""``providers.imbrace.client`` against the sandbox over HTTP: calls, headers, pages, errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from providers._http import ApiError, NotFoundError
from providers.imbrace.client import ImbraceClient, Upload
from providers.imbrace.settings import ImbraceSettings
from tests.conftest import SandboxServer

TOKEN = "sandbox-imbrace"
BODY: dict[str, Any] = {
    "type": "recurring",
    "name": "client test",
    "event_type": "whatsapp",
    "trigger_frequency_unit": "days",
    "trigger_frequency_value": 1,
    "job": {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE", "workflow_id": "123"},
}


def settings(server: SandboxServer, **over: str) -> ImbraceSettings:
    values = {
        "base_url": server.url + "/imbrace",
        "organization_id": "org_sandbox",
        "user_id": "u_sandbox",
        "access_token": TOKEN,
        **over,
    }
    return ImbraceSettings(**values)


@pytest.fixture
def api(sandbox_server: SandboxServer) -> ImbraceClient:
    sandbox_server.reset()
    return ImbraceClient(settings(sandbox_server))


def requests_made(server: SandboxServer) -> dict[str, int]:
    stats = requests.get(f"{server.url}/_sandbox/stats", timeout=10).json()
    return {k: v for k, v in stats["requests"].items() if k.startswith("imbrace ")}


# ---- calls -----------------------------------------------------------------------------------
def test_create_get_update_delete(api: ImbraceClient) -> None:
    created = api.create_scheduler(BODY)
    assert created.name == "client test" and created.trigger_frequency_unit == "days"
    fetched = api.get_scheduler(created.id)
    assert fetched.id == created.id and fetched.job["topic"] == "ROUTER.OUTGOING_MESSAGE"

    api.update_scheduler(created.id, {**BODY, "name": "renamed", "is_paused": True})
    assert api.get_scheduler(created.id).name == "renamed"
    assert api.get_scheduler(created.id).is_paused is True

    api.delete_scheduler(created.id)
    with pytest.raises(NotFoundError) as err:
        api.get_scheduler(created.id)
    assert err.value.status == 404 and err.value.message == "Scheduler not found"


def test_list_walks_every_page_and_filters_by_event_type(
    api: ImbraceClient, sandbox_server: SandboxServer
) -> None:
    for i in range(7):
        api.create_scheduler({**BODY, "name": f"s{i}", "event_type": "telegram_outbound" if i % 2 else "sms"})
    requests.delete(f"{sandbox_server.url}/_sandbox/stats", timeout=10)
    names = [s.name for s in api.iter_schedulers(page_size=3)]
    assert len(names) == 9 and {f"s{i}" for i in range(7)} <= set(names)  # plus the 2 seeded
    assert requests_made(sandbox_server) == {
        "imbrace GET /3rd/organization/{organization_id}/users/{user_id}/schedulers": 3
    }
    assert [s.name for s in api.iter_schedulers("sms", page_size=2)] == ["s0", "s2", "s4", "s6"]
    either = {s.name for s in api.iter_schedulers("contains:telegram_outbound,board_automation")}
    assert either == {"s1", "s3", "s5", "Board Automation - Jane - Facebook 16 days "}


def test_files_are_uploaded_and_can_be_fetched(api: ImbraceClient) -> None:
    record = api.create_scheduler_with_files(
        BODY, [Upload("menu.pdf", b"%PDF-1.4 menu"), Upload("logo.png", b"\x89PNG logo")]
    )
    assert [(f.name, f.size, f.file_type) for f in record.files] == [
        ("menu.pdf", 13, "application/pdf"),
        ("logo.png", 9, "image/png"),
    ]
    info = api.get_scheduler_file(record.id, record.files[0].file_id)
    assert (info.file_name, info.file_size) == ("menu.pdf", 13)
    assert api.download(info.file_url) == b"%PDF-1.4 menu"

    api.update_scheduler_with_files(record.id, BODY, [Upload("menu.pdf", b"%PDF-1.4 new")])
    after = api.get_scheduler(record.id)
    assert [(f.name, f.size) for f in after.files] == [("menu.pdf", 12)]
    with pytest.raises(NotFoundError, match="File not found"):
        api.get_scheduler_file(record.id, record.files[1].file_id)


def test_each_call_sends_the_headers_its_docs_show(api: ImbraceClient) -> None:
    seen: list[tuple[str, str, dict[str, str]]] = []

    def record(resp: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        req = resp.request
        path = (req.path_url or "").split("/schedulers", 1)[-1].split("?")[0]
        headers = {k.lower(): v for k, v in req.headers.items() if k.lower().startswith("x-")}
        seen.append((str(req.method), path, headers))

    hooks = api.http.session.hooks["response"]
    hooks.append(record)
    try:
        created = api.create_scheduler(BODY)
        with_files = api.create_scheduler_with_files(BODY, [Upload("a.txt", b"a")])
        api.list_page()
        api.get_scheduler(created.id)
        api.get_scheduler_file(with_files.id, with_files.files[0].file_id)
        api.update_scheduler(created.id, BODY)
        api.update_scheduler_with_files(with_files.id, BODY, [])
        api.delete_scheduler(created.id)
    finally:
        hooks.remove(record)
    token = {"x-access-token": TOKEN}
    org = {**token, "x-organization-id": "org_sandbox"}
    both = {**org, "x-user-id": "u_sandbox"}
    sid, fid = created.id, with_files.id
    assert seen == [
        ("POST", "", both),
        ("POST", "/files", token),
        ("GET", "", token),
        ("GET", f"/{sid}", both),
        ("GET", f"/{fid}/files/{with_files.files[0].file_id}", token),
        ("PUT", f"/{sid}", both),
        ("PUT", f"/files/{fid}", both),
        ("DELETE", f"/{sid}", org),
    ]


def test_multipart_payload_is_the_json_body(api: ImbraceClient, sandbox_server: SandboxServer) -> None:
    record = api.create_scheduler_with_files({**BODY, "description": "über"}, [])
    stored = requests.get(f"{sandbox_server.url}/_sandbox/imbrace/schedulers/{record.id}", timeout=10).json()
    assert stored["description"] == "über" and stored["job"]["scheduler_id"] == record.id
    assert json.loads(json.dumps(BODY))["job"] == {k: v for k, v in stored["job"].items() if k in BODY["job"]}


# ---- errors ----------------------------------------------------------------------------------
def test_documented_errors_carry_the_api_message_and_never_the_token(sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    bad_token = ImbraceClient(settings(sandbox_server, access_token="wrong-token-abc"))
    with pytest.raises(ApiError) as err:
        bad_token.list_page()
    assert (err.value.status, err.value.message) == (401, "Unauthorized")
    assert "wrong-token-abc" not in str(err.value)

    stranger = ImbraceClient(settings(sandbox_server, user_id="u_nobody"))
    with pytest.raises(NotFoundError, match="HTTP 404: User not found"):
        stranger.create_scheduler(BODY)
    with pytest.raises(ApiError, match="HTTP 400: name is required"):
        ImbraceClient(settings(sandbox_server)).create_scheduler({**BODY, "name": ""})
