"""The throttled run: one `pulumi up` of N Opsgenie schedules under an Opsgenie-style quota.

The sandbox answers past 20 requests per 5-second period with Opsgenie's 429 (``X-RateLimit-*``,
no ``Retry-After``); the stack's ``opsgenie:maxRequestsPerMinute`` sets the provider's limiter to
the same rate. Reported: wall time, requests, 429s and their share (the goal: under 5 %).
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.ops import run_op
from bench.world import World

QUOTA_REQUESTS = 20
QUOTA_PERIOD_S = 5.0
LIMIT_PER_MINUTE = int(QUOTA_REQUESTS * 60 / QUOTA_PERIOD_S)


@dataclass(frozen=True)
class Throttled:
    """What the throttled `up` measured."""

    n: int
    seconds: float
    answered: int
    refused: int
    created: int

    @property
    def share(self) -> float:
        """429s per request sent."""
        sent = self.answered + self.refused
        return self.refused / sent if sent else 0.0


def throttled_up(world: World, n: int, parallel: int) -> Throttled:
    """`up` of ``n`` Opsgenie schedules (a fresh stack) under the quota; the sandbox's counts."""
    world.prepare("mixed", n, ("opsgenie",))
    quota = {"opsgenie": {"requests": QUOTA_REQUESTS, "period_s": QUOTA_PERIOD_S}}
    world.sandbox._call("PUT", "/quotas", json=quota)
    stack = world.stack("mixed", n, ("opsgenie",))
    stack.set_config({"opsgenie:maxRequestsPerMinute": str(LIMIT_PER_MINUTE)})
    try:
        done = run_op(stack, "up", world.sandbox, parallel)
        faults = world.sandbox._call("GET", "/stats")["faults"]
    finally:
        world.sandbox.reset()  # no quota for what follows
        world.discard()
    answered = sum(v for k, v in done.counters.requests.items() if k.startswith("opsgenie "))
    refused = int(faults.get("opsgenie quota-429", 0))
    print(f"    throttled N={n:<5} up       {done.seconds:6.1f} s {answered:5} calls {refused} x 429")
    created = done.changes.get("create", 0) - 1  # less the stack itself
    return Throttled(n, done.seconds, answered, refused, created)


def section(result: Throttled | None) -> list[str]:
    """The results page's lines for the throttled run (none when it did not run)."""
    if result is None:
        return []
    r = result
    return [
        "## Throttled: Opsgenie under a quota",
        "",
        f"One `up` of {r.n} Opsgenie schedules while the sandbox allows {QUOTA_REQUESTS} requests per "
        f"{QUOTA_PERIOD_S:g} s and answers the rest as Opsgenie does (429, `X-RateLimit-*`, no "
        f"`Retry-After`); `opsgenie:maxRequestsPerMinute` = {LIMIT_PER_MINUTE}. Goal: every schedule "
        "created, 429s under 5 % of the requests.",
        "",
        "| N | created | up | requests answered | 429s | 429 share |",
        "|---|---|---|---|---|---|",
        f"| {r.n} | {r.created} | {r.seconds:.1f} s | {r.answered} | {r.refused} | {r.share:.1%} |",
        "",
    ]
