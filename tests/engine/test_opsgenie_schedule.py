"""The Opsgenie ``Schedule`` under the real engine, against the sandbox over HTTP."""

from __future__ import annotations

import base64

import pytest
from pulumi import automation as auto

from tests.conftest import SandboxServer
from tests.engine.harness import Engine
from tests.opsgenie_support import (
    READ_ONLY_KEY,
    SCHEDULE_TYPE,
    api,
    assert_key_nowhere,
    lose_next_create,
    opsgenie_requests,
    opsgenie_stack,
    state_by_type,
)

CAROL_ID = "0bd9e74c-6bb8-4c35-b345-fdfce2845bee"

PROGRAM = """
import pulumi
from providers.opsgenie import Schedule

schedule = Schedule(
    "oncall",
    name="{name}",
    timezone="Europe/Berlin",
    owner_team={{"name": "ops_team"}},{extra}
    rotations=[
        {{
            "name": "primary",
            "start_date": "2024-01-01T09:15:00+02:00",
            "type": "weekly",
            "participants": [
                {{"type": "user", "username": "alice@example.com"}},
                {{"type": "none"}},
                {{"type": "escalation", "name": "sre_escalation"}},
            ],
            "time_restriction": {{
                "type": "weekday-and-time-of-day",
                "restrictions": [
                    {{"start_day": "monday", "start_hour": 8, "start_min": 15,
                     "end_day": "friday", "end_hour": 17, "end_min": 50}},
                ],
            }},
        }},
    ],{opts}
)
pulumi.export("id", schedule.id)
pulumi.export("rotation_ids", schedule.rotation_ids)
pulumi.export("participant_ids", schedule.participant_ids)
"""


def program(name: str = "eng-oncall", extra: str = "", opts: str = "") -> str:
    return PROGRAM.format(name=name, extra=extra, opts=opts)


def test_schedule_lifecycle(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    stack = opsgenie_stack(engine, sandbox_server, program(), "og-schedule")
    client = api(sandbox_server)

    # up: created with its rotations in one call, normalised the way Opsgenie stores it
    up = stack.up()
    assert up.summary.resource_changes == {"create": 2}
    schedule_id = stack.outputs()["id"]
    live = client.get_schedule(schedule_id)
    rotation = live.rotations[0]
    assert rotation.start_date == "2024-01-01T07:30:00Z"
    assert rotation.time_restriction is not None and rotation.time_restriction.restrictions is not None
    window = rotation.time_restriction.restrictions[0]
    assert (window.start_min, window.end_day, window.end_hour, window.end_min) == (30, "friday", 18, 0)
    assert stack.outputs()["rotation_ids"] == [rotation.id]
    assert stack.outputs()["participant_ids"] == [[p.id for p in rotation.participants]]
    assert opsgenie_requests(sandbox_server)["opsgenie POST /v2/schedules"] == 1
    (res,) = state_by_type(stack, SCHEDULE_TYPE)
    provider = base64.b64decode(res["inputs"]["__provider"])  # plain: it captures no secret
    assert b"providers.opsgenie.schedule" in provider and b"_create_code" not in provider  # by reference
    stack.assert_no_changes()

    # update: one partial PATCH; the rotations, unchanged, are not sent (their ids stay)
    stack.set_program(program(extra='\n    description="Primary on-call",\n    enabled=False,'))
    up = stack.up()
    assert up.summary.resource_changes == {"update": 1, "same": 1}
    live = client.get_schedule(schedule_id)
    assert (live.description, live.enabled) == ("Primary on-call", False)
    assert [r.id for r in live.rotations] == [rotation.id]
    assert opsgenie_requests(sandbox_server)["opsgenie PATCH /v2/schedules/{identifier}"] == 1
    stack.assert_no_changes()

    # drift: changed out of band → refresh shows it, preview plans the fix, up corrects it
    rotations = [
        r.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"id"}) for r in live.rotations
    ]
    rotations[0]["participants"][0] = {"type": "user", "id": CAROL_ID}
    client.update_schedule(schedule_id, {"description": "edited by hand", "rotations": rotations})
    refresh = stack.refresh()
    assert (
        refresh.summary.resource_changes is not None and refresh.summary.resource_changes.get("update") == 1
    )
    (res,) = state_by_type(stack, SCHEDULE_TYPE)
    assert res["inputs"]["description"] == "edited by hand"
    assert res["inputs"]["rotations"][0]["participants"][0] == {
        "type": "user",
        "username": "carol@example.com",
    }
    with pytest.raises(auto.CommandError):
        stack.assert_no_changes()
    stack.up()
    live = client.get_schedule(schedule_id)
    assert live.description == "Primary on-call"
    assert live.rotations[0].participants[0].username == "alice@example.com"
    stack.assert_no_changes()

    # deleted out of band → refresh drops it from state
    client.delete_schedule(schedule_id)
    stack.refresh()
    assert state_by_type(stack, SCHEDULE_TYPE) == []

    # import by name: an existing schedule is adopted (not duplicated) and brought in line
    legacy_id = client.create_schedule({"name": "eng-legacy", "timezone": "UTC"}).id
    stack.set_program(
        program(name="eng-legacy", opts='\n    opts=pulumi.ResourceOptions(import_="eng-legacy"),')
    )
    up = stack.up()
    assert up.summary.resource_changes == {"create": 1, "same": 1}
    assert stack.outputs()["id"] == legacy_id
    assert [s.name for s in client.list_schedules()] == ["eng-legacy"]
    assert client.get_schedule(legacy_id).timezone == "Europe/Berlin"
    stack.assert_no_changes()

    destroy = stack.destroy()
    assert destroy.summary.resource_changes == {"delete": 2}
    assert client.list_schedules() == []
    assert_key_nowhere(stack, engine.root, up.stdout, refresh.stdout, destroy.stdout)


