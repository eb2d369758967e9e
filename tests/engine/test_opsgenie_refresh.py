"""A refresh of N Opsgenie schedules costs one call: the provider process lists the account's
schedules once (``GET /v2/schedules?expand=rotation``) and reads each from that listing
(docs/api-assumptions.md, O10); only a schedule the listing lacks is read by id."""

from __future__ import annotations

from harness import Engine, SandboxServer
from tests.support.opsgenie import SCHEDULE_TYPE, api, calls, opsgenie_stack, state_by_type

COUNT = 6
PROGRAM = """
import pulumi
from providers.opsgenie import Schedule

for i in range({count}):
    rotations = [{{
        "name": "weekly",
        "start_date": "2024-01-01T09:00:00+01:00",
        "type": "weekly",
        "participants": [{{"type": "user", "username": "alice@example.com"}}, {{"type": "none"}}],
    }}] if i % 2 else None
    s = Schedule(f"s{{i}}", name=f"refresh-{{i}}", timezone="UTC", description="as deployed",
                 owner_team={{"name": "ops_team"}} if i % 2 else None, rotations=rotations)
    pulumi.export(f"id{{i}}", s.id)
"""


def test_refresh_of_several_schedules_lists_once_and_gets_none(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    sandbox_server.reset()
    stack = opsgenie_stack(engine, sandbox_server, PROGRAM.format(count=COUNT), "og-refresh")
    up = stack.up()
    assert (up.summary.resource_changes or {}).get("create") == COUNT + 1  # + the stack
    ids = [stack.outputs()[f"id{i}"] for i in range(COUNT)]
    calls(sandbox_server)

    refresh = stack.refresh()
    assert (refresh.summary.resource_changes or {}) == {"same": COUNT + 1}
    assert calls(sandbox_server) == {"GET /v2/schedules": 1}  # no GET /v2/schedules/{identifier}

    # drift and a deletion out of band: the edit is seen in the listing; the deleted schedule,
    # absent from it, is read by id (404: gone)
    client = api(sandbox_server)
    client.update_schedule(ids[0], {"description": "edited by hand"})
    client.delete_schedule(ids[2])
    calls(sandbox_server)
    refresh = stack.refresh()
    assert (refresh.summary.resource_changes or {}) == {"same": COUNT - 1, "update": 1, "delete": 1}
    assert calls(sandbox_server) == {"GET /v2/schedules": 1, "GET /v2/schedules/{identifier}": 1}
    by_name = {r["outputs"]["name"]: r["outputs"] for r in state_by_type(stack, SCHEDULE_TYPE)}
    assert by_name["refresh-0"]["description"] == "edited by hand" and "refresh-2" not in by_name

    # up --refresh: the one listing serves the reads and the name check of the schedule made again
    up = stack.up(refresh=True)
    assert (up.summary.resource_changes or {}).get("create") == 1
    assert (up.summary.resource_changes or {}).get("update") == 1
    assert calls(sandbox_server) == {
        "GET /v2/schedules": 1,
        "POST /v2/schedules": 1,
        "PATCH /v2/schedules/{identifier}": 1,
    }
    assert client.get_schedule(ids[0]).description == "as deployed"
    stack.assert_no_changes()
