"""An adopted Omni schedule and a trigger through their whole life, under the real engine.

up → preview without changes → update → refresh after out-of-band changes (drift shows,
the next up corrects it) → import → refresh after out-of-band deletion → destroy.
"""

from __future__ import annotations

import base64

import pytest
from pulumi import automation as auto

from tests.conftest import SandboxServer
from tests.engine.harness import Engine, EngineStack
from tests.engine.omni_support import assert_token_nowhere, omni_stack, set_omni_program
from tests.omni_support import (
    BLOB_MARLEY,
    BLOBETTE,
    ORDERS,
    QUERY,
    WEB_TRAFFIC,
    admin,
    calls,
    emails,
    omni,
    writes,
)

BLOB_ROSS_EMAIL = "blob.ross@blobsrus.com"  # Orders' recipient before Pulumi adopts it


def program(paused: bool, recipients: list[str], run: int, *, extra: str = "", delete: bool = False) -> str:
    return f"""
orders = Schedule("orders", ScheduleArgs(
    schedule_id="{ORDERS}", paused={paused}, recipients={recipients!r}, delete_on_destroy={delete}))
ScheduleTrigger("run", ScheduleTriggerArgs(schedule_id=orders.schedule_id, triggers={{"run": {run}}}))
shown = ("name", "paused", "recipients", "recipient_count")
pulumi.export("orders", {{k: getattr(orders, k) for k in shown}})
from providers.omni import explain_cron_output, find_schedule_output, list_schedules_output
pulumi.export("webhooks", list_schedules_output(destination="webhook").apply(lambda s: [x.name for x in s]))
pulumi.export("found", find_schedule_output(name=orders.name, dashboard_name="Orders").apply(lambda s: s.id))
runs = explain_cron_output(orders.schedule, orders.timezone, count=2)
pulumi.export("runs", runs.apply(lambda e: len(e.next_runs)))
{extra}
"""


WEB = """
Schedule("web", ScheduleArgs(paused=False), opts=pulumi.ResourceOptions(import_="{id}"))
"""


def changes(result: auto.UpResult | auto.RefreshResult) -> dict[str, int]:
    return dict(result.summary.resource_changes or {})


def names(stack: EngineStack) -> set[str]:
    return {r["urn"].rsplit("::", 1)[1] for r in stack.resources()}


def test_adopt_update_drift_import_delete_destroy(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    stack = omni_stack(
        engine, sandbox_server, program(True, ["Ops@Example.com", BLOB_MARLEY], 1), "omni-life"
    )

    # up: adopt, pause, add two recipients, run once.
    assert changes(stack.up()) == {"create": 3}
    outputs = stack.outputs()
    assert (outputs["webhooks"], outputs["found"], outputs["runs"]) == (["Orders (2)"], ORDERS, 2)
    assert outputs["orders"] == {
        "name": "Orders",
        "paused": True,
        "recipients": [BLOB_MARLEY, "ops@example.com"],
        "recipient_count": 3,
    }
    record = admin(sandbox_server, ORDERS)
    assert record["disabledAt"] and record["triggerCount"] == 1
    for resource in stack.resources("pulumi-python:dynamic/omni:"):
        blob = resource["inputs"]["__provider"]
        assert isinstance(blob, str), "the providers capture no secret: __provider stays plain"
        raw = base64.b64decode(blob)  # pickled by reference, not by value
        assert b"providers.omni.schedule" in raw and b"_create_code" not in raw and len(raw) < 200
    assert emails(sandbox_server, ORDERS) == {BLOB_ROSS_EMAIL, "blob.marley@blobsrus.com", "ops@example.com"}
    stack.assert_no_changes()

    # update: resume, swap one recipient, run again; exactly those calls.
    calls(sandbox_server)
    set_omni_program(stack, program(False, ["ops@example.com", BLOBETTE], 2))
    assert changes(stack.up()) == {"same": 1, "update": 2}
    assert emails(sandbox_server, ORDERS) == {BLOB_ROSS_EMAIL, "ops@example.com", "blobette@blobsrus.com"}
    assert admin(sandbox_server, ORDERS)["disabledAt"] is None
    assert admin(sandbox_server, ORDERS)["triggerCount"] == 2
    assert writes(sandbox_server) == {
        "PUT /api/v1/schedules/{schedule_id}/resume": 1,
        "PUT /api/v1/schedules/{schedule_id}/remove-recipients": 1,
        "PUT /api/v1/schedules/{schedule_id}/add-recipients": 1,
        "POST /api/v1/schedules/{schedule_id}/trigger": 1,
    }
    stack.assert_no_changes()

    # Out of band: paused in Omni's UI and a recipient removed there. Refresh shows it…
    omni(sandbox_server, "PUT", f"{ORDERS}/pause")
    omni(sandbox_server, "PUT", f"{ORDERS}/remove-recipients", {"emails": ["ops@example.com"]})
    assert changes(stack.refresh()) == {"same": 2, "update": 1}
    (orders,) = [r for r in stack.resources() if r["urn"].endswith("::orders")]
    assert orders["outputs"]["paused"] is True and orders["outputs"]["recipient_count"] == 2
    assert "recipients" not in orders["outputs"]
    preview = stack.preview()
    assert preview.change_summary.get("update") == 1
    # …and the next up corrects it, without running the schedule again.
    stack.up()
    assert admin(sandbox_server, ORDERS)["disabledAt"] is None
    assert emails(sandbox_server, ORDERS) == {BLOB_ROSS_EMAIL, "ops@example.com", "blobette@blobsrus.com"}
    assert admin(sandbox_server, ORDERS)["triggerCount"] == 2
    stack.assert_no_changes()
    assert changes(stack.refresh()) == {"same": 3}

    # import_: adopt a paused schedule and resume it.
    set_omni_program(
        stack, program(False, ["ops@example.com", BLOBETTE], 2, extra=WEB.format(id=WEB_TRAFFIC))
    )
    assert changes(stack.up()) == {"same": 3, "create": 1}
    assert admin(sandbox_server, WEB_TRAFFIC)["disabledAt"] is None
    stack.assert_no_changes()

    # Deleted in Omni: refresh drops it from the stack; a program still naming it fails at preview.
    omni(sandbox_server, "DELETE", WEB_TRAFFIC)
    stack.refresh()
    assert "web" not in names(stack)
    with pytest.raises(auto.CommandError) as gone:
        stack.preview()
    assert f"Omni has no schedule with id {WEB_TRAFFIC}" in str(gone.value)
    assert "`pulumi refresh` drops it from the stack" in str(gone.value)

    # destroy: delete_on_destroy deletes Orders; the released Query schedule stays; nothing else is called.
    released = f'Schedule("query", ScheduleArgs(schedule_id="{QUERY}"))'
    set_omni_program(stack, program(False, ["ops@example.com", BLOBETTE], 2, extra=released, delete=True))
    up = stack.up()
    assert_token_nowhere(engine, stack, str(gone.value), up.stdout, up.stderr)
    calls(sandbox_server)
    stack.destroy()
    assert stack.resources() == []
    assert "detail" in admin(sandbox_server, ORDERS)  # the admin route's 404: gone from Omni
    assert admin(sandbox_server, QUERY)["id"] == QUERY
    assert writes(sandbox_server) == {"DELETE /api/v1/schedules/{schedule_id}": 1}
