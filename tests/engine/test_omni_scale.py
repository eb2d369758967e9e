"""Omni has no get-by-id: 250 adopted schedules must cost ⌈250/100⌉ list calls, not 250 listings,
and pausing or resuming them one call each on top (no read after the write: M3)."""

from __future__ import annotations

import json

from harness import Engine, SandboxServer
from tests.support.omni import calls, omni_stack, seed

COUNT = 250
PROGRAM = """
import json
paused = pulumi.Config().get_bool("paused")
for i, schedule_id in enumerate(json.loads(pulumi.Config().require("ids"))):
    Schedule(f"s{i}", ScheduleArgs(schedule_id=schedule_id, paused=paused))
"""


def test_refresh_of_250_schedules_lists_three_pages_and_calls_nothing_else(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    sandbox_server.reset()
    ids = [
        id_
        for i in range(7)  # seven dashboards
        for id_ in seed(
            sandbox_server, COUNT // 7 + (i < COUNT % 7), identifier=f"bulk{i}", recipientCount=i % 3
        )
    ]
    assert len(ids) == COUNT
    stack = omni_stack(engine, sandbox_server, PROGRAM, "omni-scale")
    stack.set_config({"ids": json.dumps(ids)})
    calls(sandbox_server)

    up = stack.up()
    assert (up.summary.resource_changes or {}).get("create") == COUNT + 1  # + the stack
    three_pages = {"GET /api/v1/schedules": 3}  # 256 schedules, 100 a page
    assert calls(sandbox_server) == three_pages  # checks and adoptions share one listing

    refresh = stack.refresh()
    assert (refresh.summary.resource_changes or {}) == {"same": COUNT + 1}
    assert calls(sandbox_server) == three_pages

    stack.assert_no_changes()
    assert calls(sandbox_server) == three_pages

    # Pausing every schedule: the pages and one call per pause; the state derived from the
    # pauses is what a refresh reads (nothing changes), and the next preview is clean.
    stack.set_config({"paused": "true"})
    paused = stack.up()
    assert (paused.summary.resource_changes or {}).get("update") == COUNT
    assert calls(sandbox_server) == {**three_pages, "PUT /api/v1/schedules/{schedule_id}/pause": COUNT}
    refresh = stack.refresh()
    assert (refresh.summary.resource_changes or {}) == {"same": COUNT + 1}
    stack.assert_no_changes()
