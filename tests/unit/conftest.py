"""Fixtures of the unit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness import SandboxServer
from tests.support.http_server import serve
from tests.support.opsgenie import KEY


@pytest.fixture(scope="session")
def empty_api() -> Iterator[str]:
    """The URL of a loopback server that has nothing: every request gets a JSON 404."""
    httpd, recorder = serve(default=(404, {"message": "not found"}))
    yield recorder.url
    httpd.shutdown()


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch, empty_api: str) -> dict[str, str]:
    """Every provider's settings as environment variables, at :func:`empty_api` — enough for
    ``check``, which builds each provider's client and may look a unique name up."""
    settings = {
        "OPSGENIE_API_KEY": "unit-opsgenie-key",
        "OPSGENIE_API_URL": f"{empty_api}/opsgenie",
        "IMBRACE_ACCESS_TOKEN": "unit-imbrace-token",
        "IMBRACE_ORGANIZATION_ID": "org_unit",
        "IMBRACE_USER_ID": "u_unit",
        "IMBRACE_API_URL": f"{empty_api}/imbrace",
        "OMNI_BASE_URL": f"{empty_api}/omni",
        "OMNI_API_TOKEN": "unit-omni-token",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return settings


@pytest.fixture
def opsgenie_sandbox(
    sandbox_server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SandboxServer]:
    """The sandbox, reset, with the Opsgenie settings pointing at it."""
    sandbox_server.reset()
    monkeypatch.setenv("OPSGENIE_API_URL", f"{sandbox_server.url}/opsgenie")
    monkeypatch.setenv("OPSGENIE_API_KEY", KEY)
    yield sandbox_server
