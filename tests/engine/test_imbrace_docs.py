"""docs/imbrace.md's examples (one program), run as printed under the real engine against the sandbox."""

from __future__ import annotations

import re

import requests

from harness import Engine, SandboxServer
from tests.support.docs_examples import example, page_path
from tests.support.imbrace import by_name, imbrace_stack, scheduler, schedulers


def test_docs_examples_run_as_printed(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    stack = imbrace_stack(engine, sandbox_server, example("imbrace.md", "program"), name="imbrace-docs")
    # The page's own command for the attachment.
    command = re.search(r"`printf '([^']*)' > opening-hours.txt`", page_path("imbrace.md").read_text())
    assert command is not None
    (stack.workdir / "opening-hours.txt").write_text(command.group(1).replace("\\n", "\n"))

    up = stack.up()
    assert up.summary.resource_changes == {"create": 4}
    # What the page says the stack exports.
    assert stack.outputs() == {
        "launch_start": "2035-01-01T01:00:00.000Z",
        "attachment": "opening-hours.txt (20 bytes, text/plain)",
        "whatsapp_schedulers": ["Launch announcement", "Weekly offer", "testing schedule"],
    }
    state = by_name(stack)
    weekly = scheduler(sandbox_server, state["weekly-offer"]["id"])
    assert (weekly["job"]["method"], weekly["trigger_day_of_week"]) == ("POST", 1)
    assert scheduler(sandbox_server, state["anniversary"]["id"])["triger_month_and_day"] == (
        "2025-03-15T00:00:00.000Z"
    )
    stack.assert_no_changes()

    # "Edit opening-hours.txt and the next pulumi up updates weekly-offer, uploading the file again."
    (stack.workdir / "opening-hours.txt").write_text("Mon-Sat 09:00-20:00\n")
    up = stack.up()
    assert up.summary.resource_changes == {"update": 1, "same": 3}
    (upload,) = by_name(stack)["weekly-offer"]["outputs"]["uploaded_files"]
    assert requests.get(upload["file_url"], timeout=10).content == b"Mon-Sat 09:00-20:00\n"
    stack.assert_no_changes()

    stack.destroy()
    assert len(schedulers(sandbox_server)) == 2  # the sandbox's seeded two
