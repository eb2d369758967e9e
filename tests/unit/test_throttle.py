"""providers._throttle: pacing, 429 retries as each API words them, the wait budget and its error."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator

import pytest
import requests

from harness import SandboxServer
from providers._throttle import RateLimit, RateLimitExhausted, Throttle, server_wait
from providers.opsgenie.client import OpsgenieClient
from tests.support.opsgenie import KEY


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def answer(status: int, **headers: str) -> requests.Response:
    resp = requests.Response()
    resp.raw = io.BytesIO(b"")
    resp.status_code = status
    resp.headers.update(headers)
    return resp


def throttle(limit: RateLimit, t: FakeTime) -> Throttle:
    return Throttle(limit, clock=t.clock, sleep=t.sleep, jitter=lambda: 1.0)


def test_calls_are_paced_to_the_limit_in_every_window() -> None:
    t = FakeTime()
    th = throttle(RateLimit("opsgenie", requests=240, budget_s=1000), t)  # 20 per 5 s
    starts = []
    for _ in range(100):
        th.send(lambda: answer(200))
        starts.append(t.now)
    for first in starts:
        assert sum(1 for s in starts if first <= s < first + 5) <= 20
    assert starts[-1] - starts[0] < 100 / 4 * 1.05  # and not much slower than the limit


def test_without_a_configured_limit_calls_are_not_paced() -> None:
    # No doc publishes a limit (docs/api-assumptions.md, R4): by default the server's 429s are the signal.
    t = FakeTime()
    th = throttle(RateLimit.default("opsgenie"), t)
    for _ in range(100):
        assert th.send(lambda: answer(200)).status_code == 200
    assert t.sleeps == [] and th.throttled == 0


def test_without_a_configured_limit_a_429_still_holds_every_caller_back() -> None:
    t = FakeTime()
    th = throttle(RateLimit.default("opsgenie"), t)
    answers = iter([answer(429, **{"X-RateLimit-Period-In-Sec": "5"})])
    assert th.send(lambda: next(answers, answer(201))).status_code == 201
    assert 5 <= sum(t.sleeps) <= 5 * 1.1 + 0.1 and th.throttled == 1
    before = t.now
    th._pause(3.0)  # another thread's 429: the next call waits for the shared pause
    assert th.send(lambda: answer(200)).status_code == 200
    assert t.now - before == pytest.approx(3.0)


def test_a_429_waits_the_period_opsgenie_names_then_retries() -> None:
    t = FakeTime()
    th = throttle(RateLimit("opsgenie", requests=6000), t)
    answers = iter([answer(429, **{"X-RateLimit-State": "THROTTLED", "X-RateLimit-Period-In-Sec": "5"})])
    resp = th.send(lambda: next(answers, answer(201)))
    assert resp.status_code == 201
    waited = sum(t.sleeps)
    assert 5 <= waited <= 5 * 1.1 + 0.1  # the period, plus at most 10 % jitter
    assert th.throttled == 1


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-RateLimit-Period-In-Sec": "60"}, 60.0),
        ({"Retry-After": "7"}, 7.0),
        ({"X-RateLimit-Period-In-Sec": "60", "Retry-After": "9"}, 9.0),
        ({}, 1.5),
        ({"Retry-After": "soon"}, 1.5),
    ],
)
def test_server_wait_reads_the_headers_each_api_sends(headers: dict[str, str], expected: float) -> None:
    assert server_wait(answer(429, **headers), 1.5) == expected


def test_a_429_without_headers_backs_off_exponentially() -> None:
    t = FakeTime()
    th = throttle(RateLimit("omni", requests=6000), t)
    answers = iter([answer(429), answer(429), answer(429)])
    assert th.send(lambda: next(answers, answer(200))).status_code == 200
    assert [round(s, 2) for s in t.sleeps] == [1.1, 2.2, 4.4]  # 1, 2, 4 s, each with its jitter


def test_one_wait_is_capped() -> None:
    t = FakeTime()
    th = throttle(RateLimit("opsgenie", requests=6000, budget_s=100, max_wait_s=10), t)
    answers = iter([answer(429, **{"X-RateLimit-Period-In-Sec": "3600"})])
    assert th.send(lambda: next(answers, answer(200))).status_code == 200
    assert 10 <= t.now - 1000 <= 11.1


@pytest.mark.parametrize(
    ("per_minute", "says"), [(600, "limit 600 requests per 60 s"), (None, "no limit set")]
)
def test_the_budget_runs_out_with_a_message_saying_what_to_configure(
    per_minute: int | None, says: str
) -> None:
    t = FakeTime()
    th = throttle(RateLimit("opsgenie", requests=per_minute, budget_s=10), t)
    calls = []

    def throttled() -> requests.Response:
        calls.append(t.now)
        return answer(429, **{"X-RateLimit-Period-In-Sec": "5"})

    with pytest.raises(RateLimitExhausted) as err:
        th.send(throttled)
    message = str(err.value)
    assert len(calls) == 2  # the second wait would overrun the budget: no third call
    assert "wait budget of 10 s" in message and says in message
    assert "opsgenie:maxRequestsPerMinute" in message and "opsgenie:rateLimitWaitSeconds" in message
    assert "X-RateLimit" not in message and "(wait 5 s)" in message


def test_settings_come_from_config_and_bad_values_name_the_key() -> None:
    values = {"maxRequestsPerMinute": "240", "rateLimitWaitSeconds": "30"}
    limit = RateLimit.resolve("opsgenie", lambda key, _env: values.get(key))
    assert (limit.requests, limit.period_s, limit.budget_s) == (240, 60.0, 30.0)
    assert RateLimit.resolve("omni", lambda _k, _e: None) == RateLimit.default("omni")
    assert RateLimit.default("omni").requests is None  # not paced unless configured (R4)
    assert RateLimit.default("omni").budget_s >= 2 * RateLimit.default("omni").period_s
    with pytest.raises(ValueError, match="'imbrace:maxRequestsPerMinute' must be a positive number"):
        RateLimit.resolve("imbrace", lambda key, _env: "lots" if key == "maxRequestsPerMinute" else None)


# ---- against the sandbox's quotas, over real HTTP ------------------------------------------------
@pytest.fixture
def quota(sandbox_server: SandboxServer) -> Iterator[SandboxServer]:
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.reset()


def set_quota(server: SandboxServer, requests_: int, period_s: float) -> None:
    body = {"opsgenie": {"requests": requests_, "period_s": period_s}}
    requests.put(f"{server.url}/_sandbox/quotas", json=body, timeout=10).raise_for_status()


def stats(server: SandboxServer) -> dict[str, int]:
    body = requests.get(f"{server.url}/_sandbox/stats", timeout=10).json()
    sent = sum(v for k, v in body["requests"].items() if k.startswith("opsgenie "))
    return {"requests": sent, "429": body["faults"].get("opsgenie quota-429", 0)}


def test_the_sandbox_quota_answers_like_opsgenie(quota: SandboxServer) -> None:
    set_quota(quota, 2, 30)
    url = f"{quota.url}/opsgenie/v2/schedules"
    headers = {"Authorization": f"GenieKey {KEY}"}
    assert [requests.get(url, headers=headers, timeout=10).status_code for _ in range(2)] == [200, 200]
    refused = requests.get(url, headers=headers, timeout=10)
    assert refused.status_code == 429
    assert refused.headers["X-RateLimit-State"] == "THROTTLED"
    assert refused.headers["X-RateLimit-Period-In-Sec"] == "30"
    assert refused.headers["X-RateLimit-Reason"]
    assert "Retry-After" not in refused.headers
    assert refused.json()["message"] and refused.json()["requestId"]


def parallel_reads(client: OpsgenieClient, count: int, threads: int = 8) -> list[BaseException]:
    errors: list[BaseException] = []
    lock = threading.Lock()
    todo = iter(range(count))

    def work() -> None:
        while True:
            with lock:
                if next(todo, None) is None:
                    return
            try:
                client.list_schedules()
            except Exception as exc:
                with lock:
                    errors.append(exc)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return errors


def test_threads_sharing_a_limiter_set_to_the_quota_are_hardly_ever_refused(quota: SandboxServer) -> None:
    set_quota(quota, 10, 2)
    limit = RateLimit("opsgenie", requests=300, budget_s=30)  # 10 per 2 s
    client = OpsgenieClient(KEY, f"{quota.url}/opsgenie", rate_limit=limit)
    assert parallel_reads(client, 40) == []
    seen = stats(quota)
    assert seen["requests"] == 40 and seen["429"] <= 2, seen


def test_threads_without_a_limit_ride_out_the_quota_without_retry_after(quota: SandboxServer) -> None:
    set_quota(quota, 10, 2)  # no pacing by default: 429s with X-RateLimit-Period-In-Sec: 2
    client = OpsgenieClient(KEY, f"{quota.url}/opsgenie")
    assert parallel_reads(client, 30) == []
    seen = stats(quota)
    assert seen["requests"] == 30 and seen["429"] > 0, seen


def test_a_budget_too_small_fails_with_the_clear_message(quota: SandboxServer) -> None:
    set_quota(quota, 3, 30)
    client = OpsgenieClient(KEY, f"{quota.url}/opsgenie", rate_limit=RateLimit("opsgenie", 600, budget_s=2))
    errors = parallel_reads(client, 6, threads=2)
    assert len(errors) == 3
    assert all("opsgenie GET /v2/schedules failed: HTTP 429" in str(e) for e in errors)
    assert all("opsgenie:rateLimitWaitSeconds" in str(e) for e in errors)
