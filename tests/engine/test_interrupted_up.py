"""``pulumi up`` killed with SIGKILL mid-run, then the documented recovery: no duplicate, no orphan.

Every create's answer is held back in the sandbox after the object was made, so when the CLI's
process group is killed some creates are in flight: the state keeps them as pending creates whose
objects the API has already made. ``python -m stacks recover`` asks each resource's provider
for what its create made (iMBRACE names are not unique: it must be *found*), then ``refresh`` and
``up`` converge.
"""

from __future__ import annotations

import time

from tests.conftest import SandboxServer
from tests.engine.harness import Engine, assert_no_traceback, kill_group
from tests.engine.imbrace_support import schedulers
from tests.engine.reliability_support import (
    assert_sandbox_matches_state,
    configure,
    pending_creates,
    recover,
    set_faults,
    three_api_stack,
)

COUNTS = {"opsgenie": 8, "imbrace": 16, "omni": 6}
SLOW_MS = 1500


def test_killed_up_is_recovered_without_duplicates(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    stack = three_api_stack(engine, sandbox_server, "killed")
    configure(stack, sandbox_server, "kil", **COUNTS)
    # The API acts at once and holds its answer: whatever the sandbox shows is a create still in flight.
    held = {"pdelay": 1, "delay_ms": SLOW_MS, "delay_after_processing": True}
    set_faults(sandbox_server, **held, methods=["POST", "PUT"])

    # ---- kill the whole process group once some schedulers exist ------------------------------
    up = stack.start_cli("up", "--yes", "--skip-preview")
    deadline = time.monotonic() + 120
    while len(schedulers(sandbox_server)) < 2 + 3 and time.monotonic() < deadline:  # 2 are seeded
        time.sleep(0.05)
    output = kill_group(up)
    assert up.returncode == -9, output
    time.sleep(SLOW_MS / 1000 + 1)  # the held answers go nowhere: objects without state
    set_faults(sandbox_server)

    # ---- the documented recovery (it also removes the lock and a checkpoint sidecar the kill broke) --
    recovered = recover(stack, "--cancel")
    print(recovered.stdout)
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    lines = recovered.stdout.splitlines()
    assert lines[-1] == "the state was updated; now run `pulumi refresh`, then `pulumi up`"
    outcomes = [line.split()[0] for line in lines[:-1] if not line.startswith("repaired")]
    assert outcomes and set(outcomes) <= {"found", "cleared"}
    assert "found" in outcomes, "the kill must leave pending creates whose objects the API made"
    assert pending_creates(stack) == []

    refresh = stack.refresh()
    up_again = stack.up()
    preview = stack.assert_no_changes()
    assert assert_sandbox_matches_state(stack, sandbox_server, "kil") == COUNTS
    texts = (output, recovered.stdout, recovered.stderr, refresh.stdout, up_again.stdout, preview.stdout)
    assert_no_traceback(*texts)
