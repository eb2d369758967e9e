"""Fixtures shared by every test: the sandbox in-process and as a real HTTP server."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pytest
import requests
from fastapi.testclient import TestClient

from sandbox.app import create_app

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def shared_missing(reason: str) -> None:
    """A test needs ../shared, which is absent: it fails under ``CI=true``, else it is skipped."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def sandbox_app(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A fresh in-memory sandbox app (seeded), strict unless the test is marked ``lenient``.

    ``lenient`` is for the tests of the emulators' own answers to requests the docs do not
    allow (a missing field, a bad enum...): strict mode would refuse them before the emulator.
    """
    return create_app(":memory:", strict=request.node.get_closest_marker("lenient") is None)


@pytest.fixture
def client(sandbox_app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """An in-process HTTP client of a fresh sandbox."""
    with TestClient(sandbox_app) as c:
        yield c


class SandboxServer:
    """A ``python -m sandbox`` subprocess on a free port, with its SQLite file.

    ``env`` is added to the server's environment (e.g. ``SANDBOX_OPSGENIE_KEY``). A restart keeps
    the port; everything the server prints, its URL line included, is kept in ``output``.
    """

    def __init__(self, db: Path, env: Mapping[str, str] | None = None) -> None:
        self.db = db
        self.env = dict(env or {})
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""
        self.port = 0
        self.output: list[str] = []

    def start(self) -> SandboxServer:
        """Start the server (on its previous port, after a stop) and wait until it prints its URL."""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "--port", str(self.port), "--db", str(self.db)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **self.env},
        )
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            if line.startswith("sandbox listening on "):
                self.url = line.split()[-1]
                self.port = int(self.url.rsplit(":", 1)[1])
                threading.Thread(target=self._drain, args=(self.proc.stdout,), daemon=True).start()
                return self
        raise RuntimeError(f"sandbox exited with {self.proc.wait()}")

    def _drain(self, stream: IO[str]) -> None:
        self.output.extend(stream)  # a full pipe would block the server

    def stop(self) -> None:
        """Stop the server (its data stays in the SQLite file)."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None

    def kill(self) -> None:
        """Kill the server outright, as a crash would (SIGKILL): no graceful shutdown."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=20)
            self.proc = None

    def reset(self) -> None:
        """Re-seed the data and clear faults and counters."""
        requests.post(f"{self.url}/_sandbox/reset", timeout=10).raise_for_status()

    def violations(self) -> dict[str, Any]:
        """What strict mode refused since the server started: ``count`` and the last ``requests``."""
        body = requests.get(f"{self.url}/_sandbox/stats", timeout=10).json()
        return dict(body["violations"])


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One real sandbox HTTP server for the session; call ``.reset()`` for a clean slate."""
    server = SandboxServer(tmp_path_factory.mktemp("sandbox") / "sandbox.db").start()
    yield server
    violations = server.violations()
    server.stop()
    # Strict mode checked every request of the session: the providers sent none the docs forbid.
    assert violations["count"] == 0, violations