def test_schedule_failures(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    bad = """
import pulumi
from providers.opsgenie import Schedule

Schedule("bad", name="", timezone="Mars/Olympus", rotations=[
    {"start_date": "2024-01-01T09:00:00", "type": "monthly", "participants": [{"type": "user"}]},
])
"""
    stack = opsgenie_stack(engine, sandbox_server, bad, "og-failures")

    # bad input fails at preview, every field named, and nothing reaches the API
    with pytest.raises(auto.CommandError) as err:
        stack.preview()
    text = str(err.value)
    for field in (
        "name",
        "timezone",
        "rotations[0].start_date",
        "rotations[0].type",
        "rotations[0].participants[0]",
    ):
        assert f"property {field} value" in text, field
    assert "unknown time zone 'Mars/Olympus'" in text
    assert "providers/" not in text  # a clean failure, not a traceback from the provider
    assert opsgenie_requests(sandbox_server) == {}

    # a documented API error (422) surfaces with the API's text, the schedule and the request id
    stack.set_program(
        program(name="eng-ghost").replace(
            '"username": "alice@example.com"', '"username": "ghost@example.com"'
        )
    )
    with pytest.raises(auto.CommandError) as err:
        stack.up()
    text = str(err.value)
    assert "schedule 'eng-ghost'" in text
    assert "No user exists with username [ghost@example.com]" in text and "request id" in text

    # a read-only key is refused with a plain message
    stack.set_program(program(name="eng-readonly"))
    stack.set_config({"opsgenie:apiKey": READ_ONLY_KEY}, secret=True)
    with pytest.raises(auto.CommandError) as err:
        stack.up()
    assert "the Opsgenie API key is read-only: API Key is not granted with write access." in str(err.value)
    assert READ_ONLY_KEY not in str(err.value)
    stack.set_config({"opsgenie:apiKey": "sandbox-opsgenie"}, secret=True)

    # a create whose answer is lost leaves exactly one schedule, and it is in state
    lose_next_create(sandbox_server, "^/opsgenie/v2/schedules$")
    stack.set_program(program(name="eng-lost"))
    up = stack.up()
    schedules = api(sandbox_server).list_schedules()
    assert [s.name for s in schedules] == ["eng-lost"]
    assert stack.outputs()["id"] == schedules[0].id
    # the 422, the read-only 403, and the create whose answer was lost: never sent twice
    assert opsgenie_requests(sandbox_server)["opsgenie POST /v2/schedules"] == 3
    stack.assert_no_changes()
    stack.destroy()
    assert_key_nowhere(stack, engine.root, str(err.value), up.stdout)
