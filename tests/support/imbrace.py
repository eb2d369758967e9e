"""The sandbox's iMBRACE as the tests see it: credentials, paths, the docs' bodies, stacks wired
to it, and look-ups of what it stores."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from harness import IMBRACE_ORGANIZATION, IMBRACE_TOKEN, IMBRACE_USER, Engine, EngineStack, SandboxServer
from tests.support.secrets import assert_secret_absent

TOKEN = IMBRACE_TOKEN
HEADERS = {"x-access-token": TOKEN}
ORG, USER = IMBRACE_ORGANIZATION, IMBRACE_USER
BASE = f"/imbrace/3rd/organization/{ORG}/users/{USER}/schedulers"
SEEDED = "66e17484412c29cf84c39898"  # the docs' get-by-id example
TYPE = "pulumi-python:dynamic/imbrace:Scheduler"


def use_sandbox(monkeypatch: pytest.MonkeyPatch, server: SandboxServer) -> None:
    """Point the iMBRACE settings' environment variables at the sandbox, with its credentials."""
    monkeypatch.setenv("IMBRACE_API_URL", server.url + "/imbrace")
    monkeypatch.setenv("IMBRACE_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("IMBRACE_ORGANIZATION_ID", ORG)
    monkeypatch.setenv("IMBRACE_USER_ID", USER)


# The docs' create body.
CREATE_BODY: dict[str, Any] = {
    "type": "recurring",
    "name": "testing schedule",
    "event_type": "whatsapp",
    "channel_source": "",
    "description": "",
    "job": {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE", "data": {}, "workflow_id": "123"},
    "trigger_frequency_unit": "years",
    "trigger_frequency_value": 1,
    "triger_month_and_day": "1969-12-31T16:32:00.000Z",
    "trigger_time": "1969-12-31T16:00:00.000Z",
    "start_datetime": "2024-09-11T14:35:00.000Z",
}


def imbrace_stack(
    engine: Engine, server: SandboxServer, program: str, *, name: str, user: str = "u_sandbox"
) -> EngineStack:
    """A stack whose ``imbrace:*`` config points at the sandbox, the token as a secret."""
    return engine.project(
        program,
        name=name,
        config={
            "imbrace:apiUrl": server.url + "/imbrace",
            "imbrace:organizationId": "org_sandbox",
            "imbrace:userId": user,
        },
        secrets={"imbrace:accessToken": TOKEN},
    )


def schedulers(server: SandboxServer, name: str | None = None) -> list[dict[str, Any]]:
    """Every scheduler the sandbox stores (optionally only those with ``name``)."""
    docs = requests.get(f"{server.url}/_sandbox/imbrace/schedulers", timeout=10).json()
    return [d for d in docs if name is None or d["name"] == name]


def scheduler(server: SandboxServer, id_: str) -> dict[str, Any]:
    """One stored scheduler with its ``_files``."""
    resp = requests.get(f"{server.url}/_sandbox/imbrace/schedulers/{id_}", timeout=10)
    resp.raise_for_status()
    return dict(resp.json())


def patch_scheduler(server: SandboxServer, id_: str, changes: dict[str, Any]) -> None:
    """Change a stored scheduler behind the API's back (the sandbox's admin route)."""
    resp = requests.patch(f"{server.url}/_sandbox/imbrace/schedulers/{id_}", json=changes, timeout=10)
    resp.raise_for_status()


def api(server: SandboxServer, method: str, path: str, **kwargs: Any) -> requests.Response:
    """A call to the sandbox's iMBRACE API as the sandbox user (an out-of-band change)."""
    base = f"{server.url}/imbrace/3rd/organization/org_sandbox/users/u_sandbox/schedulers"
    resp = requests.request(method, base + path, headers={"x-access-token": TOKEN}, timeout=10, **kwargs)
    resp.raise_for_status()
    return resp


def imbrace_requests(server: SandboxServer) -> dict[str, int]:
    """The sandbox's request counters for the iMBRACE API."""
    stats = requests.get(f"{server.url}/_sandbox/stats", timeout=10).json()
    return {k: v for k, v in stats["requests"].items() if k.startswith("imbrace ")}


def assert_token_nowhere(stack: EngineStack, engine: Engine, *texts: str) -> None:
    """The access token is in no resource of ours, no plain export, no state file, no given text.

    The engine keeps the stack's config in the default provider's inputs, so a secret
    config value is in state only as ciphertext: the plain export is checked whole.
    """
    ours = [r for r in stack.export().get("resources", []) if r["type"] == TYPE]
    assert TOKEN not in json.dumps(ours)
    assert '"ciphertext"' in stack.export_text()
    assert_secret_absent(TOKEN, stack=stack, roots=[engine.root], texts=texts)


def by_name(stack: EngineStack) -> dict[str, dict[str, Any]]:
    """The stack's schedulers in state, by resource name."""
    return {r["urn"].rsplit("::", 1)[-1]: r for r in stack.resources(TYPE)}
