"""Helpers of the reliability tests: one stack over the three APIs, faults, and state vs the sandbox."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Mapping
from typing import Any

import requests

from tests.conftest import SandboxServer
from tests.engine.harness import TOOLS, VENV_PYTHON, Engine, EngineStack, sandbox_settings
from tests.engine.imbrace_support import TOKEN as IMBRACE_TOKEN
from tests.engine.imbrace_support import schedulers
from tests.omni_support import TOKEN as OMNI_TOKEN
from tests.omni_support import admin, seed
from tests.opsgenie_support import KEY as OPSGENIE_KEY
from tests.opsgenie_support import api as opsgenie_api

SECRETS = {"opsgenie:apiKey": OPSGENIE_KEY, "imbrace:accessToken": IMBRACE_TOKEN, "omni:apiToken": OMNI_TOKEN}
ENV_NAMES = {"opsgenie:apiKey": "OPSGENIE_API_KEY", "imbrace:accessToken": "IMBRACE_ACCESS_TOKEN"}
ENV_NAMES["omni:apiToken"] = "OMNI_API_TOKEN"
OPSGENIE = "pulumi-python:dynamic/opsgenie:Schedule"
IMBRACE = "pulumi-python:dynamic/imbrace:Scheduler"
OMNI = "pulumi-python:dynamic/omni:Schedule"

# Opsgenie schedules (every third with a rotation), iMBRACE schedulers (every tenth with a file)
# and adopted Omni schedules (paused or not, one recipient each); all names start with `tag`.
PROGRAM = """
import json
import pulumi
from providers.imbrace import JobArgs, Scheduler, SchedulerArgs
from providers.omni import Schedule as OmniSchedule, ScheduleArgs as OmniArgs
from providers.opsgenie import Schedule

cfg = pulumi.Config()
tag = cfg.require("tag")
rotation = {
    "name": "weekdays", "type": "weekly", "start_date": "2026-01-05T09:00:00+01:00",
    "participants": [{"type": "user", "username": f"{who}@example.com"} for who in ("alice", "bob")],
}
omni = json.loads(cfg.require("omni"))
counts = cfg.require_int("opsgenie"), cfg.require_int("imbrace"), len(omni)
for i in range(max(counts)):  # interleaved: the three APIs are busy at the same time
    if i < counts[0]:
        Schedule(f"og-{i}", name=f"{tag}-og-{i:03d}", timezone="Europe/Berlin", description=f"on-call {i}",
                 rotations=[rotation] if i % 3 == 0 else None)
    if i < counts[1]:
        Scheduler(f"im-{i}", SchedulerArgs(
            name=f"{tag}-im-{i:03d}", event_type="whatsapp", trigger_frequency_unit="days",
            trigger_frequency_value=1 + i % 7, trigger_time="1970-01-01T09:00:00Z",
            job=JobArgs(type="kafka", topic="ROUTER.OUTGOING_MESSAGE", workflow_id=str(i)),
            files=["brochure.txt"] if i % 10 == 0 else []))
    if i < counts[2]:
        OmniSchedule(f"om-{i}", OmniArgs(schedule_id=omni[i], paused=i % 2 == 0,
                                         recipients=[f"{tag}-{i}@example.com"]))
"""


def three_api_stack(
    engine: Engine,
    sandbox: SandboxServer,
    name: str,
    *,
    program: str = PROGRAM,
    credentials: Mapping[str, str] = SECRETS,
    secrets_in_env: bool = False,
) -> EngineStack:
    """A stack configured for the sandbox's three APIs; credentials as config secrets or env vars."""
    config = sandbox_settings(sandbox.url)[0]
    if secrets_in_env:
        env = {ENV_NAMES[key]: value for key, value in credentials.items()}
        return engine.project(program, name=name, config=config, env=env)
    return engine.project(program, name=name, config=config, secrets=credentials)


def configure(stack: EngineStack, sandbox: SandboxServer, tag: str, **counts: int) -> None:
    """Set the program's counts (``opsgenie``, ``imbrace``, ``omni``); seed the Omni schedules it
    adopts; write the attachment."""
    ids = seed(sandbox, counts["omni"], identifier=tag) if counts["omni"] else []
    sizes = {k: str(counts[k]) for k in ("opsgenie", "imbrace")}
    stack.set_config({"tag": tag, "omni": json.dumps(ids), **sizes})
    (stack.workdir / "brochure.txt").write_text("Opening hours: Mon-Fri 09:00-18:00\n")


