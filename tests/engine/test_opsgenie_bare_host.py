"""pulumi-opsgenie's bare-host ``opsgenie:apiUrl`` deploys, against the sandbox served at the root."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import Engine, SandboxServer
from providers.opsgenie.client import OpsgenieClient
from tests.support.opsgenie import KEY

PROGRAM = """
import pulumi
from providers.opsgenie import Schedule

schedule = Schedule(
    "bare-host",
    name="bare-host",
    timezone="Europe/Berlin",
    rotations=[{"name": "r", "start_date": "2026-01-05T09:00:00Z", "type": "weekly",
                "participants": [{"type": "user", "username": "alice@example.com"}]}],
)
pulumi.export("id", schedule.id)
"""


@pytest.fixture
def root_sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    """A strict sandbox of its own with Opsgenie at ``/`` (``--root-api opsgenie``)."""
    server = SandboxServer(tmp_path / "sandbox.db", root_api="opsgenie").start()
    try:
        yield server
        assert server.violations()["count"] == 0, server.violations()
    finally:
        server.stop()


def test_a_bare_host_api_url_deploys_a_schedule(engine: Engine, root_sandbox: SandboxServer) -> None:
    host = root_sandbox.url.removeprefix("http://")  # "127.0.0.1:PORT": pulumi-opsgenie's form
    assert "://" not in host and "/" not in host
    stack = engine.project(
        PROGRAM, name="bare-host", config={"opsgenie:apiUrl": host}, secrets={"opsgenie:apiKey": KEY}
    )
    assert stack.up().summary.resource_changes == {"create": 2}
    schedule_id = stack.outputs()["id"]
    # At the root: the same emulator as under /opsgenie.
    live = OpsgenieClient(KEY, root_sandbox.url).get_schedule(schedule_id)
    assert live.name == "bare-host" and len(live.rotations) == 1
    assert stack.preview().change_summary == {"same": 2}
    stack.destroy()
    assert OpsgenieClient(KEY, f"{root_sandbox.url}/opsgenie").list_schedules() == []
