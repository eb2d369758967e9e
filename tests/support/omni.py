"""The sandbox's Omni, as the Omni tests see it: seeded ids, out-of-band changes, counters, and
stacks wired to it (with where the token must not be)."""

from __future__ import annotations

from typing import Any

import requests

from harness import OMNI_TOKEN, Engine, EngineStack, SandboxServer
from tests.support.secrets import assert_secret_absent

TOKEN = OMNI_TOKEN
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
ORDERS = "61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc"  # "Orders": email, Blob Ross, running; dashboard 12db1a0a
ORDERS_2 = "2af41989-1bed-4c65-a602-927f71205a32"  # "Orders (2)": webhook, same dashboard
QUERY = "f68aba72-b558-4012-a381-bb74954dd025"  # "⚡️🍣 Query": email, running
WEB_TRAFFIC = "60d386ca-6f48-4143-9bfc-fd7a6f942c2c"  # "Web Traffic Analysis": email, paused
SLACK = "8cc895ec-a2af-493f-a4e4-08c3017fa42d"  # slack, paused
MISSING = "123e4567-e89b-12d3-a456-426614174000"  # the docs' example id: no such schedule
BLOB_ROSS = "987fcdeb-51a2-43d7-9b56-254415f67890"  # on "Orders"
BLOBBY_HILL = "3e7c4152-cdac-42ce-8749-fe3b81d5d8ab"  # on "Query"
BLOB_MARLEY = "abcdef12-3456-7890-abcd-ef1234567890"  # a member on no schedule
BLOBETTE = "c0ffee00-1234-4abc-8def-0123456789ab"  # another
NOBODY = "00000000-0000-4000-8000-000000000000"  # neither a schedule nor a user
V1 = "/omni/api/v1/schedules"
UNSTABLE = "/omni/api/unstable/schedules"


def admin(sandbox: SandboxServer, schedule_id: str, **patch: Any) -> dict[str, Any]:
    """The sandbox's whole record of a schedule (recipients, triggerCount…), patched first if asked."""
    url = f"{sandbox.url}/_sandbox/omni/schedules/{schedule_id}"
    response = requests.patch(url, json=patch, timeout=10) if patch else requests.get(url, timeout=10)
    return dict(response.json())


def emails(sandbox: SandboxServer, schedule_id: str) -> set[str]:
    """The schedule's recipients, as emails."""
    return {r["email"] for r in admin(sandbox, schedule_id)["recipients"]}


def omni(sandbox: SandboxServer, method: str, path: str, body: Any = None) -> None:
    """A change made outside Pulumi, through Omni's own API (``path`` below /api/v1/schedules/)."""
    url = f"{sandbox.url}/omni/api/v1/schedules/{path}"
    requests.request(method, url, json=body, headers=HEADERS, timeout=10)


def calls(sandbox: SandboxServer) -> dict[str, int]:
    """Omni requests (``"GET /api/v1/schedules"``…) since the last call; the counters are cleared."""
    counts = requests.get(f"{sandbox.url}/_sandbox/stats", timeout=10).json()["requests"]
    requests.delete(f"{sandbox.url}/_sandbox/stats", timeout=10)
    return {k.removeprefix("omni "): v for k, v in counts.items() if k.startswith("omni ")}


def writes(sandbox: SandboxServer) -> dict[str, int]:
    """The calls since the last count that are not reads."""
    return {k: v for k, v in calls(sandbox).items() if not k.startswith("GET ")}


def seed(sandbox: SandboxServer, count: int, **fields: Any) -> list[str]:
    """``count`` more schedules ("Bulk 000"…) with the given fields; their ids."""
    with requests.Session() as http:
        return [
            http.post(
                f"{sandbox.url}/_sandbox/omni/schedules", json={"name": f"Bulk {i:03d}", **fields}, timeout=10
            ).json()["id"]
            for i in range(count)
        ]


HEADER = """
import pulumi
from providers.omni import Schedule, ScheduleArgs, ScheduleTrigger, ScheduleTriggerArgs
"""


def omni_stack(engine: Engine, sandbox: SandboxServer, program: str, name: str) -> EngineStack:
    """A stack whose program uses ``providers.omni`` against the sandbox (token as a secret)."""
    return engine.project(
        HEADER + program,
        name=name,
        config={"omni:baseUrl": sandbox.url + "/omni"},
        secrets={"omni:apiToken": TOKEN},
    )


def set_omni_program(stack: EngineStack, program: str) -> None:
    """Replace the stack's program (with the imports ``omni_stack`` adds)."""
    stack.set_program(HEADER + program)


def assert_token_nowhere(engine: Engine, stack: EngineStack, *texts: str) -> None:
    """The token is in no plain export of the state, no file under the engine's root, none of ``texts``."""
    assert '"ciphertext"' in stack.export_text()  # the config secret stays encrypted
    assert_secret_absent(TOKEN, stack=stack, roots=[engine.root], texts=texts)
