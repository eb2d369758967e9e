"""A field the docs never show in an answer is never the source of an endless diff.

With the sandbox answering only the documented fields (``PUT /_sandbox/answers``), the weekly and
monthly days an iMBRACE scheduler is created with (sent as the official SDK does) never come back;
`up` → `refresh` → `preview` still settles with no change.
"""

from __future__ import annotations

import requests

from harness import Engine, SandboxServer
from tests.support.imbrace import api, by_name, imbrace_stack, schedulers
from tests.support.secrets import assert_no_traceback

PROGRAM = """
from providers.imbrace import JobArgs, Scheduler, SchedulerArgs

job = JobArgs(type="kafka", topic="ROUTER.OUTGOING_MESSAGE", workflow_id=7)
Scheduler("weekly", SchedulerArgs(name="documented weekly", event_type="whatsapp", job=job,
    trigger_frequency_unit="weeks", trigger_frequency_value=1, trigger_day_of_week=3,
    trigger_time="1970-01-01T09:00:00Z"))
Scheduler("monthly", SchedulerArgs(name="documented monthly", event_type="whatsapp", job=job,
    trigger_frequency_unit="months", trigger_frequency_value=1, trigger_day_of_month=15,
    trigger_time="1970-01-01T09:00:00Z"))
"""


def test_up_refresh_preview_settle_when_answers_carry_only_documented_fields(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    sandbox_server.reset()
    body = {"documented_fields_only": True}
    requests.put(f"{sandbox_server.url}/_sandbox/answers", json=body, timeout=10).raise_for_status()
    stack = imbrace_stack(engine, sandbox_server, PROGRAM, name="documented-answers")
    up = stack.up()
    assert up.summary.resource_changes == {"create": 3}
    [stored] = schedulers(sandbox_server, "documented weekly")
    answer = api(sandbox_server, "GET", f"/{stored['_id']}").json()
    assert stored["trigger_day_of_week"] == 3 and "trigger_day_of_week" not in answer  # kept, not printed
    refresh = stack.refresh()
    assert refresh.summary.resource_changes == {"same": 3}
    preview = stack.assert_no_changes()
    second = stack.up()
    assert second.summary.resource_changes == {"same": 3}
    assert_no_traceback(up.stdout, refresh.stdout, preview.stdout, second.stdout)
    assert by_name(stack)["weekly"]["inputs"]["trigger_day_of_week"] == 3
    assert by_name(stack)["monthly"]["inputs"]["trigger_day_of_month"] == 15
