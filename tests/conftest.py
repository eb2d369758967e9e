"""Fixtures shared by every test: the sandbox in-process and as a real HTTP server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from fastapi.testclient import TestClient

from sandbox.app import create_app

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def sandbox_app():  # type: ignore[no-untyped-def]
    """A fresh in-memory sandbox app (seeded)."""
    return create_app(":memory:")


@pytest.fixture
def client(sandbox_app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """An in-process HTTP client of a fresh sandbox."""
    with TestClient(sandbox_app) as c:
        yield c


class SandboxServer:
    """A ``python -m sandbox`` subprocess on a free port, with its SQLite file."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> SandboxServer:
        """Start the server and wait until it prints its URL."""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "--port", "0", "--db", str(self.db)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("sandbox listening on "):
                self.url = line.split()[-1]
                return self
        raise RuntimeError(f"sandbox exited with {self.proc.wait()}")

    def stop(self) -> None:
        """Stop the server (its data stays in the SQLite file)."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None

    def reset(self) -> None:
        """Re-seed the data and clear faults and counters."""
        requests.post(f"{self.url}/_sandbox/reset", timeout=10).raise_for_status()


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One real sandbox HTTP server for the session; call ``.reset()`` for a clean slate."""
    server = SandboxServer(tmp_path_factory.mktemp("sandbox") / "sandbox.db").start()
    yield server
    server.stop()
