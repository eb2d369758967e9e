"""``python -m stacks recover`` on pending creates made by hand: found, cleared, taken, kept, repaired.

The interrupted-``up`` test shows the recovery on a real kill, where which creates are in
flight is up to timing; here every outcome is set up on purpose through ``stack import``.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

from harness import Engine, SandboxServer
from tests.support.imbrace import api, by_name, imbrace_stack, schedulers
from tests.support.three_apis import recover

PROGRAM = """
from providers.imbrace import JobArgs, Scheduler, SchedulerArgs
from bench.noop import Noop

def job(name):
    return SchedulerArgs(name=name, event_type="whatsapp", trigger_frequency_unit="days",
                         trigger_frequency_value=1, job=JobArgs(type="kafka", topic="T"))

Scheduler("made", job("made before the kill"))
Scheduler("never-made", job("never made"))
Scheduler("twin", job("twin"))
Noop("other", value="x")
"""


def as_pending(resource: dict[str, Any]) -> dict[str, Any]:
    """A resource as an interrupted ``up`` leaves it: a pending create, no id, no outputs."""
    kept = {k: v for k, v in resource.items() if k not in ("id", "outputs", "created", "modified")}
    return {"resource": kept, "type": "creating"}


def test_each_pending_create_is_found_cleared_or_kept(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    stack = imbrace_stack(engine, sandbox_server, PROGRAM, name="recover")
    stack.up()
    made = by_name(stack)
    api(sandbox_server, "DELETE", f"/{made['never-made']['id']}")  # its create "never reached" the API

    # The state of a kill, as the engine writes it (`pulumi stack import` drops pending operations):
    # three creates pending, one of them a look-alike of a resource still in state.
    checkpoint_file = next((engine.root / "state").rglob("recover/test.json"))
    checkpoint = json.loads(checkpoint_file.read_text())
    deployment = checkpoint["checkpoint"]["latest"]
    names = ("made", "never-made", "other")
    pending = [as_pending(r) for r in deployment["resources"] if r["urn"].rsplit("::", 1)[-1] in names]
    twin = as_pending(made["twin"])
    twin["resource"]["urn"] += "-again"  # another resource with the very same inputs
    deployment["resources"] = [
        r for r in deployment["resources"] if r["urn"].rsplit("::", 1)[-1] not in names
    ]
    deployment["pending_operations"] = [*pending, twin]
    checkpoint_file.write_text(json.dumps(checkpoint))
    assert len(stack.export()["pending_operations"]) == 4

    dry = recover(stack, "--dry-run")
    assert dry.returncode == 2, dry.stdout + dry.stderr  # one create is not ours: unresolved
    assert outcomes(dry) == {
        "made": "found",
        "never-made": "cleared",
        "other": "unresolved",
        "twin-again": "cleared",
    }
    assert f"-> {made['made']['id']}" in dry.stdout and dry.stdout.endswith("dry run: nothing was changed\n")

    attrs = next((engine.root / "state").rglob("recover/test.json.attrs"))
    attrs.write_text("")  # as a kill during the checkpoint write leaves it: every command fails
    assert "failed to load checkpoint: EOF" in stack.cli("stack", "export", check=False).stderr
    held = recover(stack, "--cancel")  # repairs and cancels, but will not drop the unresolved create
    assert held.returncode == 2 and held.stdout.startswith(f"repaired {attrs} (unreadable after the kill")
    assert "nothing was changed: resolve the unresolved creates" in held.stdout
    assert len(stack.export()["pending_operations"]) == 4

    done = recover(stack, "--clear-unresolved")
    assert done.returncode == 0 and outcomes(done) == outcomes(dry), done.stdout + done.stderr
    after = stack.export()
    assert not after.get("pending_operations")
    assert by_name(stack)["made"]["id"] == made["made"]["id"]
    assert "is_finished" in by_name(stack)["made"]["outputs"]  # completed with the API's outputs
    assert "never-made" not in by_name(stack)

    # refresh reads the found one; up makes the cleared one; nothing is duplicated.
    stack.refresh()
    stack.up()
    for name in ("made before the kill", "never made", "twin"):
        assert len(schedulers(sandbox_server, name)) == 1, name


def outcomes(run: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """``{resource name: found|cleared|unresolved}`` from the recovery's output."""
    lines = [line.split() for line in run.stdout.splitlines()]
    return {words[1].rstrip(":").rsplit("::", 1)[-1]: words[0] for words in lines if words[0] in OUTCOMES}


OUTCOMES = ("found", "cleared", "unresolved")
