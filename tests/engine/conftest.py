"""Fixtures for tests that run the real Pulumi engine (``.tools/bin``, see scripts/install-engine)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import TOOLS, Engine, SandboxServer
from harness.processes import kill, provider_processes
from tests.support.s3_server import BUCKET, S3Server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/engine as an engine test."""
    for item in items:
        if "tests/engine/" in str(item.fspath):
            item.add_marker(pytest.mark.engine)


@pytest.fixture(autouse=True)
def strict_sandbox(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every engine test on the shared sandbox leaves its strict mode with no new violation."""
    if "sandbox_server" not in request.fixturenames:
        yield
        return
    server: SandboxServer = request.getfixturevalue("sandbox_server")
    before = server.violations()["count"]
    yield
    seen = server.violations()
    assert seen["count"] == before, f"requests the APIs' docs do not allow: {seen['requests']}"


LEFTOVER_GRACE_S = 10.0
"""How long a test's provider processes may take to end after its last CLI exited."""


@pytest.fixture(autouse=True)
def no_provider_left_behind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A test that leaves a dynamic-provider process behind (``python -m pulumi.dynamic`` or its
    launcher, working in this session's temp dirs) fails; the leftovers are ended."""
    base = tmp_path_factory.getbasetemp()
    before = set(provider_processes(base))
    yield
    deadline = time.monotonic() + LEFTOVER_GRACE_S
    while True:
        left = {pid: cmd for pid, cmd in provider_processes(base).items() if pid not in before}
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    kill(left)
    assert not left, f"provider processes left running: {left}"


@pytest.fixture
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A throwaway Pulumi home and file:// backend. Fails (never skips) when the engine is missing."""
    if not (TOOLS / "bin" / "pulumi").exists():
        pytest.fail("the Pulumi engine is not installed: run `make engine` (scripts/install-engine)")
    return Engine(tmp_path_factory.mktemp("engine"))


@pytest.fixture
def s3(tmp_path: Path) -> Iterator[S3Server]:
    """A real S3-compatible server (SeaweedFS) with an empty bucket ``BUCKET``. Fails when not installed."""
    server = S3Server(tmp_path / "s3").start()
    try:
        server.make_bucket(BUCKET)
        yield server
    finally:
        server.stop()
