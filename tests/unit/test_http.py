"""The shared HTTP layer against a scripted HTTP server: what is retried, what is not, what errors say."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from providers._http import ApiError, HttpClient, NotFoundError, RetryPolicy, shared_session
from providers._throttle import RateLimit, Throttle

SECRET = "GenieKey super-secret-key-123"


class Script:
    """Answers to give, in order: (status, headers, body), "drop" or "cut" (mid-body); then 200s."""

    def __init__(self) -> None:
        self.answers: list[object] = []
        self.requests: list[tuple[str, str]] = []
        self.connections = 0


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            script.connections += 1

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            script.requests.append((self.command, self.path))
            answer = script.answers.pop(0) if script.answers else (200, {}, {"ok": True})
            if answer in ("drop", "cut"):
                if answer == "cut":  # headers and half the body, then the connection closes
                    self.send_response(200)
                    self.send_header("Content-Length", "100")
                    self.end_headers()
                    self.wfile.write(b'{"half": ')
                    self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            status, headers, body = answer  # type: ignore[misc]
            data = json.dumps(body).encode()
            self.send_response(status)
            for k, v in {"Content-Type": "application/json", **headers}.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", script
    httpd.shutdown()


def client(url: str, api: str = "test") -> HttpClient:
    policy = RetryPolicy(attempts=3, backoff_factor=0.01)
    session = shared_session(f"{api}-{url}", url, {"Authorization": SECRET}, policy)
    limit = RateLimit(api, requests=6000, budget_s=3, max_wait_s=2)
    return HttpClient(api=api, base_url=url, session=session, timeout=(2, 5), throttle=Throttle(limit))


def test_get_is_retried_after_429_and_5xx(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(429, {"Retry-After": "0"}, {}), (500, {}, {}), (503, {}, {})]
    assert client(url).request("GET", "/x").json() == {"ok": True}
    assert len(script.requests) == 4


def test_post_is_retried_after_429_only(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(429, {"Retry-After": "0"}, {}), (201, {}, {"id": "1"})]
    assert client(url).request("POST", "/x", json={}).json() == {"id": "1"}
    assert len(script.requests) == 2


def test_post_is_not_repeated_after_a_500(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(500, {}, {"message": "boom", "requestId": "r-1"})]
    with pytest.raises(ApiError) as err:
        client(url).request("POST", "/x", json={})
    assert err.value.status == 500 and err.value.ambiguous
    assert len(script.requests) == 1


def test_post_is_not_repeated_after_a_dropped_connection(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = ["drop"]
    with pytest.raises(ApiError) as err:
        client(url).request("POST", "/x", json={})
    assert err.value.status is None and err.value.ambiguous
    assert len(script.requests) == 1


def test_get_is_repeated_after_a_dropped_connection(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = ["drop"]
    assert client(url).request("GET", "/x").json() == {"ok": True}
    assert len(script.requests) == 2


def test_an_answer_cut_off_mid_body_is_asked_again_only_for_idempotent_calls(
    server: tuple[str, Script],
) -> None:
    url, script = server
    script.answers = ["cut", "cut"]
    assert client(url).request("GET", "/x").json() == {"ok": True}
    assert len(script.requests) == 3
    script.answers = ["cut"]
    with pytest.raises(ApiError) as err:
        client(url).request("POST", "/x", json={})
    assert err.value.ambiguous and err.value.settled  # the server acted, then the answer broke off
    assert str(err.value) == "test POST /x failed: no answer: the answer was cut off before its end"
    assert len(script.requests) == 4


def test_retry_after_is_honoured(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(429, {"Retry-After": "1"}, {})]
    started = time.monotonic()
    client(url).request("GET", "/x")
    assert time.monotonic() - started >= 1.0


def test_errors_carry_api_message_and_request_id_not_credentials(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(422, {}, {"message": "Name is too long", "requestId": "req-42"})]
    with pytest.raises(ApiError) as err:
        client(url, api="opsgenie").request("POST", "/v2/schedules", json={})
    text = str(err.value)
    assert text == "opsgenie POST /v2/schedules failed: HTTP 422: Name is too long (request id req-42)"
    assert "secret" not in text and not err.value.ambiguous


def test_404_is_not_found_error(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(404, {}, {"detail": "Scheduled task with id x does not exist", "status": 404})]
    with pytest.raises(NotFoundError, match="Scheduled task with id x does not exist"):
        client(url).request("GET", "/x")


def test_exhausted_429_reports_the_api_answer(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(429, {"Retry-After": "2"}, {"message": "Rate limit", "requestId": "r-9"})] * 4
    with pytest.raises(ApiError) as err:
        client(url).request("GET", "/x")
    assert err.value.status == 429 and not err.value.ambiguous and len(script.requests) == 2  # 0 s, 2 s
    assert "wait budget of 3 s" in str(err.value) and "the API said: Rate limit" in str(err.value)
    assert err.value.request_id == "r-9"


def test_one_session_and_connection_are_shared(server: tuple[str, Script]) -> None:
    url, script = server
    a, b = client(url), client(url)
    assert a.session is b.session
    for _ in range(10):
        a.request("GET", "/x")
        b.request("GET", "/y")
    assert script.connections == 1