def set_faults(sandbox: SandboxServer, **fault: Any) -> None:
    """The same faults for all three APIs (each API's dice seeded apart); no argument clears them."""
    seed_ = fault.pop("seed", None)
    faults = {
        api: {**fault, "seed": None if seed_ is None else seed_ + i} if fault else {}
        for i, api in enumerate(("opsgenie", "imbrace", "omni"))
    }
    requests.put(f"{sandbox.url}/_sandbox/faults", json=faults, timeout=10).raise_for_status()


def recover(stack: EngineStack, *flags: str) -> subprocess.CompletedProcess[str]:
    """``python -m stacks recover`` on this stack, as the README says to run it."""
    argv = [str(VENV_PYTHON), "-m", "stacks", "recover", "--stack", stack.stack.name, *flags]
    argv += ["--cwd", str(stack.workdir), "--pulumi", str(TOOLS / "bin" / "pulumi")]
    return subprocess.run(argv, env=stack.cli_env(), capture_output=True, text=True, check=False)


def sandbox_stats(sandbox: SandboxServer) -> dict[str, Any]:
    """``GET /_sandbox/stats``."""
    return dict(requests.get(f"{sandbox.url}/_sandbox/stats", timeout=10).json())


def pending_creates(stack: EngineStack) -> list[str]:
    """The URNs of the creates the checkpoint holds as pending."""
    ops = stack.export().get("pending_operations") or []
    return [op["resource"]["urn"] for op in ops if op["type"] == "creating"]


def _in_state(stack: EngineStack, type_: str) -> dict[str, str]:
    """``{name in the API: id}`` of the stack's resources of one type (names must be distinct)."""
    resources = stack.resources(type_)
    names = [r["outputs"].get("name") or r["id"] for r in resources]
    assert len(set(names)) == len(names), f"two {type_} resources share a name"
    return {name: r["id"] for name, r in zip(names, resources, strict=True)}


def assert_sandbox_matches_state(stack: EngineStack, sandbox: SandboxServer, tag: str) -> dict[str, int]:
    """The sandbox holds exactly the objects in state: per name one object, the id in state, and
    nothing of ours that the state does not know (no duplicate, no orphan). Counts per API."""
    opsgenie = Counter(s.name for s in opsgenie_api(sandbox).list_schedules() if s.name.startswith(tag))
    imbrace = Counter(d["name"] for d in schedulers(sandbox) if d["name"].startswith(tag))
    duplicates = {n: c for n, c in (opsgenie + imbrace).items() if c > 1}
    assert not duplicates, f"duplicates in the sandbox: {duplicates}"

    og_state, im_state = _in_state(stack, OPSGENIE), _in_state(stack, IMBRACE)
    assert set(opsgenie) == set(og_state), "Opsgenie schedules in the sandbox and in state differ"
    assert set(imbrace) == set(im_state), "iMBRACE schedulers in the sandbox and in state differ"
    og_ids = {s.name: s.id for s in opsgenie_api(sandbox).list_schedules() if s.name.startswith(tag)}
    im_ids = {d["name"]: d["_id"] for d in schedulers(sandbox) if d["name"].startswith(tag)}
    assert og_ids == og_state and im_ids == im_state

    adopted = [r for r in stack.resources(OMNI)]
    seeded = {s["id"] for s in requests.get(f"{sandbox.url}/_sandbox/omni/schedules", timeout=10).json()}
    assert {r["id"] for r in adopted} <= seeded
    for resource in adopted:  # each recipient added once, the paused state as declared
        record = admin(sandbox, resource["id"])
        mine = [r["email"] for r in record["recipients"] if r["email"].startswith(tag)]
        assert mine == resource["outputs"]["recipients"], (resource["urn"], mine)
        assert (record["disabledAt"] is not None) == resource["outputs"]["paused"], resource["urn"]
    return {"opsgenie": len(og_state), "imbrace": len(im_state), "omni": len(adopted)}
