"""The Omni providers' mapping, called directly against the sandbox over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from pulumi.dynamic import Config, ConfigureRequest

from providers._http import ApiError
from providers.core import ConfigError
from providers.omni.client import shared_cache
from providers.omni.schedule import OmniScheduleProvider
from providers.omni.schedule_trigger import OmniScheduleTriggerProvider, TriggerError
from tests.conftest import SandboxServer
from tests.omni_support import (
    BLOB_MARLEY,
    NOBODY,
    ORDERS,
    ORDERS_2,
    QUERY,
    TOKEN,
    admin,
    emails,
    omni,
    writes,
)


def configured(provider: Any, sandbox: SandboxServer) -> Any:
    provider.configure(
        ConfigureRequest(Config({"omni:baseUrl": sandbox.url + "/omni", "omni:apiToken": TOKEN}, "p"))
    )
    shared_cache(provider.client()).clear()
    return provider


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[SandboxServer]:
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.reset()


def test_check_refuses_what_omni_would_refuse_at_preview(sandbox: SandboxServer) -> None:
    provider = configured(OmniScheduleProvider(), sandbox)
    admin(sandbox, QUERY, systemDisabledAt="2025-05-20T00:00:00Z", systemDisabledReason="Too many failures")

    def reasons(news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, str]:
        return {f.property: f.reason for f in provider.check(olds or {}, news).failures}

    webhook = reasons({"schedule_id": ORDERS_2, "recipients": ["ops@example.com"]})
    assert (
        "schedule 'Orders (2)' (2af41989-1bed-4c65-a602-927f71205a32) delivers to webhook"
        in webhook["recipients"]
    )
    disabled = reasons({"schedule_id": QUERY, "paused": True})
    assert "is system-disabled (since 2025-05-20T00:00:00Z: Too many failures)" in disabled["paused"]
    assert reasons({"schedule_id": QUERY, "paused": True}, {"paused": True}) == {}  # unchanged: no toggle
    assert reasons({"schedule_id": QUERY, "paused": False}) == {}  # already running
    assert "Omni has no schedule with id" in reasons({"schedule_id": NOBODY})["schedule_id"]
    mismatch = reasons({"schedule_id": ORDERS, "__import_id": QUERY})
    assert f"import_ names {QUERY}" in mismatch["schedule_id"]
    assert reasons({"schedule_id": ORDERS, "recipients": ["a@b.co"], "paused": True}) == {}
    trigger = configured(OmniScheduleTriggerProvider(), sandbox)
    assert [f.property for f in trigger.check({}, {"schedule_id": NOBODY}).failures] == ["schedule_id"]
    assert writes(sandbox) == {}


def test_adoption_then_updates_change_exactly_the_difference(sandbox: SandboxServer) -> None:
    provider = configured(OmniScheduleProvider(), sandbox)
    created = provider.create(
        {"schedule_id": ORDERS, "paused": True, "recipients": ["ops@example.com", BLOB_MARLEY]}
    )
    assert created.id == ORDERS
    assert (
        created.outs["name"] == "Orders"
        and created.outs["recipient_count"] == 3
        and created.outs["disabled_at"]
    )
    assert emails(sandbox, ORDERS) == {
        "blob.ross@blobsrus.com",
        "ops@example.com",
        "blob.marley@blobsrus.com",
    }

    news = {"schedule_id": ORDERS, "paused": True, "recipients": ["new@example.com", "ops@example.com"]}
    updated = provider.update(ORDERS, created.outs, news)
    assert emails(sandbox, ORDERS) == {"blob.ross@blobsrus.com", "ops@example.com", "new@example.com"}
    assert updated.outs["recipient_count"] == 3
    assert writes(sandbox) == {
        "PUT /api/v1/schedules/{schedule_id}/pause": 1,
        "PUT /api/v1/schedules/{schedule_id}/add-recipients": 2,
        "PUT /api/v1/schedules/{schedule_id}/remove-recipients": 1,
    }
    # Leaving recipients out stops managing them: nothing is removed.
    provider.update(ORDERS, updated.outs, {"schedule_id": ORDERS, "paused": False})
    assert admin(sandbox, ORDERS)["disabledAt"] is None and len(emails(sandbox, ORDERS)) == 3


def test_refresh_shows_drift_and_deletion(sandbox: SandboxServer) -> None:
    provider = configured(OmniScheduleProvider(), sandbox)
    state = provider.create({"schedule_id": ORDERS, "recipients": ["ops@example.com"]}).outs
    unchanged = provider.read(ORDERS, state)
    assert unchanged.outs == state and "paused" not in unchanged.inputs  # paused is not managed

    omni(sandbox, "PUT", f"{ORDERS}/pause")
    omni(sandbox, "PUT", f"{ORDERS}/add-recipients", {"emails": ["intruder@example.com"]})
    shared_cache(provider.client()).clear()
    drifted = provider.read(ORDERS, state)
    assert drifted.outs["recipient_count"] == 3 and drifted.outs["disabled_at"]
    assert "recipients" not in drifted.inputs and "recipients" not in drifted.outs  # the next up re-applies

    managed = provider.read(ORDERS, {**state, "paused": False})
    assert managed.inputs["paused"] is True

    omni(sandbox, "DELETE", ORDERS)
    shared_cache(provider.client()).clear()  # a refresh is a new provider process: a new listing
    assert provider.read(ORDERS, state).id == ""


def test_destroy_releases_unless_asked_to_delete(sandbox: SandboxServer) -> None:
    provider = configured(OmniScheduleProvider(), sandbox)
    provider.delete(ORDERS, {"schedule_id": ORDERS})
    assert admin(sandbox, ORDERS)["id"] == ORDERS
    provider.delete(ORDERS, {"schedule_id": ORDERS, "delete_on_destroy": True})
    assert "no schedule" in admin(sandbox, ORDERS)["detail"]
    provider.delete(ORDERS, {"schedule_id": ORDERS, "delete_on_destroy": True})  # already gone: fine


def test_api_errors_name_the_schedule(sandbox: SandboxServer) -> None:
    provider = configured(OmniScheduleProvider(), sandbox)
    with pytest.raises(ApiError) as err:
        provider.create({"schedule_id": ORDERS, "recipients": [NOBODY]})
    message = str(err.value)
    assert f"cannot add recipients to schedule 'Orders' ({ORDERS})" in message
    assert f"do not exist or do not have access to this organization: {NOBODY}" in message
    assert TOKEN not in message

    # A schedule system-disabled after the preview's check: Omni's own refusal, with the reason.
    state = provider.create({"schedule_id": QUERY}).outs
    admin(sandbox, QUERY, systemDisabledAt="2025-05-20T00:00:00Z", systemDisabledReason="Owner left")
    shared_cache(provider.client()).clear()
    with pytest.raises(
        ApiError,
        match=rf"cannot pause schedule '.*' \({QUERY}\): Schedule is system disabled \(since .*Owner left\)",
    ):
        provider.update(QUERY, state, {"schedule_id": QUERY, "paused": True})


def test_missing_settings_say_how_to_set_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMNI_BASE_URL", raising=False)
    monkeypatch.delenv("OMNI_API_TOKEN", raising=False)
    provider = OmniScheduleProvider()
    provider.configure(ConfigureRequest(Config({"omni:baseUrl": "https://blobsrus.omniapp.co"}, "p")))
    with pytest.raises(ConfigError, match=r"omni:apiToken.*OMNI_API_TOKEN"):
        provider.client()


def test_trigger_runs_on_create_and_when_triggers_change(sandbox: SandboxServer) -> None:
    provider = configured(OmniScheduleTriggerProvider(), sandbox)
    created = provider.create({"schedule_id": ORDERS, "triggers": {"v": 1}, "api_version": "unstable"})
    assert created.outs["confirmed"] is True and admin(sandbox, ORDERS)["triggerCount"] == 1
    same = provider.update(created.id, created.outs, {**created.outs, "api_version": "v1"})
    assert (
        same.outs["triggered_at"] == created.outs["triggered_at"]
        and admin(sandbox, ORDERS)["triggerCount"] == 1
    )
    provider.update(created.id, same.outs, {"schedule_id": ORDERS, "triggers": {"v": 2}})
    assert admin(sandbox, ORDERS)["triggerCount"] == 2
    assert provider.read(created.id, {**same.outs, "__provider": "x"}).outs == same.outs
    provider.delete(created.id, same.outs)
    assert writes(sandbox) == {
        "POST /api/unstable/schedules/{schedule_id}/trigger": 1,
        "POST /api/v1/schedules/{schedule_id}/trigger": 1,
    }


def test_a_dispatch_error_is_a_failure_not_a_lost_answer(sandbox: SandboxServer) -> None:
    provider = configured(OmniScheduleTriggerProvider(), sandbox)
    admin(sandbox, ORDERS, dispatchError="Failed to dispatch schedule job")
    with pytest.raises(TriggerError) as err:
        provider.create({"schedule_id": ORDERS})
    assert not err.value.ambiguous and err.value.status == 500
    assert f"cannot trigger schedule 'Orders' ({ORDERS}): Failed to dispatch schedule job" in str(err.value)


def test_a_lost_trigger_answer_is_not_sent_again(sandbox: SandboxServer) -> None:
    provider = configured(OmniScheduleTriggerProvider(), sandbox)
    fault = {"pdrop": 1, "methods": ["POST"], "path_regex": "/trigger$", "drop_after_processing": True}
    requests.put(f"{sandbox.url}/_sandbox/faults", json={"omni": {**fault, "remaining": 2}}, timeout=10)
    created = provider.create({"schedule_id": ORDERS, "triggers": {"v": 1}})
    assert created.outs["confirmed"] is False and admin(sandbox, ORDERS)["triggerCount"] == 1
    updated = provider.update(created.id, created.outs, {"schedule_id": ORDERS, "triggers": {"v": 2}})
    assert updated.outs["confirmed"] is False and admin(sandbox, ORDERS)["triggerCount"] == 2
