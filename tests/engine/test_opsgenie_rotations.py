"""``ScheduleRotation`` and ``ScheduleOverride`` under the real engine, beside a rotation-less Schedule."""

from __future__ import annotations

from harness import Engine, SandboxServer
from tests.support.opsgenie import (
    OVERRIDE_TYPE,
    ROTATION_TYPE,
    api,
    assert_key_nowhere,
    opsgenie_stack,
    state_by_type,
)

PROGRAM = """
import pulumi
from providers.opsgenie import Schedule, ScheduleOverride, ScheduleRotation

schedule = Schedule("team", name="eng-team", description="{description}")
days = ScheduleRotation(
    "days",
    schedule_id=schedule.id,
    name="days",
    start_date="2024-01-01T08:00:00+01:00",
    type="daily",
    length={length},
    participants=[
        {{"type": "user", "username": "alice@example.com"}},
        {{"type": "team", "name": "sre"}},
    ],
    time_restriction={{
        "type": "time-of-day",
        "restriction": {{"start_hour": 8, "start_min": 0, "end_hour": 20, "end_min": 0}},
    }},
)
nights = ScheduleRotation(
    "nights",
    schedule_id=schedule.id,
    name="nights",
    start_date="2024-01-01T20:00:00+01:00",
    type="weekly",
    participants=[{{"type": "user", "username": "bob@example.com"}}],
)
cover = ScheduleOverride(
    "cover",
    schedule_id=schedule.id,
    user={{"type": "user", "username": "carol@example.com"}},
    start_date="2024-03-01T00:00:00+01:00",
    end_date="{override_end}",
    rotations=[{{"name": "days"}}],
    opts=pulumi.ResourceOptions(depends_on=[days]),
)
{more}
pulumi.export("schedule_id", schedule.id)
pulumi.export("days_id", days.rotation_id)
pulumi.export("cover_alias", cover.alias)
"""


def program(
    description: str = "team on-call",
    length: int = 1,
    override_end: str = "2024-03-08T00:00:00+01:00",
    more: str = "",
) -> str:
    return PROGRAM.format(description=description, length=length, override_end=override_end, more=more)


def test_rotations_and_overrides_beside_a_schedule(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    stack = opsgenie_stack(engine, sandbox_server, program(), "og-rotations")
    client = api(sandbox_server)

    # preview: the schedule id is unknown until the schedule exists; check must not judge it
    preview = stack.preview()
    assert preview.change_summary == {"create": 5}
    up = stack.up()
    assert up.summary.resource_changes == {"create": 5}
    outputs = stack.outputs()
    schedule_id, days_id = outputs["schedule_id"], outputs["days_id"]
    assert outputs["cover_alias"] == "cover"  # the alias defaults to the resource name
    # Both rotations are created concurrently, so their order in the schedule is not fixed.
    assert sorted(r.name for r in client.list_rotations(schedule_id)) == ["days", "nights"]
    override = client.get_override(schedule_id, "cover")
    assert override.start_date == "2024-02-29T23:00:00Z" and [r.id for r in override.rotations] == [days_id]
    # The Schedule leaves out `rotations`, so it does not see the two rotations as drift.
    stack.assert_no_changes()

    # updates go through the rotation and override endpoints; the Schedule's PATCH leaves rotations be
    stack.set_program(program(description="changed", length=2, override_end="2024-03-09T00:00:00Z"))
    up = stack.up()
    assert up.summary.resource_changes is not None and up.summary.resource_changes.get("update") == 3
    live = client.list_rotations(schedule_id)
    assert len(live) == 2 and next(r for r in live if r.id == days_id).length == 2
    assert client.get_override(schedule_id, "cover").end_date == "2024-03-09T00:00:00Z"
    stack.assert_no_changes()

    # a rotation deleted out of band leaves state on refresh and comes back on up
    nights = next(r for r in live if r.name == "nights")
    client.delete_rotation(schedule_id, nights.id)
    refresh = stack.refresh()
    assert [r["outputs"]["name"] for r in state_by_type(stack, ROTATION_TYPE)] == ["days"]
    up = stack.up()
    assert up.summary.resource_changes is not None and up.summary.resource_changes.get("create") == 1
    assert sorted(r.name or "" for r in client.list_rotations(schedule_id)) == ["days", "nights"]

    # import: a rotation and an override made by hand are adopted by their composite ids
    extra_id = client.create_rotation(
        schedule_id,
        {"name": "weekend", "startDate": "2024-01-06T00:00:00Z", "type": "weekly",
         "participants": [{"type": "user", "username": "dave@example.com"}]},
    )  # fmt: skip
    client.create_override(
        schedule_id,
        {"alias": "hand-made", "user": {"type": "none"},
         "startDate": "2024-04-01T00:00:00Z", "endDate": "2024-04-02T00:00:00Z"},
    )  # fmt: skip
    more = """
weekend = ScheduleRotation(
    "weekend",
    schedule_id=schedule.id,
    name="weekend",
    start_date="2024-01-06T01:00:00+01:00",
    type="weekly",
    participants=[{"type": "user", "username": "dave@example.com"}],
    opts=pulumi.ResourceOptions(import_=pulumi.Config().require("weekend")),
)
gap = ScheduleOverride(
    "gap",
    schedule_id=schedule.id,
    user={"type": "none"},
    start_date="2024-04-01T00:00:00Z",
    end_date="2024-04-02T00:00:00Z",
    opts=pulumi.ResourceOptions(import_=pulumi.Config().require("gap")),
)
"""
    stack.set_config({"weekend": f"{schedule_id}/{extra_id}", "gap": f"{schedule_id}/hand-made"})
    stack.set_program(
        program(description="changed", length=2, override_end="2024-03-09T00:00:00Z", more=more)
    )
    up = stack.up()
    assert up.summary.resource_changes is not None and up.summary.resource_changes.get("create") == 2
    assert len(client.list_rotations(schedule_id)) == 3 and len(client.list_overrides(schedule_id)) == 2
    ids = {r["urn"].rsplit("::", 1)[1]: r["id"] for r in state_by_type(stack, ROTATION_TYPE)}
    assert ids["weekend"] == f"{schedule_id}/{extra_id}"
    assert {r["id"] for r in state_by_type(stack, OVERRIDE_TYPE)} == {
        f"{schedule_id}/cover",
        f"{schedule_id}/hand-made",
    }
    stack.assert_no_changes()

    destroy = stack.destroy()
    assert destroy.summary.resource_changes == {"delete": 7}
    assert client.list_schedules() == []
    assert_key_nowhere(stack, engine.root, up.stdout, refresh.stdout, destroy.stdout)
