"""The engine's ``--parallel`` is the limit of API calls in flight, not the SDK's thread pools.

The Python SDK would keep at most 4 provider operations in flight (4 gRPC threads in
``pulumi.dynamic``, 6 program threads on two cores); ``providers.pools`` widens both. With
every answer slowed, each call in flight holds its own kept-alive connection, so the number
of TCP connections the sandbox saw is how many calls overlapped.
"""

from __future__ import annotations

import requests

from providers.pools import DEFAULT_WORKERS
from tests.conftest import SandboxServer
from tests.engine.harness import Engine
from tests.engine.reliability_support import OPSGENIE, sandbox_stats, three_api_stack

PROGRAM = """
import pulumi
from providers.opsgenie import Schedule
from providers.pools import widen_program_pool

widen_program_pool()
for i in range(16):
    Schedule(f"og-{i}", name=f"par-og-{i:02d}", timezone="Europe/Berlin")
"""
PARALLEL = 12


def test_up_keeps_as_many_calls_in_flight_as_parallel_says(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    assert DEFAULT_WORKERS > PARALLEL
    sandbox_server.reset()
    stack = three_api_stack(engine, sandbox_server, "parallel", program=PROGRAM)
    faults = {"opsgenie": {"latency_ms": 1500}}
    requests.put(f"{sandbox_server.url}/_sandbox/faults", json=faults, timeout=10).raise_for_status()
    try:
        stack.up(parallel=PARALLEL)
    finally:
        requests.put(f"{sandbox_server.url}/_sandbox/faults", json={}, timeout=10).raise_for_status()
    stats = sandbox_stats(sandbox_server)
    creates = stats["requests"].get("opsgenie POST /v2/schedules", 0)
    assert creates == 16 and len(stack.resources(OPSGENIE)) == 16
    # 16 creates of 1.5 s each. Three connections are this test's own (faults on, faults off, stats);
    # the SDK's pools would need 4 more (measured: 4), here about PARALLEL (measured: 12).
    in_flight = stats["connections"] - 3
    assert in_flight > 6, f"{in_flight} calls in flight at most, --parallel {PARALLEL}"
