"""Onboarding a populated account: ``python -m stacks adopt``, the ``up`` that adopts, then ``drift``.

The sandbox is filled through its own APIs, as users' UIs would (30 Opsgenie schedules with
every participant and restriction form, 30 iMBRACE schedulers with every frequency unit and job
type, three with attachments, plus what the sandbox starts with: two schedulers and six Omni
schedules). ``adopt`` writes the stack's definitions; the next ``pulumi up`` adopts every object
without a single write to any API, and a preview then shows no change. ``drift`` is clean, sees
a schedule paused and a scheduler deleted behind the stack's back (exit 1, naming resource
and field), and is clean
again after the next ``up --refresh``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import yaml
from pulumi import automation as auto

from harness import Engine, SandboxServer
from tests.support.accounts import IMBRACE, IMBRACE_PATH, seed
from tests.support.stacks_program import definitions_stack, stacks_tool

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _writes(url: str) -> dict[str, int]:
    counts = requests.get(f"{url}/_sandbox/stats", timeout=10).json()["requests"]
    return {k: v for k, v in counts.items() if k.split(" ")[1] in WRITES and not k.startswith("sandbox ")}


def test_adopt_then_up_adopts_everything_and_drift_sees_changes(
    engine: Engine, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    sandbox_server.reset()
    seeded = seed(sandbox_server.url, schedules=30, schedulers=30, with_files=3)
    definitions = tmp_path / "adopted.yaml"
    stack = definitions_stack(engine, sandbox_server.url, definitions, stack="onboarding")

    adopted = stacks_tool(stack, "adopt", "--out", str(definitions))
    assert adopted.returncode == 0, adopted.stderr
    assert adopted.stderr.splitlines()[:3] == [
        "adopt: opsgenie: 30 read, 0 already in the stack, 30 to adopt",
        "adopt: imbrace: 32 read, 0 already in the stack, 32 to adopt",  # 2 the sandbox starts with
        "adopt: omni: 6 read, 0 already in the stack, 6 to adopt",
    ]
    doc = yaml.safe_load(definitions.read_text())
    assert {e["import_id"] for e in doc["opsgenie"]["schedules"]} == set(seeded["opsgenie"])
    assert set(seeded["imbrace"]) <= {e["import_id"] for e in doc["imbrace"]["schedulers"]}
    files = [p for e in doc["imbrace"]["schedulers"] for p in e.get("files", [])]
    assert len(files) == 3 and all((stack.workdir / p).is_file() for p in files)

    requests.delete(f"{sandbox_server.url}/_sandbox/stats", timeout=10).raise_for_status()
    up = stack.up()
    assert up.summary.resource_changes == {"create": 1 + 30 + 32 + 6}  # the stack, then adoptions
    assert _writes(sandbox_server.url) == {}, "adopting wrote to an API"
    in_state = {r["id"] for r in stack.resources()}
    assert set(seeded["opsgenie"]) | set(seeded["imbrace"]) <= in_state
    stack.assert_no_changes()

    # Nothing left to adopt: the objects are in the state and the definitions.
    again = stacks_tool(stack, "adopt")
    assert again.returncode == 0, again.stderr
    assert "adopt: omni: 6 read, 6 already in the stack, 0 to adopt" in again.stderr
    assert "schedules:" not in again.stdout

    clean = stacks_tool(stack, "drift")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert _writes(sandbox_server.url) == {}, "the drift check wrote to an API"

    # Someone pauses an Omni schedule in Omni (the API call its UI makes).
    omni = next(e for e in doc["omni"]["schedules"] if e["paused"] is False)
    paused = requests.put(
        f"{sandbox_server.url}/omni/api/v1/schedules/{omni['schedule_id']}/pause",
        headers={"Authorization": "Bearer sandbox-omni"},
        timeout=10,
    )
    assert paused.status_code == 200, paused.text
    # ... and someone deletes an iMBRACE scheduler.
    gone = doc["imbrace"]["schedulers"][-1]
    deleted = requests.delete(
        f"{sandbox_server.url}{IMBRACE_PATH}/{gone['import_id']}",
        headers={k: v for k, v in IMBRACE.items() if k != "x-user-id"},
        timeout=10,
    )
    assert deleted.status_code == 200, deleted.text
    before = stack.export()
    drift = stacks_tool(stack, "drift")
    assert drift.returncode == 1, drift.stdout + drift.stderr
    assert f"| {omni['resource']} | omni:Schedule | paused | false | true |" in drift.stdout
    assert f"| {gone['resource']} | imbrace:Scheduler | (deleted) | {gone['import_id']} | — |" in drift.stdout
    as_json = stacks_tool(stack, "drift", "--json")
    assert as_json.returncode == 1
    assert '"field": "paused"' in as_json.stdout
    assert stack.export()["resources"] == before["resources"], "the drift check changed the state"

    # A plain `up` compares the program with the state, which still says "running": the refresh
    # first reads the pause and the deletion, then the update resumes the schedule. The deleted
    # scheduler left the state, so its import_id counts again and names nothing: the up says so
    # rather than create a new one; without import_id, the entry makes it again.
    with pytest.raises(auto.CommandError, match=f"cannot import '{gone['import_id']}': it does not exist"):
        stack.up(refresh=True)
    for entry in doc["imbrace"]["schedulers"]:
        if entry["resource"] == gone["resource"]:
            del entry["import_id"]
    definitions.write_text(yaml.safe_dump(doc))
    stack.up(refresh=True)
    fixed = stacks_tool(stack, "drift")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "No drift" in fixed.stdout
