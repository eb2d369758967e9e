"""The README's Opsgenie example, run as printed under the real engine against the sandbox."""

from __future__ import annotations

import re

from harness import REPO, Engine, SandboxServer
from tests.support.opsgenie import api, opsgenie_stack

HEADING = "### Opsgenie (`providers.opsgenie`)"


def readme_example() -> str:
    """The first fenced Python block after the Opsgenie heading."""
    text = (REPO / "README.md").read_text()
    section = text[text.index(HEADING) :]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None, "no python example under the Opsgenie heading"
    return match.group(1)


def test_readme_example_runs_as_printed(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    stack = opsgenie_stack(engine, sandbox_server, readme_example(), "og-readme")

    assert stack.preview().change_summary == {"create": 5}  # `pulumi up` previews first
    up = stack.up()
    assert up.summary.resource_changes == {"create": 5}
    outputs = stack.outputs()
    assert outputs["on_call_that_week"] == ["dave@example.com"]  # what the README says it exports
    client = api(sandbox_server)
    primary = client.get_schedule("payments-primary", "name")
    assert outputs["primary_id"] == primary.id and outputs["rotation_ids"] == [primary.rotations[0].id]
    assert primary.rotations[0].start_date == "2024-01-01T08:00:00Z"  # as the comment in the example says
    assert [r.name for r in client.get_schedule("payments-nights", "name").rotations] == ["night shift"]
    stack.assert_no_changes()

    stack.destroy()
    assert client.list_schedules() == []
