"""iMBRACE under the real engine when things go wrong: bad input, API errors, lost answers, secrets."""

from __future__ import annotations

import pytest
import requests
from pulumi import automation as auto

from harness import Engine, SandboxServer
from tests.support.imbrace import assert_token_nowhere, by_name, imbrace_requests, imbrace_stack, schedulers

BAD_PROGRAM = """
import pulumi
from providers.imbrace import JobArgs, Scheduler, SchedulerArgs

Scheduler("bad", SchedulerArgs(
    name="bad one",
    event_type="whatsapp",
    trigger_frequency_unit="years",
    trigger_frequency_value=0,
    job=JobArgs(type="webhook", method="SEND"),
    files=["missing/brochure.pdf", pulumi.FileAsset("missing/logo.png")],
))
"""
PAST_ONE_TIME = """
from providers.imbrace import JobArgs, Scheduler, SchedulerArgs

Scheduler("late", SchedulerArgs(
    name="too late",
    event_type="whatsapp",
    type="non_recurring",
    start_datetime="2020-01-01T09:00:00Z",
    job=JobArgs(type="kafka", topic="ROUTER.OUTGOING_MESSAGE"),
))
"""
GOOD_PROGRAM = """
from providers.imbrace import JobArgs, Scheduler, SchedulerArgs

Scheduler("plain", SchedulerArgs(
    name="lost answer, plain",
    event_type="whatsapp",
    trigger_frequency_unit="days",
    trigger_frequency_value=1,
    start_datetime="2031-01-01T08:00:00Z",
    job=JobArgs(type="kafka", topic="ROUTER.OUTGOING_MESSAGE"),
))
Scheduler("with-files", SchedulerArgs(
    name="lost answer, with files",
    event_type="whatsapp",
    trigger_frequency_unit="minutes",
    trigger_frequency_value=30,
    job=JobArgs(type="webhook", url="https://hooks.example.com/send", method="POST"),
    files=["hours.txt"],
))
"""


def test_bad_input_fails_at_preview_naming_each_field(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    stack = imbrace_stack(engine, sandbox_server, BAD_PROGRAM, name="imbrace-bad")
    with pytest.raises(auto.CommandError) as err:
        stack.preview()
    out = str(err.value)
    for field, reason in [
        ("trigger_frequency_value", "must be at least 1 (got 0)"),
        ("trigger_month_and_day", "is required when trigger_frequency_unit is years"),
        ("job.url", "is required for a webhook job"),
        ("job.method", "'SEND' is not one of GET, POST, PUT, PATCH, DELETE"),
        ("files[0]", "file 'missing/brochure.pdf' not found"),
        ("files[1]", "file 'missing/logo.png' not found"),
    ]:
        assert f"resource 'bad': property {field} value" in out, field
        assert f"has a problem: {reason}" in out, reason
    assert "Traceback" not in out

    stack.set_program(PAST_ONE_TIME)
    with pytest.raises(auto.CommandError) as err:
        stack.preview()
    assert "property start_datetime value" in str(err.value)
    assert "must be in the future for a one-time (non_recurring) scheduler" in str(err.value)
    with pytest.raises(auto.CommandError):
        stack.up()
    assert imbrace_requests(sandbox_server) == {}, "nothing may reach the API"
    assert stack.resources() == []


def test_api_error_lost_answers_and_secrets(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    # A documented API error: the configured user does not exist.
    stack = imbrace_stack(engine, sandbox_server, GOOD_PROGRAM, name="imbrace-errors", user="u_nobody")
    (stack.workdir / "hours.txt").write_text("Mon-Fri 9-18\n")
    with pytest.raises(auto.CommandError) as err:
        stack.up()
    out = str(err.value)
    assert "HTTP 404: scheduler 'lost answer, plain': User not found" in out
    assert "HTTP 404: scheduler 'lost answer, with files': User not found" in out
    assert_token_nowhere(stack, engine, out)
    assert schedulers(sandbox_server, "lost answer, plain") == []

    # Both creates succeed on the server but their answers are lost: one scheduler each.
    stack.set_config({"imbrace:userId": "u_sandbox"})
    requests.put(
        f"{sandbox_server.url}/_sandbox/faults",
        json={
            "imbrace": {
                "pdrop": 1,
                "methods": ["POST"],
                "path_regex": "/schedulers(/files)?$",
                "drop_after_processing": True,
                "remaining": 2,
            }
        },
        timeout=10,
    ).raise_for_status()
    up = stack.up()
    assert up.summary.resource_changes == {"create": 2, "same": 1}
    stats = requests.get(f"{sandbox_server.url}/_sandbox/stats", timeout=10).json()
    assert stats["faults"] == {"imbrace drop-after": 2}
    state = by_name(stack)
    for resource, name in (("plain", "lost answer, plain"), ("with-files", "lost answer, with files")):
        assert [d["_id"] for d in schedulers(sandbox_server, name)] == [state[resource]["id"]]
    assert [f["name"] for f in state["with-files"]["outputs"]["uploaded_files"]] == ["hours.txt"]
    stack.assert_no_changes()
    assert_token_nowhere(stack, engine, up.stdout, up.stderr)
    stack.destroy()
    assert schedulers(sandbox_server, "lost answer, plain") == []
