"""The official ``imbrace`` Python SDK (1.3.1) against the strict sandbox's documented scheduler calls.

Installed in a virtualenv of its own (tests/support/conformance.py), never in the project's.
The SDK's ``client.schedule`` targets another service (``<gateway>/data-board/v1/schedulers``,
docs/api-assumptions.md); tests/conformance/imbrace_sdk/drive.py drives its transport and its
``ScheduleResource`` on the documented ``/3rd/…/schedulers`` paths: every frequency unit, a
one-time webhook scheduler, the "with Files" calls, and documented error answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from harness import IMBRACE_ORGANIZATION, IMBRACE_TOKEN, IMBRACE_USER, SandboxServer
from tests.support.conformance import IMBRACE_DRIVER, imbrace_python, run_client

CALLS = 30
"""The calls drive.py makes (each a line; the test fails when one is missing)."""


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    """A strict sandbox of its own."""
    server = SandboxServer(tmp_path / "sandbox.db").start()
    try:
        yield server
    finally:
        server.stop()


def test_the_imbrace_sdk_parses_every_answer_with_no_violation(sandbox: SandboxServer) -> None:
    python = imbrace_python()
    env = {
        "IMBRACE_GATEWAY": f"{sandbox.url}/imbrace",
        "IMBRACE_TOKEN": IMBRACE_TOKEN,
        "IMBRACE_ORG": IMBRACE_ORGANIZATION,
        "IMBRACE_USER": IMBRACE_USER,
    }
    status, lines, stderr = run_client([str(python), str(IMBRACE_DRIVER)], env)
    info, calls = lines[0], lines[1:]
    # The SDK's own schedule calls go to another service than the documented /3rd/ gateway paths.
    assert info == {"sdk_schedule_base": f"{sandbox.url}/imbrace/data-board/v1/schedulers"}
    failures = [line for line in calls if not line["ok"]]
    assert status == 0 and not failures, (failures, stderr[-2000:])
    assert len(calls) == CALLS, [line["call"] for line in calls]
    stats = requests.get(f"{sandbox.url}/_sandbox/stats", timeout=10).json()
    assert stats["violations"] == {"count": 0, "requests": []}
    answered = sum(n for key, n in stats["requests"].items() if key.startswith("imbrace "))
    assert answered >= CALLS
    print(f"imbrace SDK: {len(calls)} calls, {answered} requests, 0 violations")
