"""The issue's goals, judged on one run's numbers (not timed tests: a miss does not fail the bench)."""

from __future__ import annotations

import importlib.util
import itertools
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bench.ops import Cycle
from bench.plan import CHEAP
from bench.programs import minimum_calls, spread
from bench.sections import Run, all_of
from bench.startup import IMPORT_GOAL_S
from bench.state import StateSize
from bench.time_policies import GOAL_S as TIME_RULES_GOAL_S

RATIO_SIZES = (200, 1000)
RATIO_MAX = 1.3
OMNI_REFRESH_N = 500
OMNI_REFRESH_MAX = 7
LATENCY_MAX = 1.3
GROWTH_MAX = 1.3
STATE_ABOVE_FLOOR_MAX = 512
"""Export bytes per resource above the no-op floor."""


@dataclass(frozen=True)
class Goal:
    """One goal: what it asks, what was measured, and whether it was met (None: not measured)."""

    name: str
    target: str
    measured: str
    met: bool | None


@dataclass(frozen=True)
class CallRow:
    """The calls of one API in one operation of the mixed stack, against the minimum."""

    n: int
    op: str
    api: str
    resources: int
    calls: int
    minimum: int
    routes: dict[str, int]


def call_rows(run: Run) -> list[CallRow]:
    """Every (size, operation, API) of the mixed stacks, with the calls made and the minimum."""
    rows = []
    for (kind, n), cycle in sorted(run.floor.items(), key=lambda kv: kv[0][1]):
        if kind != "mixed":
            continue
        for op in cycle.ops:
            counters = cycle.first(op).counters
            for api, indices in spread(n, cycle.apis).items():
                routes = {
                    k.split(" ", 1)[1]: v for k, v in counters.requests.items() if k.startswith(f"{api} ")
                }
                minimum = minimum_calls(api, op, len(indices))
                rows.append(CallRow(n, op, api, len(indices), sum(routes.values()), minimum, routes))
    return rows


@cache
def provider_workers() -> int:
    """Provider operations the official ``pulumi-resource-pulumi-python`` serves at once.

    The launcher runs ``python -m pulumi.dynamic``, whose gRPC server takes the engine's calls on
    ``ThreadPoolExecutor(max_workers=4)``; each create, read, update or delete holds a thread for
    its API round trips. Read from the installed SDK: a change there stops the bench here
    instead of skewing every ideal.
    """
    spec = importlib.util.find_spec("pulumi.dynamic.__main__")
    source = Path(spec.origin).read_text() if spec and spec.origin else ""
    found = re.findall(r"ThreadPoolExecutor\(\s*max_workers=(\d+)\s*\)", source)
    if len(found) != 1:
        origin = spec.origin if spec else "pulumi.dynamic.__main__"
        raise RuntimeError(f"no single `ThreadPoolExecutor(max_workers=N)` in {origin}: {found}")
    return int(found[0])


def parallelism(run: Run) -> int:
    """Calls in flight the chain allows where latency dominates: min(``--parallel``, the pool's 4).

    The program's side is wider (asyncio's default pool, min(32, cores + 4) ≥ 5 threads).
    """
    return min(run.parallel, provider_workers())


def minimum_total(cycle: Cycle, op: str) -> int:
    """The fewest API calls ``op`` can make on ``cycle``'s stack (:func:`minimum_calls` per API)."""
    return sum(minimum_calls(api, op, len(i)) for api, i in spread(cycle.n, cycle.apis).items())


def ideal_seconds(run: Run, cycle: Cycle, op: str, latency_ms: int) -> float:
    """Minimum calls x latency ÷ parallelism: the fewest calls, overlapped as far as the chain allows."""
    return minimum_total(cycle, op) * latency_ms / 1000 / parallelism(run)


def ratio_sizes(run: Run) -> tuple[int, ...]:
    """The sizes the ratio goal is judged at (200 and 1000, or the largest measured in a smaller run)."""
    return tuple(n for n in RATIO_SIZES if n in run.plan.sizes) or (max(run.plan.sizes),)


