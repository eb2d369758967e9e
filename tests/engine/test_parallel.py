"""How many API calls the official chain keeps in flight: min(``--parallel``, 4).

Pulumi's own ``pulumi-resource-pulumi-python`` launcher runs ``python -m pulumi.dynamic``, which
serves the engine with ``ThreadPoolExecutor(max_workers=4)``; each create holds a thread for its
API round trip. So against a slow API, 12 creates at ``--parallel 12`` go four at a time: three
rounds. This is what users get (docs/reliability.md), and a launcher of our own that widened
the pool would fail this test. With every answer slowed, each call in flight holds its own
kept-alive connection, so the TCP connections the sandbox saw count the calls that overlapped.
"""

from __future__ import annotations

import time

import requests

from harness import Engine, SandboxServer
from tests.support.three_apis import IMBRACE, sandbox_stats, three_api_stack

CREATES = 12
# iMBRACE: its check makes no API call, so every slowed call is a create (an Opsgenie schedule's
# check looks its name up, and the engine runs checks one at a time).
PROGRAM = f"""
from providers.imbrace import JobArgs, Scheduler, SchedulerArgs

for i in range({CREATES}):
    Scheduler(f"im-{{i}}", SchedulerArgs(
        name=f"par-im-{{i:02d}}", event_type="whatsapp", trigger_frequency_unit="days",
        trigger_frequency_value=1, trigger_time="1970-01-01T09:00:00Z",
        job=JobArgs(type="kafka", topic="ROUTER.OUTGOING_MESSAGE", workflow_id=str(i))))
"""
PARALLEL = 12
PROVIDER_THREADS = 4  # pulumi/dynamic/__main__.py
ANSWER_S = 1.5


def test_official_provider_serves_four_operations_at_once(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    sandbox_server.reset()
    stack = three_api_stack(engine, sandbox_server, "parallel", program=PROGRAM)
    faults = {"imbrace": {"latency_ms": int(ANSWER_S * 1000)}}
    requests.put(f"{sandbox_server.url}/_sandbox/faults", json=faults, timeout=10).raise_for_status()
    try:
        started = time.monotonic()
        stack.up(parallel=PARALLEL)
        wall = time.monotonic() - started
    finally:
        requests.put(f"{sandbox_server.url}/_sandbox/faults", json={}, timeout=10).raise_for_status()
    stats = sandbox_stats(sandbox_server)
    calls = {route: n for route, n in stats["requests"].items() if route.startswith("imbrace ")}
    assert list(calls.values()) == [CREATES] and "POST" in next(iter(calls)), calls
    assert len(stack.resources(IMBRACE)) == CREATES
    # Three connections are this test's own (faults on, faults off, stats).
    in_flight = stats["connections"] - 3
    assert in_flight == PROVIDER_THREADS, f"{in_flight} calls overlapped at --parallel {PARALLEL}"
    rounds = CREATES // PROVIDER_THREADS
    assert wall >= rounds * ANSWER_S, f"{CREATES} creates of {ANSWER_S} s took only {wall:.1f} s"
