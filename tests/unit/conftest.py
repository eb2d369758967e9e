"""Fixtures of the unit tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class _NothingHere(BaseHTTPRequestHandler):
    """Answers every request with a JSON 404, as an API without the object asked for."""

    def _answer(self) -> None:
        body = b'{"message": "not found"}'
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def empty_api() -> Iterator[str]:
    """The URL of a loopback server that has nothing: every request gets a 404."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _NothingHere)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
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
