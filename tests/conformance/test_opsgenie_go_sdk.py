"""Opsgenie's official Go SDK (opsgenie-go-sdk-v2 v1.2.23) against the strict sandbox, at the host root.

The SDK (which the Terraform provider and pulumi-opsgenie use) takes a bare host and uses plain
http for a host without the text "api" (client/client.go, buildRequestUrl): ``127.0.0.1:PORT`` of
a sandbox served with ``--root-api opsgenie``. tests/conformance/opsgenie_go/main.go drives its
typed calls: schedules with every participant form (user by username and id, team and escalation
by name and id, none) and both restriction forms, rotations, overrides, timelines and exports.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from harness import OPSGENIE_KEY, SandboxServer
from tests.support.conformance import opsgenie_go_program, run_client

CALLS = 30
"""The calls main.go makes (each a line; the test fails when one is missing)."""


@pytest.fixture
def root_sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    """A strict sandbox of its own, Opsgenie also at ``/``."""
    server = SandboxServer(tmp_path / "sandbox.db", root_api="opsgenie").start()
    try:
        yield server
    finally:
        server.stop()


def first_id(sandbox: SandboxServer, entity: str) -> str:
    return str(requests.get(f"{sandbox.url}/_sandbox/opsgenie/{entity}", timeout=10).json()[0]["id"])


def test_the_go_sdk_parses_every_answer_with_no_violation(root_sandbox: SandboxServer) -> None:
    program = opsgenie_go_program()
    env = {
        "OPSGENIE_API_URL": root_sandbox.url.removeprefix("http://"),
        "OPSGENIE_API_KEY": OPSGENIE_KEY,
        "OG_USER_ID": first_id(root_sandbox, "users"),
        "OG_TEAM_ID": first_id(root_sandbox, "teams"),
        "OG_ESCALATION_ID": first_id(root_sandbox, "escalations"),
    }
    status, lines, stderr = run_client([str(program)], env)
    failures = [line for line in lines if not line["ok"]]
    assert status == 0 and not failures, (failures, stderr[-2000:])
    assert len(lines) == CALLS, [line["call"] for line in lines]
    stats = requests.get(f"{root_sandbox.url}/_sandbox/stats", timeout=10).json()
    assert stats["violations"] == {"count": 0, "requests": []}
    answered = sum(n for key, n in stats["requests"].items() if key.startswith("opsgenie "))
    assert answered >= CALLS  # every call reached the emulator, at the root
    print(f"Go SDK: {len(lines)} calls, {answered} requests, 0 violations")
