"""The shared HTTP layer against a scripted HTTP server: what is retried, what is not, what errors say."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from providers._http import ApiError, HttpClient, NotFoundError, RetryPolicy, shared_session
from providers._throttle import RateLimit, Throttle
from tests.support.http_server import Recorder, serve

SECRET = "GenieKey super-secret-key-123"


@pytest.fixture
def server() -> Iterator[tuple[str, Recorder]]:
    httpd, recorder = serve(default=(200, {"ok": True}))
    yield recorder.url, recorder
    httpd.shutdown()


def client(url: str, api: str = "test") -> HttpClient:
    policy = RetryPolicy(attempts=3, backoff_factor=0.01)
    session = shared_session(f"{api}-{url}", url, {"Authorization": SECRET}, policy)
    limit = RateLimit(api, requests=6000, budget_s=3, max_wait_s=2)
    return HttpClient(api=api, base_url=url, session=session, timeout=(2, 5), throttle=Throttle(limit))


def test_get_is_retried_after_429_and_5xx(server: tuple[str, Recorder]) -> None:
    url, script = server
    script.answers = [(429, {"Retry-After": "0"}, {}), (500, {}, {}), (503, {}, {})]
    assert client(url).request("GET", "/x").json() == {"ok": True}
    assert len(script.seen) == 4


def test_post_is_retried_after_429_only(server: tuple[str, Recorder]) -> None:
    url, script = server
    script.answers = [(429, {"Retry-After": "0"}, {}), (201, {}, {"id": "1"})]
    assert client(url).request("POST", "/x", json={}).json() == {"id": "1"}
    assert len(script.seen) == 2


def test_post_is_not_repeated_after_a_500(server: tuple[str, Recorder]) -> None:
    url, script = server
    script.answers = [(500, {}, {"message": "boom", "requestId": "r-1"})]
    with pytest.raises(ApiError) as err:
        client(url).request("POST", "/x", json={})
    assert err.value.status == 500 and err.value.ambiguous
    assert len(script.seen) == 1


def test_post_is_not_repeated_after_a_dropped_connection(server: tuple[str, Recorder]) -> None:
    url, script = server
    script.answers = ["drop"]
    with pytest.raises(ApiError) as err:
        client(url).request("POST", "/x", json={})
    assert err.value.status is None and err.value.ambiguous
    assert len(script.seen) == 1


def test_get_is_repeated_after_a_dropped_connection(server: tuple[str, Recorder]) -> None:
    url, script = server
    script.answers = ["drop"]
    assert client(url).request("GET", "/x").json() == {"ok": True}
    assert len(script.seen) == 2


def test_an_answer_cut_off_mid_body_is_asked_again_only_for_idempotent_calls(
    server: tuple[str, Recorder],
) -> None:
    url, script = server
    script.answers = ["cut", "cut"]
    assert client(url).request("GET", "/x").json() == {"ok": True}
    assert len(script.seen) == 3
    script.answers = ["cut"]
    with pytest.raises(ApiError) as err:
        client(url).request("POST", "/x", json={})
    assert err.value.ambiguous and err.value.settled  # the server acted, then the answer broke off
    assert str(err.value) == "test POST /x failed: no answer: the answer was cut off before its end"
    assert len(script.seen) == 4


def test_retry_after_is_honoured(server: tuple[str, Recorder]) -> None:
    url, script = server
    script.answers = [(429, {"Retry-After": "1"}, {})]
    started = time.monotonic()
    client(url).request("GET", "/x")
    assert time.monotonic() - started >= 1.0


def test_errors_carry_api_message_and_request_id_not_credentials(server: tuple[str, Recorder]) -> None:
    url, script = server
    script.answers = [(422, {}, {"message": "Name is too long", "requestId": "req-42"})]
    with pytest.raises(ApiError) as err:
        client(url, api="opsgenie").request("POST", "/v2/schedules", json={})
    text = str(err.value)
    assert text == "opsgenie POST /v2/schedules failed: HTTP 422: Name is too long (request id req-42)"
    assert "secret" not in text and not err.value.ambiguous


def test_404_is_not_found_error(server: tuple[str, Recorder]) -> None:
    url, script = server
    script.answers = [(404, {}, {"detail": "Scheduled task with id x does not exist", "status": 404})]
    with pytest.raises(NotFoundError, match="Scheduled task with id x does not exist"):
        client(url).request("GET", "/x")


def test_exhausted_429_reports_the_api_answer(server: tuple[str, Recorder]) -> None:
    url, script = server
    script.answers = [(429, {"Retry-After": "2"}, {"message": "Rate limit", "requestId": "r-9"})] * 4
    with pytest.raises(ApiError) as err:
        client(url).request("GET", "/x")
    assert err.value.status == 429 and not err.value.ambiguous and len(script.seen) == 2  # 0 s, 2 s
    assert "wait budget of 3 s" in str(err.value) and "the API said: Rate limit" in str(err.value)
    assert err.value.request_id == "r-9"


def test_one_session_and_connection_are_shared(server: tuple[str, Recorder]) -> None:
    url, script = server
    a, b = client(url), client(url)
    assert a.session is b.session
    for _ in range(10):
        a.request("GET", "/x")
        b.request("GET", "/y")
    assert script.connections == 1
