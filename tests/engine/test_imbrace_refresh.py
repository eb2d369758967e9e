"""A refresh of N file-less iMBRACE schedulers of one event type costs one call per 100: the
provider process lists them once (``GET …/schedulers?event_type=…&limit=100``) and reads each from
that listing (docs/api-assumptions.md, I10); only a scheduler the listing lacks is read by id."""

from __future__ import annotations

import requests

from harness import Engine, SandboxServer
from tests.support.imbrace import api, by_name, imbrace_stack, patch_scheduler, scheduler

COUNT = 6
LIST = "GET /3rd/organization/{organization_id}/users/{user_id}/schedulers"
ONE = "/3rd/organization/{organization_id}/users/{user_id}/schedulers/{scheduler_id}"
PROGRAM = """
import pulumi
from providers.imbrace import JobArgs, Scheduler, SchedulerArgs

for i in range({count}):
    if i % 2:
        job = JobArgs(type="webhook", url="https://hooks.example.com/send", method="post", data={{"n": i}})
        timing = dict(trigger_frequency_unit="weeks", trigger_frequency_value=1, trigger_day_of_week=i % 7,
                      trigger_time="1970-01-01T09:00:00Z")
    else:
        job = JobArgs(type="kafka", topic="ROUTER.OUTGOING_MESSAGE", workflow_id=str(i))
        timing = dict(trigger_frequency_unit="days", trigger_frequency_value=1)
    s = Scheduler(f"s{{i}}", SchedulerArgs(name=f"refresh-{{i}}", event_type="campaign", job=job,
                                          description="as deployed", **timing))
    pulumi.export(f"id{{i}}", s.id)
"""


def calls(server: SandboxServer) -> dict[str, int]:
    """iMBRACE requests (``"GET /3rd/…"``) since the last call; the counters are cleared."""
    stats = requests.get(f"{server.url}/_sandbox/stats", timeout=10).json()["requests"]
    requests.delete(f"{server.url}/_sandbox/stats", timeout=10).raise_for_status()
    return {k.removeprefix("imbrace "): v for k, v in stats.items() if k.startswith("imbrace ")}


def test_refresh_of_several_schedulers_lists_once_and_gets_none(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    sandbox_server.reset()
    stack = imbrace_stack(engine, sandbox_server, PROGRAM.format(count=COUNT), name="im-refresh")
    up = stack.up()
    assert (up.summary.resource_changes or {}).get("create") == COUNT + 1  # + the stack
    ids = [stack.outputs()[f"id{i}"] for i in range(COUNT)]
    calls(sandbox_server)

    refresh = stack.refresh()
    assert (refresh.summary.resource_changes or {}) == {"same": COUNT + 1}
    assert calls(sandbox_server) == {LIST: 1}  # no GET …/schedulers/{scheduler_id}

    # drift and a deletion out of band: the edit is seen in the listing; the deleted scheduler,
    # absent from it, is read by id (404: gone)
    patch_scheduler(sandbox_server, ids[0], {"description": "edited by hand", "is_paused": True})
    api(sandbox_server, "DELETE", f"/{ids[2]}")
    calls(sandbox_server)
    refresh = stack.refresh()
    assert (refresh.summary.resource_changes or {}) == {"same": COUNT - 1, "update": 1, "delete": 1}
    assert calls(sandbox_server) == {LIST: 1, f"GET {ONE}": 1}
    state = {name: r["outputs"] for name, r in by_name(stack).items()}
    assert (state["s0"]["description"], state["s0"]["paused"]) == ("edited by hand", True)
    assert "s2" not in state

    # up --refresh: the one listing serves the reads; the drift is undone (the read before the PUT)
    # and the deleted scheduler made again
    up = stack.up(refresh=True)
    assert (up.summary.resource_changes or {}).get("create") == 1
    assert (up.summary.resource_changes or {}).get("update") == 1
    assert calls(sandbox_server) == {
        LIST: 1,
        "POST /3rd/organization/{organization_id}/users/{user_id}/schedulers": 1,
        f"GET {ONE}": 1,
        f"PUT {ONE}": 1,
    }
    edited = scheduler(sandbox_server, ids[0])
    assert (edited["description"], edited["is_paused"]) == ("as deployed", False)
    stack.assert_no_changes()
