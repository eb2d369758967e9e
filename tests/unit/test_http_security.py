"""The shared HTTP layer as an attacker would try it: credentials must stay with their origin,
plain http is refused away from loopback, and a server cannot make a call wait as long as it likes.

Two real HTTP servers on loopback: the configured API, and an "attacker" on another port that
records every request's headers. The clients are the providers' own, with their own headers
(iMBRACE's ``x-access-token`` is a custom header, which ``requests`` itself does not protect).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from providers import _http
from providers._http import ApiError, HttpClient, RetryPolicy, shared_session
from providers._throttle import RateLimit, Throttle
from providers.imbrace.client import ImbraceClient
from providers.imbrace.settings import ImbraceSettings
from providers.omni.client import OmniClient
from providers.opsgenie.client import OpsgenieClient
from tests.http_support import Recorder, serve

TOKEN = "imbrace-token-that-must-stay-home"


@pytest.fixture
def api() -> Iterator[Recorder]:
    httpd, recorder = serve()
    yield recorder
    httpd.shutdown()


@pytest.fixture
def attacker() -> Iterator[Recorder]:
    httpd, recorder = serve()
    yield recorder
    httpd.shutdown()


def imbrace(url: str) -> ImbraceClient:
    return ImbraceClient(
        ImbraceSettings(base_url=url, organization_id="org", user_id="u", access_token=TOKEN)
    )


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_port_gets_no_credentials(
    api: Recorder, attacker: Recorder, status: int
) -> None:
    """The iMBRACE token is a custom header: a redirect elsewhere must not carry it (nor the call)."""
    api.answers = [(status, {"Location": f"{attacker.url}/steal"})]
    client = imbrace(f"{api.url}/imbrace")
    with pytest.raises(ApiError) as caught:
        client.get_scheduler("s1")
    assert attacker.seen == [], f"the redirect was followed: {attacker.seen}"
    assert caught.value.status == status
    assert "redirected to another origin" in str(caught.value) and TOKEN not in str(caught.value)
    assert api.seen[0][2]["x-access-token"] == TOKEN  # the configured API did get it


@pytest.mark.parametrize(
    "make",
    [
        lambda url: OpsgenieClient("opsgenie-key-stays", f"{url}/opsgenie").http,
        lambda url: OmniClient(f"{url}/omni", "omni-token-stays").http,
    ],
    ids=["opsgenie", "omni"],
)
def test_no_api_follows_a_redirect_to_another_origin(api: Recorder, attacker: Recorder, make: object) -> None:
    api.answers = [(307, {"Location": f"{attacker.url}/steal"})]
    http: HttpClient = make(api.url)  # type: ignore[operator]
    with pytest.raises(ApiError, match="another origin"):
        http.request("POST", "/anything", json={"name": "x"})
    assert attacker.seen == []


def test_a_redirect_within_the_origin_is_still_followed(api: Recorder) -> None:
    api.answers = [(307, {"Location": "/imbrace/moved"})]
    imbrace(f"{api.url}/imbrace").http.request("GET", "/original")
    assert [path for _, path, _ in api.seen] == ["/imbrace/original", "/imbrace/moved"]
    assert api.seen[1][2]["x-access-token"] == TOKEN


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://api.example.com/opsgenie", "is not https"),
        ("http://10.0.0.5:8787/omni", "is not https"),
        ("https://user:pw@api.example.com", "user name or password"),
        ("ftp://api.example.com", "not an http(s) URL"),
        ("api.example.com", "not an http(s) URL"),
    ],
)
def test_credentials_are_refused_for_plain_http_away_from_loopback(url: str, problem: str) -> None:
    found = _http.insecure_url_problem(url)
    assert found is not None and problem in found
    with pytest.raises(ValueError, match="the API URL"):
        shared_session("test-insecure", url, {"Authorization": "Bearer x"})


@pytest.mark.parametrize(
    "url", ["https://api.opsgenie.com", "http://127.0.0.1:8787/x", "http://localhost:1", "http://[::1]:2/a"]
)
def test_https_and_loopback_urls_are_allowed(url: str) -> None:
    assert _http.insecure_url_problem(url) is None


def test_a_huge_retry_after_is_capped(api: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server asking to wait an hour must not hang the call (here the cap is 0.2 s)."""
    monkeypatch.setattr(_http, "RETRY_AFTER_MAX", 0.2, raising=False)
    api.answers = [(429, {"Retry-After": "3600"}), (503, {"Retry-After": "86400"})]
    session = shared_session("test-retry-after", api.url, {"Authorization": "x"}, RetryPolicy(attempts=3))
    limiter = Throttle(RateLimit("test", requests=6000))  # 429s are the limiter's (providers._throttle)
    client = HttpClient(api="test", base_url=api.url, session=session, timeout=(2, 5), throttle=limiter)
    outcome: list[object] = []
    started = time.monotonic()
    call = threading.Thread(
        target=lambda: outcome.append(client.request("GET", "/x").status_code), daemon=True
    )
    call.start()
    call.join(timeout=15)
    assert not call.is_alive(), "the call is still waiting for the server's Retry-After"
    assert outcome == [200] and len(api.seen) == 3
    assert time.monotonic() - started < 10


def test_a_malformed_redirect_is_not_followed_and_is_no_traceback(api: Recorder) -> None:
    api.answers = [(302, {"Location": "http://127.0.0.1:notaport/x"})]
    with pytest.raises(ApiError, match="another origin"):
        imbrace(f"{api.url}/imbrace").http.request("GET", "/original")
    assert len(api.seen) == 1