def _ratio(run: Run) -> Goal:
    sizes = ratio_sizes(run)
    name = f"engine-floor ratio at N = {' and '.join(map(str, sizes))}"
    parts, worst = [], 0.0
    for n in sizes:
        noop, mixed = run.floor.get(("noop", n)), run.floor.get(("mixed", n))
        ops = [op for op in CHEAP if noop and mixed and op in noop.runs and op in mixed.runs]
        if noop is None or mixed is None or not ops:
            continue
        ratios = {op: mixed.seconds(op) / noop.seconds(op) for op in ops}
        worst = max(worst, *ratios.values())
        parts.append(f"N = {n}: " + ", ".join(f"{op} {r:.2f}" for op, r in ratios.items()))
    if not parts:
        return Goal(name, f"≤ {RATIO_MAX}", "not measured", None)
    return Goal(name, f"≤ {RATIO_MAX}", "; ".join(parts), worst <= RATIO_MAX)


def _calls(run: Run) -> Goal:
    rows = [r for r in call_rows(run) if r.resources]
    if not rows:
        return Goal("API calls per operation", "the minimum", "not measured", None)
    over = [r for r in rows if r.calls > r.minimum]
    worst = sorted(over, key=lambda r: r.calls / max(r.minimum, 1), reverse=True)[:4]
    text = f"{len(rows) - len(over)} of {len(rows)} (size, operation, API) at the minimum"
    if worst:
        text += "; most over: " + ", ".join(f"{r.api} {r.op} N={r.n} {r.calls} vs {r.minimum}" for r in worst)
    return Goal("API calls per operation", "the minimum", text, not over)


def omni_list_calls(cycle: Cycle, op: str) -> int:
    """Omni list calls (``GET /api/v1/schedules``) of ``op``."""
    return cycle.first(op).counters.requests.get("omni GET /api/v1/schedules", 0)


def _omni(run: Run) -> Goal:
    cycle = run.omni_refresh
    if cycle is None:
        return Goal(
            f"Omni refresh of {OMNI_REFRESH_N}", f"≤ {OMNI_REFRESH_MAX} list calls", "not measured", None
        )
    # A smaller run scales the allowance: the minimum pages plus the goal's slack of two.
    allowed = OMNI_REFRESH_MAX if cycle.n == OMNI_REFRESH_N else math.ceil(cycle.n / 100) + 2
    calls = omni_list_calls(cycle, "refresh")
    return Goal(
        f"Omni refresh of {cycle.n}",
        f"≤ {allowed} list calls",
        f"{calls} list calls ({cycle.first('refresh').seconds:.1f} s)",
        calls <= allowed,
    )


def latency_ratios(run: Run, cycle: Cycle) -> dict[str, float]:
    """Per operation that needs an API call: wall time ÷ ideal time."""
    out = {}
    for op in cycle.ops:
        ideal = ideal_seconds(run, cycle, op, run.plan.latency_ms)
        if ideal:
            out[op] = cycle.seconds(op) / ideal
    return out


def _latency(run: Run) -> Goal:
    name = f"latency-bound wall time ({run.plan.latency_ms} ms per call, N = {run.plan.latency_n})"
    target = f"≤ {LATENCY_MAX} x ideal (minimum calls x latency ÷ {parallelism(run)})"
    if run.latency is None:
        return Goal(name, target, "not measured", None)
    ratios = latency_ratios(run, run.latency)
    if not ratios:
        return Goal(name, target, "no operation needs an API call", None)
    measured = ", ".join(f"{op} {r:.1f}x" for op, r in ratios.items())
    return Goal(name, target, measured, max(ratios.values()) <= LATENCY_MAX)


def marginal_costs(run: Run, kind: str, op: str) -> list[tuple[int, int, float]]:
    """Seconds per added resource between consecutive sizes: ``(from, to, seconds)``."""
    sizes = [n for n in run.plan.sizes if (kind, n) in run.floor and op in run.floor[(kind, n)].runs]
    out = []
    for a, b in itertools.pairwise(sizes):
        cost = (run.floor[(kind, b)].seconds(op) - run.floor[(kind, a)].seconds(op)) / (b - a)
        out.append((a, b, cost))
    return out


