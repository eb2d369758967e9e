"""Omni under the real engine when things go wrong: bad input, refusals, API errors, lost answers."""

from __future__ import annotations

import pytest
import requests
from pulumi import automation as auto

from harness import Engine, SandboxServer
from tests.support.omni import (
    NOBODY,
    ORDERS,
    ORDERS_2,
    QUERY,
    admin,
    assert_token_nowhere,
    calls,
    omni_stack,
    set_omni_program,
)


def diagnostics(output: str, resource: str) -> str:
    """The engine's diagnostics block of one resource ("Schedule (bad)")."""
    block = output.split(f"pulumi-python:dynamic/omni:{resource}:", 1)[1]
    return block.split("\n\n", 1)[0]


def test_bad_input_fails_at_preview_naming_each_field_and_calls_nothing(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    sandbox_server.reset()
    stack = omni_stack(
        engine,
        sandbox_server,
        """
Schedule("bad", ScheduleArgs(
    schedule_id="not-a-uuid", paused="maybe", recipients=["ops@example.com", "nobody"]))
""",
        "omni-bad",
    )
    with pytest.raises(auto.CommandError) as err:
        stack.preview()
    text = str(err.value)
    assert "'not-a-uuid' is not a schedule id" in text and "schedule_id" in text
    assert "paused" in text and "recipients[1]" in text and "'nobody' is neither an email address" in text
    set_omni_program(
        stack, f'ScheduleTrigger("run", ScheduleTriggerArgs(schedule_id="{ORDERS}", api_version="v2"))'
    )
    with pytest.raises(auto.CommandError) as trigger:
        stack.preview()
    assert "api_version" in str(trigger.value) and "'v1' or 'unstable'" in str(trigger.value)
    assert "Traceback" not in text and "Traceback" not in str(trigger.value)
    assert calls(sandbox_server) == {}  # not one request reached Omni

    # Valid, but refused by the live schedules: each preview reads the list once, writes nothing.
    admin(sandbox_server, QUERY, systemDisabledAt="2025-05-20T00:00:00Z", systemDisabledReason="Owner left")
    refusals = {
        f'"{ORDERS_2}", recipients=["a@b.co"]': f"schedule 'Orders (2)' ({ORDERS_2}) delivers to webhook",
        f'"{QUERY}", paused=True': "system-disabled (since 2025-05-20T00:00:00Z: Owner left): Omni refuses",
        f'"{NOBODY}"': f"Omni has no schedule with id {NOBODY}",
    }
    calls(sandbox_server)
    for args, message in refusals.items():
        set_omni_program(stack, f'Schedule("refused", ScheduleArgs(schedule_id={args}))')
        with pytest.raises(auto.CommandError) as refused:
            stack.preview()
        assert message in diagnostics(str(refused.value), "Schedule (refused)")
    assert calls(sandbox_server) == {"GET /api/v1/schedules": 3}


def test_documented_api_errors_surface_naming_the_schedule(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    sandbox_server.reset()
    admin(sandbox_server, QUERY, dispatchError="Failed to dispatch schedule job")
    stack = omni_stack(
        engine,
        sandbox_server,
        f"""
Schedule("orders", ScheduleArgs(schedule_id="{ORDERS}", recipients=["{NOBODY}"]))
ScheduleTrigger("run", ScheduleTriggerArgs(schedule_id="{QUERY}", api_version="unstable"))
""",
        "omni-api-errors",
    )
    with pytest.raises(auto.CommandError) as err:
        stack.up()
    text = str(err.value)
    assert f"cannot add recipients to schedule 'Orders' ({ORDERS}): Invalid recipient(s): " in text
    assert f"do not exist or do not have access to this organization: {NOBODY}" in text
    assert (
        f"HTTP 500: cannot trigger schedule '⚡️🍣 Query' ({QUERY}): Failed to dispatch schedule job" in text
    )
    assert admin(sandbox_server, QUERY)["triggerCount"] == 0
    assert_token_nowhere(engine, stack, text)


def test_lost_answers_leave_exactly_one_run_and_one_pause(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    sandbox_server.reset()
    lost = {"pdrop": 1, "drop_after_processing": True, "remaining": 1}
    faults = {"omni": {**lost, "methods": ["POST"], "path_regex": "/trigger$"}}
    requests.put(f"{sandbox_server.url}/_sandbox/faults", json=faults, timeout=10).raise_for_status()
    stack = omni_stack(
        engine,
        sandbox_server,
        f"""
t = ScheduleTrigger("run", ScheduleTriggerArgs(schedule_id="{ORDERS}"))
pulumi.export("confirmed", t.confirmed)
""",
        "omni-lost",
    )
    up = stack.up()
    assert stack.outputs() == {"confirmed": False}
    assert "Omni may have started the run, so it is not sent again" in up.stdout
    assert admin(sandbox_server, ORDERS)["triggerCount"] == 1  # ran once; never sent twice
    stack.assert_no_changes()
    stack.up()
    assert admin(sandbox_server, ORDERS)["triggerCount"] == 1

    # A pause whose answer is lost is retried (PUT is idempotent); "already paused" is success.
    faults = {"omni": {**lost, "methods": ["PUT"], "path_regex": "/pause$"}}
    requests.put(f"{sandbox_server.url}/_sandbox/faults", json=faults, timeout=10).raise_for_status()
    set_omni_program(stack, f'Schedule("orders", ScheduleArgs(schedule_id="{ORDERS}", paused=True))\n')
    calls(sandbox_server)
    stack.up()
    assert admin(sandbox_server, ORDERS)["disabledAt"] is not None
    assert calls(sandbox_server)["PUT /api/v1/schedules/{schedule_id}/pause"] == 2
    stack.assert_no_changes()
