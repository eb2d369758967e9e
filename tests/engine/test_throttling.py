"""`pulumi up` under Opsgenie quotas that answer 429 as Opsgenie does (X-RateLimit-*, no Retry-After).

The limiter of providers._throttle paces the provider process's calls when
`opsgenie:maxRequestsPerMinute` is set (by default it does not pace) and retries the 429s;
whatever happens, the API ends up holding exactly the schedules the state knows.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from pulumi import automation as auto

from harness import Engine, EngineStack, SandboxServer
from tests.support.secrets import assert_no_traceback
from tests.support.three_apis import (
    OPSGENIE,
    assert_sandbox_matches_state,
    configure,
    sandbox_stats,
    three_api_stack,
)


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[SandboxServer]:
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.reset()  # no quota left behind for the next test


def set_quota(sandbox: SandboxServer, requests_: int, period_s: float) -> None:
    body = {"opsgenie": {"requests": requests_, "period_s": period_s}}
    requests.put(f"{sandbox.url}/_sandbox/quotas", json=body, timeout=10).raise_for_status()


def opsgenie_counts(sandbox: SandboxServer) -> dict[str, int]:
    stats = sandbox_stats(sandbox)
    answered = sum(v for k, v in stats["requests"].items() if k.startswith("opsgenie "))
    refused = stats["faults"].get("opsgenie quota-429", 0)
    return {"answered": answered, "429": refused, "sent": answered + refused}


def schedules_stack(
    engine: Engine, sandbox: SandboxServer, name: str, count: int, **config: str
) -> EngineStack:
    stack = three_api_stack(engine, sandbox, name)
    configure(stack, sandbox, name, opsgenie=count, imbrace=0, omni=0)
    if config:
        stack.set_config(config)
    return stack


def up_of(stack: EngineStack, sandbox: SandboxServer, tag: str, count: int) -> dict[str, Any]:
    started = time.monotonic()
    result = stack.up()
    took = time.monotonic() - started
    assert result.summary.resource_changes == {"create": count + 1}  # and the stack itself
    assert_no_traceback(result.stdout, result.stderr)
    assert assert_sandbox_matches_state(stack, sandbox, tag) == {"opsgenie": count, "imbrace": 0, "omni": 0}
    seen = {**opsgenie_counts(sandbox), "seconds": round(took, 1)}
    print(f"{tag}: {seen}")
    return seen


def test_100_schedules_under_20_per_5s_with_the_limiter_set_to_the_quota(
    engine: Engine, sandbox: SandboxServer
) -> None:
    stack = schedules_stack(engine, sandbox, "q100", 100, **{"opsgenie:maxRequestsPerMinute": "240"})
    set_quota(sandbox, 20, 5)
    seen = up_of(stack, sandbox, "q100", 100)
    assert seen["429"] < 0.05 * seen["sent"], seen
    stack.assert_no_changes()


def test_40_schedules_without_a_limit_ride_out_a_short_quota(engine: Engine, sandbox: SandboxServer) -> None:
    # Opsgenie's quota logic at a 5-second period, no limit configured (no pacing, R4): the provider
    # meets 429s that carry only X-RateLimit-Period-In-Sec, and retries each after that period.
    stack = schedules_stack(engine, sandbox, "q40", 40)
    set_quota(sandbox, 15, 5)
    seen = up_of(stack, sandbox, "q40", 40)
    assert seen["429"] > 0, seen  # the unpaced calls did run into the quota


@pytest.mark.slow
def test_40_schedules_without_a_limit_under_30_per_minute(engine: Engine, sandbox: SandboxServer) -> None:
    stack = schedules_stack(engine, sandbox, "rt40", 40)
    set_quota(sandbox, 30, 60)
    seen = up_of(stack, sandbox, "rt40", 40)
    assert seen["429"] > 0 and seen["seconds"] > 60, seen


def test_a_wait_budget_too_small_fails_clearly_and_loses_no_schedule(
    engine: Engine, sandbox: SandboxServer
) -> None:
    stack = schedules_stack(engine, sandbox, "qb", 30, **{"opsgenie:rateLimitWaitSeconds": "2"})
    set_quota(sandbox, 10, 30)
    with pytest.raises(auto.CommandError) as err:
        stack.up()
    text = str(err.value)
    assert "HTTP 429" in text and "rate limited: no slot within the wait budget of 2 s" in text
    assert "opsgenie:maxRequestsPerMinute" in text and "opsgenie:rateLimitWaitSeconds" in text
    assert_no_traceback(text)
    # Every schedule the API made is in state (also those whose read-back was refused) ...
    made = assert_sandbox_matches_state(stack, sandbox, "qb")["opsgenie"]
    assert 0 < made < 30
    # ... and once the quota allows it, the next `up` finishes the job without a duplicate.
    set_quota(sandbox, 1000, 30)
    stack.up()
    assert assert_sandbox_matches_state(stack, sandbox, "qb")["opsgenie"] == 30
    assert len(stack.resources(OPSGENIE)) == 30
