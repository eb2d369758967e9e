"""docs/sandbox.md's ``curl`` sessions, run as printed against a fresh sandbox (its address swapped in).

Each session is one ``bash -euo pipefail`` run; the checks are what the page says each one shows.
Strict mode sees every request: the sessions send none the APIs' docs do not allow.
"""

from __future__ import annotations

import json
import subprocess

from harness import SandboxServer
from tests.support.docs_examples import example

DOCUMENTED_URL = "http://127.0.0.1:8787"  # where `python -m sandbox` listens by default


def run_session(sandbox: SandboxServer, script: str) -> str:
    """One session of the page on a freshly reset sandbox; what it printed."""
    sandbox.reset()
    before = sandbox.violations()["count"]
    assert DOCUMENTED_URL in script
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script.replace(DOCUMENTED_URL, sandbox.url)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert sandbox.violations()["count"] == before, sandbox.violations()
    return done.stdout


def test_opsgenie_session(sandbox_server: SandboxServer) -> None:
    out = run_session(sandbox_server, example("sandbox.md", "opsgenie-session"))
    assert '"name":"ops-oncall"' in out
    assert "BEGIN:VCALENDAR" in out and "SUMMARY:alice@example.com - Weekdays" in out
    assert '"finalTimeline"' in out
    assert "HTTP/1.1 403 Forbidden" in out
    assert '"message":"API Key is not granted with write access."' in out


def test_imbrace_session(sandbox_server: SandboxServer) -> None:
    out = run_session(sandbox_server, example("sandbox.md", "imbrace-session"))
    assert '"count":1' in out and '"has_more":true' in out  # the filtered list, one a page
    assert '"name":"daily digest"' in out
    assert "hello from the sandbox\n" in out  # the uploaded file, fetched back
    assert '"name":"testing schedule updated"' in out
    assert '"message":"schedule 66e17484412c29cf84c39898 is deleted successfully"' in out


def test_omni_session(sandbox_server: SandboxServer) -> None:
    out = run_session(sandbox_server, example("sandbox.md", "omni-session"))
    assert '"addedRecipientsCount":2' in out
    assert '"detail":"Bad Request: scheduleId: Invalid uuid"' in out
    view = json.loads(out[out.rindex('{"id":"61a8e93b') :])  # the admin view, printed last
    assert view["disabledAt"] is not None and view["triggerCount"] == 1
    assert {"email": "user@example.com", "userId": None} in view["recipients"]
