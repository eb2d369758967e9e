"""docs/omni.md's examples (one program) run as printed against the sandbox (so the page stays true)."""

from __future__ import annotations

import re

from harness import Engine, SandboxServer
from tests.support.docs_examples import example
from tests.support.omni import ORDERS, TOKEN, WEB_TRAFFIC, admin, emails


def test_the_docs_examples_work_as_printed(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    stack = engine.project(
        example("omni.md", "program"),
        name="reports",
        config={"omni:baseUrl": sandbox_server.url + "/omni"},
        secrets={"omni:apiToken": TOKEN},
    )
    up = stack.up()
    assert (up.summary.resource_changes or {}).get("create") == 4  # 3 resources + the stack
    outputs = stack.outputs()
    assert outputs["orders_recipient_count"] == 3
    assert emails(sandbox_server, ORDERS) >= {"ops@example.com", "blob.marley@blobsrus.com"}
    runs = outputs["orders_next_runs"]
    assert len(runs) == 5 and all(re.search(r"T09:00:00-0[45]:00$", run) for run in runs)
    assert admin(sandbox_server, ORDERS)["triggerCount"] == 1
    assert admin(sandbox_server, WEB_TRAFFIC)["disabledAt"] is not None
    stack.assert_no_changes()

    stack.destroy()
    assert "detail" in admin(sandbox_server, WEB_TRAFFIC)  # delete_on_destroy: deleted in Omni
    assert admin(sandbox_server, ORDERS)["id"] == ORDERS  # released, still there
