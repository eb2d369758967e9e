"""The sandbox's Opsgenie as the provider tests see it: credentials, a stack wired to it, faults,
and inspection of what it stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

from harness import OPSGENIE_KEY, OPSGENIE_READ_ONLY_KEY, Engine, EngineStack, SandboxServer
from providers.opsgenie.client import OpsgenieClient
from tests.support.secrets import assert_secret_absent

KEY = OPSGENIE_KEY
READ_ONLY_KEY = OPSGENIE_READ_ONLY_KEY
HEADERS = {"Authorization": f"GenieKey {KEY}"}
SCHEDULE_TYPE = "pulumi-python:dynamic/opsgenie:Schedule"
ROTATION_TYPE = "pulumi-python:dynamic/opsgenie:ScheduleRotation"
OVERRIDE_TYPE = "pulumi-python:dynamic/opsgenie:ScheduleOverride"


def opsgenie_stack(engine: Engine, sandbox: SandboxServer, program: str, name: str) -> EngineStack:
    """A stack whose program talks to the sandbox's Opsgenie with the key as a secret."""
    return engine.project(
        program,
        name=name,
        config={"opsgenie:apiUrl": f"{sandbox.url}/opsgenie"},
        secrets={"opsgenie:apiKey": KEY},
    )


def api(sandbox: SandboxServer) -> OpsgenieClient:
    """A client of the sandbox, for looking behind the engine's back (and changing things there)."""
    return OpsgenieClient(KEY, f"{sandbox.url}/opsgenie")


def opsgenie_requests(sandbox: SandboxServer) -> dict[str, int]:
    """Requests the sandbox's Opsgenie answered since the last reset, per route."""
    counts = requests.get(f"{sandbox.url}/_sandbox/stats", timeout=10).json()["requests"]
    return {k: v for k, v in counts.items() if k.startswith("opsgenie ")}


def calls(sandbox: SandboxServer) -> dict[str, int]:
    """Opsgenie requests (``"GET /v2/schedules"``…) since the last call; the counters are cleared."""
    counts = opsgenie_requests(sandbox)
    requests.delete(f"{sandbox.url}/_sandbox/stats", timeout=10).raise_for_status()
    return {k.removeprefix("opsgenie "): v for k, v in counts.items()}


def set_faults(sandbox: SandboxServer, **opsgenie: Any) -> None:
    """Inject faults into the sandbox's Opsgenie answers."""
    requests.put(f"{sandbox.url}/_sandbox/faults", json={"opsgenie": opsgenie}, timeout=10).raise_for_status()


def lose_next_create(sandbox: SandboxServer, path_regex: str, acted: bool = True) -> None:
    """The next POST to a matching path drops its connection unanswered, after acting when ``acted``."""
    set_faults(
        sandbox, pdrop=1, methods=["POST"], path_regex=path_regex, drop_after_processing=acted, remaining=1
    )


def state_by_type(stack: EngineStack, type_: str) -> list[dict[str, Any]]:
    """The resources of one type in the stack's state."""
    return [r for r in stack.resources() if r["type"] == type_]


def assert_key_nowhere(stack: EngineStack, root: Path, *texts: str) -> None:
    """The API key appears neither in the exported state, the files under the engine root, nor ``texts``."""
    assert_secret_absent(KEY, stack=stack, roots=[root], texts=texts)
