"""docs/opsgenie.md's examples (one program), run as printed under the real engine against the sandbox."""

from __future__ import annotations

from harness import Engine, SandboxServer
from tests.support.docs_examples import example
from tests.support.opsgenie import api, opsgenie_stack


def test_docs_examples_run_as_printed(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    stack = opsgenie_stack(engine, sandbox_server, example("opsgenie.md", "program"), "og-docs")

    assert stack.preview().change_summary == {"create": 5}  # `pulumi up` previews first
    up = stack.up()
    assert up.summary.resource_changes == {"create": 5}
    outputs = stack.outputs()
    assert outputs["on_call_that_week"] == ["dave@example.com"]  # what the page says it exports
    client = api(sandbox_server)
    primary = client.get_schedule("payments-primary", "name")
    assert outputs["primary_id"] == primary.id and outputs["rotation_ids"] == [primary.rotations[0].id]
    assert primary.rotations[0].start_date == "2024-01-01T08:00:00Z"  # as the comment in the example says
    assert [r.name for r in client.get_schedule("payments-nights", "name").rotations] == ["night shift"]
    stack.assert_no_changes()

    stack.destroy()
    assert client.list_schedules() == []