def _growth(run: Run) -> Goal:
    parts, met = [], True
    for kind in ("noop", "mixed"):
        for op in CHEAP:
            costs = marginal_costs(run, kind, op)
            if len(costs) < 2:
                continue
            first, last = costs[0][2], costs[-1][2]
            factor = last / first if first > 0 else math.inf
            met = met and factor <= GROWTH_MAX
            parts.append(f"{kind} {op} {factor:.1f}x")
    if not parts:
        return Goal("growth linear in N", "cost per added resource flat", "needs three sizes", None)
    measured = "cost per added resource, largest step vs smallest: " + ", ".join(parts)
    return Goal("growth linear in N", f"≤ {GROWTH_MAX}x from step to step", measured, met)


def above_floor(run: Run) -> tuple[int, float] | None:
    """``(n, bytes)``: export bytes per resource of the mixed stack above the noop stack's, at the
    largest size both were measured at."""
    sizes = [
        n
        for n in run.plan.sizes
        if all((k, n) in run.floor and run.floor[(k, n)].state for k in ("mixed", "noop"))
    ]
    if not sizes:
        return None
    n = max(sizes)
    mixed, noop = run.floor[("mixed", n)].state, run.floor[("noop", n)].state
    assert mixed is not None and noop is not None
    return n, mixed.per_resource(n) - noop.per_resource(n)


def _state(run: Run) -> Goal:
    name, target = (
        "state per resource above the no-op floor",
        f"≤ {STATE_ABOVE_FLOOR_MAX / 1024:.1f} KB (export)",
    )
    found = above_floor(run)
    if found is None:
        return Goal(name, target, "not measured", None)
    n, extra = found
    mixed, noop = run.floor[("mixed", n)].state, run.floor[("noop", n)].state
    assert mixed is not None and noop is not None
    text = f"{extra / 1024:.2f} KB at N = {n} (mixed {_kb(mixed, n)}; noop floor {_kb(noop, n)})"
    return Goal(name, target, text, extra <= STATE_ABOVE_FLOOR_MAX)


def _start(run: Run) -> Goal:
    name = "provider start: our modules' imports before the first answer"
    target = f"≤ {IMPORT_GOAL_S * 1000:.0f} ms per process"
    key = all_of(run.apis)
    provider, program = run.provider_start.get(key), run.program_start.get(key)
    if provider is None or program is None:
        return Goal(name, target, "not measured", None)
    pro, prg = provider.imports, program.imports
    text = (
        f"provider process {pro.ours * 1000:.0f} ms, program {prg.ours * 1000:.0f} ms (`{key}`;"
        f" everything imported, pydantic and requests included: {pro.total * 1000:.0f} /"
        f" {prg.total * 1000:.0f} ms)"
    )
    return Goal(name, target, text, provider.met and program.met)


def _estate(run: Run) -> Goal:
    name, target = "large estates: one stack vs split stacks", "measured (section 7)"
    e = run.estate
    if e is None:
        return Goal(name, target, "not measured", None)
    text = ", ".join(f"{lay.name} {lay.seconds:.1f} s" for lay in e.layouts) + f" (N = {e.n})"
    return Goal(name, target, text, True)


def _time_policies(run: Run) -> Goal:
    name = "policies on time: added preview time at N = 200 schedules"
    target = f"≤ {TIME_RULES_GOAL_S:.0f} s of work (CPU)"
    typical = next((r for r in run.time_policies if not r.heavy), None)
    if typical is None:
        return Goal(name, target, "not measured", None)
    heavy = next((r for r in run.time_policies if r.heavy), None)
    text = (
        f"{typical.added_cpu * 1000:.0f} ms CPU, {typical.added * 1000:.0f} ms wall"
        f" (N = {typical.n}, {typical.resources} resources)"
    )
    if heavy is not None:
        text += f"; heavy stack {heavy.added_cpu * 1000:.0f} ms CPU"
    return Goal(name, target, text, typical.added_cpu <= TIME_RULES_GOAL_S if typical.n >= 200 else None)


def _kb(state: StateSize, n: int) -> str:
    export, stored = state.per_resource(n) / 1024, state.checkpoint_per_resource(n) / 1024
    return f"{export:.2f} KB export, {stored:.2f} KB checkpoint"


def evaluate(run: Run) -> list[Goal]:
    """Every goal of the issue, in its order."""
    return [
        _ratio(run),
        _calls(run),
        _omni(run),
        _latency(run),
        _growth(run),
        _start(run),
        _state(run),
        _estate(run),
        _time_policies(run),
    ]
