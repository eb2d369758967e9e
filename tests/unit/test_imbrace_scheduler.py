"""The Scheduler provider's lifecycle against the sandbox over HTTP, without the engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest
import requests

from harness import SandboxServer
from providers._http import HttpClient, RetryPolicy, shared_session
from providers.core import IMPORT_KEY, ApiError, LostCreate, NotFoundError
from providers.imbrace.client import Upload
from providers.imbrace.scheduler import SchedulerProvider
from tests.support.imbrace import patch_scheduler, scheduler, schedulers, use_sandbox

# The fields an out-of-band update re-sends.
OOB_FIELDS = (
    "type",
    "name",
    "event_type",
    "job",
    "trigger_frequency_unit",
    "trigger_frequency_value",
    "is_paused",
)
JOB = {
    "type": "webhook",
    "url": "https://hooks.example.com/send",
    "method": "POST",
    "data": {"message": "hi"},
}


@pytest.fixture
def provider(
    sandbox_server: SandboxServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> SchedulerProvider:
    sandbox_server.reset()
    use_sandbox(monkeypatch, sandbox_server)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "menu.pdf").write_bytes(b"%PDF menu v1")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG logo")
    return SchedulerProvider()


def program(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "weekly offer",
        "event_type": "whatsapp_outbound",
        "trigger_frequency_unit": "weeks",
        "trigger_frequency_value": 1,
        "trigger_day_of_week": 1,
        "trigger_time": "1970-01-01T09:00:00Z",
        "job": dict(JOB),
        "files": ["menu.pdf", "logo.png"],
    }
    return {**base, **over}


def check(
    provider: SchedulerProvider, news: dict[str, Any], olds: dict[str, Any] | None = None
) -> dict[str, Any]:
    result = provider.check(olds or {}, news)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


def test_lifecycle_with_files(
    provider: SchedulerProvider, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    inputs = check(provider, program())
    created = provider.create(inputs)
    doc = scheduler(sandbox_server, created.id)
    assert [(f["name"], f["size"]) for f in doc["_files"]] == [("menu.pdf", 12), ("logo.png", 9)]
    assert doc["trigger_day_of_week"] == 1 and doc["trigger_time"] == "1970-01-01T09:00:00.000Z"
    ids = [f["file_id"] for f in created.outs["uploaded_files"]]

    # Refresh right after: no drift, the hashes are vouched for by the downloaded content.
    read = provider.read(created.id, created.outs)
    assert read.outs == created.outs
    assert not provider.diff(created.id, read.outs, check(provider, program())).changes

    # An update that leaves the files alone does not upload them again.
    renamed = check(provider, program(name="weekly offer v2"), inputs)
    outs = provider.update(created.id, created.outs, renamed).outs
    assert [f["file_id"] for f in outs["uploaded_files"]] == ids
    assert scheduler(sandbox_server, created.id)["name"] == "weekly offer v2"

    # New content: an update that uploads the files again.
    (tmp_path / "menu.pdf").write_bytes(b"%PDF menu v2 longer")
    new_content = check(provider, program(name="weekly offer v2"), renamed)
    diff = provider.diff(created.id, outs, new_content)
    assert diff.changes and diff.replaces == [] and "files" not in diff.stables
    outs = provider.update(created.id, outs, new_content).outs
    assert [f["size"] for f in outs["uploaded_files"]] == [19, 9]
    assert not set(ids) & {f["file_id"] for f in outs["uploaded_files"]}
    url = outs["uploaded_files"][0]["file_url"]
    assert requests.get(url, timeout=10).content == b"%PDF menu v2 longer"

    # No files any more: the docs give no way to detach them all, so the scheduler is replaced.
    no_files = check(provider, program(name="weekly offer v2", files=[]), new_content)
    diff = provider.diff(created.id, {**new_content, **outs}, no_files)
    assert diff.changes and diff.replaces == ["files"]

    provider.delete(created.id, {**no_files, **outs})
    assert schedulers(sandbox_server, "weekly offer v2") == []
    provider.delete(created.id, {**no_files, **outs})  # already gone: fine


def imbrace_calls(sandbox: SandboxServer) -> dict[str, int]:
    counts = requests.get(f"{sandbox.url}/_sandbox/stats", timeout=10).json()["requests"]
    requests.delete(f"{sandbox.url}/_sandbox/stats", timeout=10)
    return {k.split(" ", 1)[1]: v for k, v in counts.items() if k.startswith("imbrace ")}


def test_an_update_is_one_read_and_the_put_with_the_outputs_a_read_would_give(
    provider: SchedulerProvider, sandbox_server: SandboxServer
) -> None:
    inputs = check(provider, program(files=[]))
    created = provider.create(inputs)
    imbrace_calls(sandbox_server)
    renamed = check(provider, program(name="weekly offer v2", files=[]), inputs)
    outs = provider.update(created.id, created.outs, renamed).outs
    one = "/3rd/organization/{organization_id}/users/{user_id}/schedulers/{scheduler_id}"
    # The read before the PUT sends back what the API keeps; the outputs need no second read.
    assert imbrace_calls(sandbox_server) == {f"GET {one}": 1, f"PUT {one}": 1}
    assert provider.read(created.id, outs).outs == outs


def test_refresh_sees_changes_and_deletion_made_elsewhere(
    provider: SchedulerProvider, sandbox_server: SandboxServer
) -> None:
    inputs = check(provider, program())
    created = provider.create(inputs)
    patch_scheduler(sandbox_server, created.id, {"name": "renamed elsewhere", "is_paused": True})
    client = provider.client()
    body = {k: v for k, v in scheduler(sandbox_server, created.id).items() if k in OOB_FIELDS}
    client.update_scheduler_with_files(created.id, body, [Upload("menu.pdf", b"%PDF same size")])

    read = provider.read(created.id, created.outs)
    assert read.inputs is not None
    assert read.inputs["name"] == "renamed elsewhere" and read.inputs["paused"] is True
    assert read.inputs["files"] == [{"name": "menu.pdf", "size": 14}]  # not ours: no hash vouched for
    diff = provider.diff(created.id, read.outs, check(provider, program()))
    assert {"name", "paused", "files"} <= set(diff_keys(provider, read.outs, inputs))
    assert diff.changes

    client.delete_scheduler(created.id)
    assert provider.read(created.id, read.outs).id == ""


def diff_keys(provider: SchedulerProvider, olds: dict[str, Any], news: dict[str, Any]) -> list[str]:
    diff = provider.diff("id", olds, news)
    return sorted(set(provider.inputs_model.model_fields) - set(diff.stables or []))


def test_same_name_and_size_but_other_content_is_drift(
    provider: SchedulerProvider, sandbox_server: SandboxServer
) -> None:
    created = provider.create(check(provider, program(files=["menu.pdf"])))
    body = {k: v for k, v in scheduler(sandbox_server, created.id).items() if k in OOB_FIELDS}
    provider.client().update_scheduler_with_files(created.id, body, [Upload("menu.pdf", b"%PDF menu v9")])
    read = provider.read(created.id, created.outs)
    assert read.inputs is not None and read.inputs["files"] == [{"name": "menu.pdf", "size": 12}]


def test_a_file_download_that_meets_a_transient_fault_is_no_drift(
    provider: SchedulerProvider, sandbox_server: SandboxServer
) -> None:
    created = provider.create(check(provider, program(files=["menu.pdf"])))
    fault = {"methods": ["GET"], "path_regex": "^/imbrace/files/"}
    for kind in ("p500", "pdrop", "p429"):  # twice each: retried with backoff, then answered
        faults = {"imbrace": {**fault, kind: 1, "remaining": 2, "retry_after_s": 0}}
        requests.put(f"{sandbox_server.url}/_sandbox/faults", json=faults, timeout=10).raise_for_status()
        read = provider.read(created.id, created.outs)
        assert read.inputs is not None and read.inputs["files"] == created.outs["files"], kind
    # Failing for good: whether the file changed cannot be told, so the refresh fails, naming the call.
    # (Two attempts without backoff here: the default policy would wait 15 s before giving up.)
    quick = shared_session("imbrace files, quick", "", {}, RetryPolicy(attempts=1, backoff_factor=0))
    provider.client().files = HttpClient("imbrace files", "", quick)
    faults = {"imbrace": {**fault, "p429": 1, "retry_after_s": 0}}
    requests.put(f"{sandbox_server.url}/_sandbox/faults", json=faults, timeout=10).raise_for_status()
    with pytest.raises(ApiError, match=r"imbrace files GET http://.*/menu\.pdf failed: HTTP 429"):
        provider.read(created.id, created.outs)


def test_a_lost_create_answer_leaves_exactly_one_scheduler(
    provider: SchedulerProvider, sandbox_server: SandboxServer
) -> None:
    faults = {"pdrop": 1, "methods": ["POST"], "path_regex": "/schedulers(/files)?$", "remaining": 2}
    requests.put(
        f"{sandbox_server.url}/_sandbox/faults",
        json={"imbrace": {**faults, "drop_after_processing": True}},
        timeout=10,
    ).raise_for_status()
    with_files = provider.create(check(provider, program()))
    plain = provider.create(
        check(provider, program(name="plain", files=[], start_datetime="2031-01-01T00:00:00Z"))
    )
    assert [s["_id"] for s in schedulers(sandbox_server, "weekly offer")] == [with_files.id]
    assert [s["_id"] for s in schedulers(sandbox_server, "plain")] == [plain.id]
    assert len(with_files.outs["uploaded_files"]) == 2

    # Dropped before the API acted: nothing to find, so the create is sent again — once made.
    requests.put(
        f"{sandbox_server.url}/_sandbox/faults", json={"imbrace": {**faults, "remaining": 2}}, timeout=10
    )
    made = provider.create(check(provider, program(name="made on the third try", files=[])))
    assert [s["_id"] for s in schedulers(sandbox_server, "made on the third try")] == [made.id]

    # Every attempt dropped before the API acted: the error surfaces, nothing was made.
    requests.put(
        f"{sandbox_server.url}/_sandbox/faults", json={"imbrace": {**faults, "remaining": 3}}, timeout=10
    )
    with pytest.raises(ApiError, match="scheduler 'never made': the connection failed"):
        provider.create(check(provider, program(name="never made", files=[])))
    assert schedulers(sandbox_server, "never made") == []
    stats = requests.get(f"{sandbox_server.url}/_sandbox/stats", timeout=10).json()
    assert stats["faults"] == {"imbrace drop-after": 2, "imbrace drop": 5}


def test_a_lost_create_is_sent_again_only_when_the_server_is_done_with_it() -> None:
    lost = ApiError("imbrace", "POST", "/x", None, "the request timed out", timed_out=True)
    assert lost.ambiguous and not lost.settled  # the server may still be acting on it
    assert ApiError("imbrace", "POST", "/x", None, "closed").settled
    assert ApiError("imbrace", "POST", "/x", 500, "boom").settled
    assert not ApiError("imbrace", "POST", "/x", 504, "gateway timeout").settled


def test_a_lost_create_does_not_adopt_an_older_look_alike_nor_a_taken_one(
    provider: SchedulerProvider, sandbox_server: SandboxServer
) -> None:
    inputs = check(provider, program(files=[], start_datetime="2031-01-01T00:00:00Z"))
    old = provider.create(inputs)
    patch_scheduler(sandbox_server, old.id, {"created_at": "2024-01-01T00:00:00.000Z"})
    recently = LostCreate(datetime.now(UTC) - timedelta(minutes=5))
    assert provider.find_created(provider.client(), provider.parse(inputs), recently) is None
    long_ago = LostCreate(datetime(2023, 1, 1, tzinfo=UTC))
    assert provider.find_created(provider.client(), provider.parse(inputs), long_ago) == (old.id, ANY)
    again = provider.create(inputs)
    found = provider.find_created(provider.client(), provider.parse(inputs), recently)
    assert found is not None and found[0] == again.id != old.id
    # The newest look-alike belongs to another resource: the older one is the answer.
    taken = LostCreate(long_ago.since, frozenset({again.id}))
    assert provider.find_created(provider.client(), provider.parse(inputs), taken) == (old.id, ANY)


def test_import_adopts_and_aligns_without_creating(
    provider: SchedulerProvider, sandbox_server: SandboxServer
) -> None:
    client = provider.client()
    existing = client.create_scheduler_with_files(
        {
            "type": "recurring",
            "name": "made by hand",
            "event_type": "whatsapp_outbound",
            "trigger_frequency_unit": "weeks",
            "trigger_frequency_value": 1,
            "job": JOB,
        },
        [Upload("menu.pdf", b"%PDF menu v1")],
    )
    news = check(provider, {**program(files=["menu.pdf"]), IMPORT_KEY: existing.id})
    adopted = provider.create(news)
    assert adopted.id == existing.id
    assert len(schedulers(sandbox_server)) == 3  # the two seeded ones and this one
    doc = scheduler(sandbox_server, existing.id)
    assert (doc["name"], doc["trigger_day_of_week"]) == ("weekly offer", 1)
    # Same content already there: adopted without uploading it again.
    assert [f["file_id"] for f in adopted.outs["uploaded_files"]] == [existing.files[0].file_id]
    # The start the API chose is not managed by a program that leaves it out: no drift.
    read = provider.read(existing.id, adopted.outs)
    assert not provider.diff(existing.id, read.outs, check(provider, program(files=["menu.pdf"]))).changes

    with pytest.raises(ApiError, match="cannot import '0123456789abcdef01234567': it does not exist"):
        provider.create(check(provider, {**program(), IMPORT_KEY: "0123456789abcdef01234567"}))


def test_api_errors_name_the_scheduler(provider: SchedulerProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMBRACE_USER_ID", "u_nobody")
    fresh = SchedulerProvider()
    with pytest.raises(ApiError) as err:
        fresh.create(check(fresh, program(files=[])))
    assert "HTTP 404: scheduler 'weekly offer': User not found; something it names does not exist" in str(
        err.value
    )
    assert "sandbox-imbrace" not in str(err.value)

    monkeypatch.setenv("IMBRACE_USER_ID", "u_sandbox")
    missing, inputs = "0123456789abcdef01234567", provider.parse(check(provider, program()))
    expected = rf"HTTP 404: scheduler 'weekly offer' \({missing}\): Scheduler not found"
    with pytest.raises(ApiError, match=expected):
        SchedulerProvider().update_remote(provider.client(), missing, inputs, inputs)
    with pytest.raises(NotFoundError):  # the provider lets a 404 through; the base reads it as gone
        SchedulerProvider().read_remote(provider.client(), missing)
    assert SchedulerProvider().read(missing, {}).id == ""
