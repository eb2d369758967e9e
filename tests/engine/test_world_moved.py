"""When the world moved: objects deleted outside Pulumi give one clear line, never a traceback.

A program that reads a deleted schedule's timeline ends with one line naming the schedule, the call
and what to do; ``pulumi up --refresh`` then recreates the schedule. Provider operations on an
object gone outside Pulumi say the same in one line.
"""

from __future__ import annotations

from harness import Engine, SandboxServer
from tests.support.opsgenie import api, opsgenie_stack

TIMELINE_PROGRAM = """
import pulumi
from providers.opsgenie import Schedule, get_schedule_timeline_output

s = Schedule("oncall", name="world-moved", timezone="UTC", rotations=[{
    "name": "weekly",
    "start_date": "2024-01-01T09:00:00Z",
    "type": "weekly",
    "participants": [{"type": "user", "username": "alice@example.com"}],
}])
timeline = get_schedule_timeline_output(s.id, date="2024-01-02T00:00:00Z")
pulumi.export("id", s.id)
pulumi.export("periods", timeline.apply(lambda t: len(t.final_timeline.rotations)))
"""


def test_a_timeline_of_a_schedule_deleted_outside_pulumi_is_one_line_and_up_refresh_recreates_it(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    sandbox_server.reset()
    stack = opsgenie_stack(engine, sandbox_server, TIMELINE_PROGRAM, "og-world-moved")
    stack.up()
    first = stack.outputs()["id"]
    api(sandbox_server).delete_schedule(first)

    up = stack.cli("up", "--yes", "--non-interactive", check=False)
    out = up.stdout + up.stderr
    assert up.returncode != 0
    assert "Traceback" not in out
    assert "non-zero exit code" not in out  # the one line stays alone (providers._program)
    diagnostics = out.split("Diagnostics:", 1)[1].split("Resources:", 1)[0]
    assert [line.strip() for line in diagnostics.strip().splitlines()][1:] == [
        next(line.strip() for line in diagnostics.splitlines() if "error:" in line)
    ]
    assert f"opsgenie: schedule '{first}' not found (GET /v2/schedules/{first}/timeline: HTTP 404" in out
    assert "run `pulumi up --refresh` to recreate it" in out

    stack.up(refresh=True)
    second = stack.outputs()["id"]
    assert second != first and api(sandbox_server).get_schedule(second).name == "world-moved"
    assert stack.outputs()["periods"] == 1
    stack.assert_no_changes()


ROTATION_PROGRAM = """
import pulumi
from providers.opsgenie import Schedule, ScheduleRotation

s = Schedule("parent", name="world-moved-parent", timezone="UTC")
ScheduleRotation("turns", schedule_id=s.id, start_date="2024-01-01T09:00:00Z", type="weekly",
                 length={length}, participants=[{{"type": "user", "username": "alice@example.com"}}])
pulumi.export("id", s.id)
"""


def test_an_update_of_an_object_deleted_outside_pulumi_is_one_line(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    sandbox_server.reset()
    stack = opsgenie_stack(engine, sandbox_server, ROTATION_PROGRAM.format(length=1), "og-world-moved-op")
    stack.up()
    api(sandbox_server).delete_schedule(stack.outputs()["id"])
    stack.set_program(ROTATION_PROGRAM.format(length=2))
    up = stack.cli("up", "--yes", "--non-interactive", check=False)
    out = up.stdout + up.stderr
    assert up.returncode != 0
    assert "Traceback" not in out
    errors = [line.strip() for line in out.split("Diagnostics:", 1)[1].splitlines() if "error:" in line]
    assert errors[0] == "error: update failed"  # the engine's, under the stack
    assert len(errors) == 2 and "HTTP 404" in errors[1]
    advice = (
        "; it was deleted outside Pulumi: run `pulumi up --refresh` (or `pulumi refresh`, then `pulumi up`) "
        "to create it again (request id "
    )
    assert "HTTP 404: rotation '" in errors[1] and advice in errors[1]

    stack.up(refresh=True)  # the schedule and its rotation, made again
    assert api(sandbox_server).get_schedule(stack.outputs()["id"]).rotations[0].length == 2
    stack.assert_no_changes()
