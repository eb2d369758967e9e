"""What a bench run measures: the full run (``make bench``) and the smoke run (``make bench-smoke``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bench.ops import OPS

CHEAP = ("up", "preview", "refresh")
"""The operations the engine-floor ratio is about; repeated where affordable."""


@dataclass(frozen=True)
class Plan:
    """Sizes, repeats and operations of one bench run."""

    name: str
    sizes: tuple[int, ...]
    """Stack sizes of the engine-floor comparison (noop vs mixed)."""
    repeats: Mapping[int, int]
    """Repeats of the cheap operations per size (medians reported; sizes left out: once)."""
    all_ops_at: tuple[int, ...]
    """Sizes where update and destroy run too (once)."""
    latency_n: int
    """Stack size of the latency-bound runs (one of ``sizes``, whose latency-0 run is the floor)."""
    latency_ops: tuple[str, ...]
    probes: tuple[tuple[str, int], ...]
    """``(api, n)``: single-API ``up``s at ``probe_ms`` per answer, so that waiting dominates the
    engine's own work (none: skipped)."""
    omni_refresh_n: int
    """Size of the Omni-only stack refreshed for the Omni-refresh goal (0: skipped)."""
    throttled_n: int
    """Opsgenie schedules of the throttled `up` (bench.throttled; 0: skipped)."""
    anchor_sizes: tuple[int, ...]
    """Sizes of the by-value anchor (each one of ``sizes``, so the noop run is its reference)."""
    no_checkpoint_probes: tuple[tuple[str, int], ...] = ()
    """``(kind, n)`` stacks deployed again with checkpoints written only at the end."""
    estate: tuple[int, int] = (0, 0)
    """``(n, parts)``: one stack of n mixed resources against ``parts`` stacks (bench.estate; 0: skipped)."""
    time_policies: tuple[int, int] = (0, 0)
    """``(n, repeats)``: the pack's time rules over n definitions of each kind (bench.time_policies)."""
    noop_ops: tuple[str, ...] | None = None
    warm_up: bool = True
    """Deploy a tiny noop and mixed stack first (and drop the results): the first engine run is slow."""
    """Operations of the noop stack when not the same as the mixed stack's."""
    latency_ms: int = 100
    startup_repeats: int = 3
    probe_ms: int = 1000

    def ops(self, kind: str, n: int, repeat: int) -> tuple[str, ...]:
        """The operations of ``kind`` at size ``n`` in repeat number ``repeat`` (0-based); () to skip."""
        if repeat >= self.repeats.get(n, 1):
            return ()
        ops = OPS if repeat == 0 and n in self.all_ops_at else CHEAP
        if kind == "noop" and self.noop_ops is not None:
            return tuple(op for op in ops if op in self.noop_ops)
        return ops


FULL = Plan(
    name="full",
    sizes=(50, 200, 1000),
    repeats={50: 2, 200: 3},
    all_ops_at=(200,),
    latency_n=200,
    latency_ops=("up", "refresh", "update", "destroy"),
    probes=(("opsgenie", 40), ("omni", 16)),
    omni_refresh_n=500,
    throttled_n=100,
    anchor_sizes=(50, 200),
    no_checkpoint_probes=(("by-value", 200), ("noop", 1000)),
    estate=(1000, 5),
    time_policies=(200, 5),
)
SMOKE = Plan(
    name="smoke",
    sizes=(10,),
    repeats={},
    all_ops_at=(10,),
    latency_n=10,
    latency_ops=("up",),
    probes=(("opsgenie", 4),),
    probe_ms=200,
    omni_refresh_n=0,
    throttled_n=10,
    anchor_sizes=(10,),
    estate=(10, 5),
    time_policies=(10, 1),
    noop_ops=("up", "preview"),
    startup_repeats=1,
    warm_up=False,
)
