"""Fixtures shared by every test: the sandbox in-process and as a real HTTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from harness import SandboxServer
from sandbox.app import create_app


@pytest.fixture
def sandbox_app(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A fresh in-memory sandbox app (seeded), strict unless the test is marked ``lenient``.

    ``lenient`` is for the tests of the emulators' own answers to requests the docs do not
    allow and give no answer to (a query value outside an enum, a text beyond the error rows...):
    strict mode refuses those with its ``sandbox: ...`` answer. A documented error answer is
    tested strict: strict mode lets it through (``sandbox.contract``).
    """
    return create_app(":memory:", strict=request.node.get_closest_marker("lenient") is None)


@pytest.fixture
def client(sandbox_app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """An in-process HTTP client of a fresh sandbox."""
    with TestClient(sandbox_app) as c:
        yield c


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """One real sandbox HTTP server for the session; call ``.reset()`` for a clean slate."""
    server = SandboxServer(tmp_path_factory.mktemp("sandbox") / "sandbox.db").start()
    yield server
    violations = server.violations()
    server.stop()
    # Strict mode checked every request of the session: the providers sent none the docs forbid.
    assert violations["count"] == 0, violations
