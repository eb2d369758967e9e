"""``providers.omni.schedule``: the Schedule provider called directly against the sandbox over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from harness import SandboxServer
from providers.core import ApiError
from providers.omni.client import shared_cache
from providers.omni.models import ScheduleInputs
from providers.omni.schedule import OmniScheduleProvider
from providers.omni.schedule_trigger import OmniScheduleTriggerProvider
from tests.support.omni import (
    BLOB_MARLEY,
    NOBODY,
    ORDERS,
    ORDERS_2,
    QUERY,
    TOKEN,
    admin,
    calls,
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
        and created.outs["paused"] is True
        and "disabled_at" not in created.outs
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


def test_a_pause_or_resume_is_derived_a_recipient_change_read_back_and_refresh_sees_no_change(
    sandbox: SandboxServer,
) -> None:
    provider = configured(OmniScheduleProvider(), sandbox)
    calls(sandbox)
    paused = provider.create({"schedule_id": ORDERS, "paused": True})
    # One listing for the process and the pause: its outcome is derived, not read (M3).
    assert calls(sandbox) == {"GET /api/v1/schedules": 1, "PUT /api/v1/schedules/{schedule_id}/pause": 1}
    assert admin(sandbox, ORDERS)["disabledAt"] and paused.outs["paused"] is True
    # A refresh (a new process: a new listing) reads exactly what the outputs of the pause said.
    shared_cache(provider.client()).clear()
    assert provider.read(ORDERS, paused.outs).outs == paused.outs
    calls(sandbox)
    resumed = provider.update(ORDERS, paused.outs, {"schedule_id": ORDERS, "paused": False})
    # The refresh's listing serves the process: the resume alone.
    assert calls(sandbox) == {"PUT /api/v1/schedules/{schedule_id}/resume": 1}
    assert admin(sandbox, ORDERS)["disabledAt"] is None and resumed.outs["paused"] is False
    shared_cache(provider.client()).clear()
    assert provider.read(ORDERS, resumed.outs).outs == resumed.outs

    shared_cache(provider.client()).clear()
    calls(sandbox)
    news = {"schedule_id": ORDERS, "paused": True, "recipients": [BLOB_MARLEY]}
    updated = provider.update(ORDERS, {**resumed.outs, "recipients": ["ops@example.com"]}, news)
    # The recipient calls answer counts, not the schedule (and 0 when sent again after a lost
    # answer): the schedule they changed is read again with one list call by its dashboard.
    assert calls(sandbox) == {
        "GET /api/v1/schedules": 2,
        "PUT /api/v1/schedules/{schedule_id}/pause": 1,
        "PUT /api/v1/schedules/{schedule_id}/add-recipients": 1,
        "PUT /api/v1/schedules/{schedule_id}/remove-recipients": 1,
    }
    live = admin(sandbox, ORDERS)
    assert updated.outs["recipient_count"] == len(live["recipients"]) and updated.outs["paused"] is True
    shared_cache(provider.client()).clear()
    refreshed = provider.read(ORDERS, updated.outs)
    assert {k: v for k, v in refreshed.outs.items() if k != "last_completed_at"} == {
        k: v for k, v in updated.outs.items() if k != "last_completed_at"
    }


def test_refresh_shows_drift_and_deletion(sandbox: SandboxServer) -> None:
    provider = configured(OmniScheduleProvider(), sandbox)
    state = provider.create({"schedule_id": ORDERS, "recipients": ["ops@example.com"]}).outs
    unchanged = provider.read(ORDERS, state)
    assert unchanged.outs == state and "paused" not in unchanged.inputs  # paused is not managed

    omni(sandbox, "PUT", f"{ORDERS}/pause")
    omni(sandbox, "PUT", f"{ORDERS}/add-recipients", {"emails": ["intruder@example.com"]})
    shared_cache(provider.client()).clear()
    drifted = provider.read(ORDERS, state)
    assert drifted.outs["recipient_count"] == 3 and "disabled_at" not in drifted.outs
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


def test_only_a_new_schedule_id_replaces() -> None:
    provider = OmniScheduleProvider()
    olds = {"schedule_id": ORDERS, "paused": True, "delete_on_destroy": False, "name": "Orders"}

    def diff(**news: Any) -> tuple[bool, list[str]]:
        normalised = provider.dump(ScheduleInputs(**news))  # as check hands them to diff
        result = provider.diff(ORDERS, olds, normalised)
        return bool(result.changes), list(result.replaces or [])

    assert diff(schedule_id=ORDERS.upper(), paused=True) == (False, [])
    assert diff(schedule_id=ORDERS, paused=False) == (True, [])
    assert diff(schedule_id=ORDERS, paused=True, delete_on_destroy=True) == (True, [])
    assert diff(schedule_id=QUERY, paused=True) == (True, ["schedule_id"])
    trigger = OmniScheduleTriggerProvider()
    old_trigger = {"schedule_id": ORDERS, "triggers": {"v": 1}, "api_version": "v1", "confirmed": True}
    rerun = trigger.diff("t", old_trigger, {"schedule_id": ORDERS, "triggers": {"v": 2}, "api_version": "v1"})
    assert rerun.changes and rerun.replaces == []
    assert trigger.diff("t", old_trigger, {**old_trigger, "schedule_id": QUERY}).replaces == ["schedule_id"]
