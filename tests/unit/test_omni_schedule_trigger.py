"""``providers.omni.schedule_trigger``: the ScheduleTrigger provider against the sandbox over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from providers.omni.schedule_trigger import OmniScheduleTriggerProvider, TriggerError
from tests.conftest import SandboxServer
from tests.omni_support import (
    ORDERS,
    admin,
    writes,
)
from tests.unit.test_omni_schedule import configured


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[SandboxServer]:
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.reset()


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
