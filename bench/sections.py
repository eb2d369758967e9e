"""The bench's measurements, section by section; each returns what the report prints."""

from __future__ import annotations

import importlib
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pulumi import automation as auto

from bench import estate, startup, time_policies
from bench.estate import Estate
from bench.ops import Cycle, run_op
from bench.plan import Plan
from bench.programs import APIS, PROGRAM, by_value_program
from bench.state import measure
from bench.throttled import Throttled, throttled_up
from bench.world import World
from harness import TOOLS

# The resource class each API's package must export for the bench to use it.
_RESOURCES = {"opsgenie": "Schedule", "imbrace": "Scheduler", "omni": "Schedule"}
NO_CHECKPOINTS = {"PULUMI_SKIP_CHECKPOINTS": "true", "PULUMI_EXPERIMENTAL": "true"}
"""The engine writes the checkpoint once at the end instead of after every step."""


@dataclass
class Run:
    """Everything one bench run measured."""

    plan: Plan
    parallel: int
    apis: tuple[str, ...]
    missing: dict[str, str] = field(default_factory=dict)
    """APIs left out, with the reason."""
    floor: dict[tuple[str, int], Cycle] = field(default_factory=dict)
    latency: Cycle | None = None
    probes: dict[str, Cycle] = field(default_factory=dict)
    """Latency-dominated single-API ``up`` per API."""
    omni_refresh: Cycle | None = None
    throttled: Throttled | None = None
    anchor: dict[int, Cycle] = field(default_factory=dict)
    no_checkpoints: dict[tuple[str, int], Cycle] = field(default_factory=dict)
    """``up`` with the engine writing its checkpoint once, at the end (``NO_CHECKPOINTS``)."""
    server_start: float = 0.0
    provider_start: dict[str, startup.Start] = field(default_factory=dict)
    """The provider process's first answer, per resource set (``noop``, each API, all of them)."""
    program_start: dict[str, startup.Start] = field(default_factory=dict)
    """The program declaring one resource, per resource set."""
    estate: Estate | None = None
    time_policies: list[time_policies.TimePolicies] = field(default_factory=list)
    """The pack's stack policies timed over a typical and a heavy stack (bench.time_policies)."""


def engine_default_parallel() -> int:
    """The ``--parallel`` the CLI uses when not told (it depends on the cores)."""
    text = subprocess.run(
        [str(TOOLS / "bin" / "pulumi"), "up", "--help"], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"--parallel int32 .*\(default (\d+)\)", text)
    return int(found.group(1)) if found else 16


def importable_apis() -> tuple[tuple[str, ...], dict[str, str]]:
    """The API packages that import and export their resource; the others with the reason."""
    ready: list[str] = []
    missing: dict[str, str] = {}
    for api in APIS:
        try:
            module = importlib.import_module(f"providers.{api}")
            getattr(module, _RESOURCES[api])
            ready.append(api)
        except Exception as exc:
            missing[api] = f"`providers.{api}` does not import: {type(exc).__name__}: {exc}"
    return tuple(ready), missing


def _first_line(exc: auto.CommandError) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines()]
    errors = [ln for ln in lines if ln.startswith(("error:", "Exception", "ValueError", "TypeError"))]
    return (errors or [ln for ln in lines if ln] or ["failed"])[-1][:200]


def run_cycle(
    world: World,
    cycle: Cycle,
    ops: tuple[str, ...],
    parallel: int,
    *,
    latency_ms: int = 0,
    program: str = PROGRAM,
    env: Mapping[str, str] | None = None,
) -> Cycle:
    """One repeat of ``ops`` on a fresh stack (and a freshly seeded sandbox); the state after ``up``."""
    world.prepare(cycle.kind, cycle.n, cycle.apis)
    if latency_ms:
        world.sandbox.set_latency(latency_ms)
    stack = world.stack(cycle.kind, cycle.n, cycle.apis, program=program, env=env)
    try:
        for op in ops:
            done = run_op(stack, op, world.sandbox, parallel)
            cycle.add(done)
            calls = sum(done.counters.requests.values())
            print(f"    {cycle.kind:8} N={cycle.n:<5} {op:8} {done.seconds:6.1f} s {calls:5} calls")
            if op == "up" and cycle.state is None:
                cycle.state = measure(stack)
    finally:
        world.discard()
    return cycle


def usable_apis(world: World, run: Run, attempt: Callable[[tuple[str, ...]], None]) -> None:
    """Run ``attempt`` with the APIs; when it fails, find the APIs that fail alone and drop them."""
    try:
        attempt(run.apis)
        return
    except auto.CommandError as exc:
        combined = exc
    for api in run.apis:
        try:
            run_cycle(world, Cycle("mixed", 1, (api,)), ("up", "destroy"), run.parallel)
        except auto.CommandError as exc:
            run.missing[api] = f"an `up` of one `providers.{api}` resource fails: {_first_line(exc)}"
    usable = tuple(a for a in run.apis if a not in run.missing)
    if usable == run.apis or not usable:
        raise combined  # every API works alone, or none does: the harness itself is broken
    run.apis = usable
    attempt(run.apis)


def warm_up(world: World, run: Run) -> None:
    """A tiny noop and mixed ``up`` whose times are dropped; finds the APIs that do not work."""

    def attempt(apis: tuple[str, ...]) -> None:
        run_cycle(world, Cycle("mixed", len(apis), apis), ("up",), run.parallel)

    run_cycle(world, Cycle("noop", 1, ()), ("up",), run.parallel)
    usable_apis(world, run, attempt)


def floor(world: World, run: Run) -> None:
    """Section 1 (and the counters of 2, 5, 6): noop and mixed stacks, interleaved per repeat."""
    plan = run.plan
    if plan.warm_up:
        warm_up(world, run)
    for n in plan.sizes:
        for repeat in range(plan.repeats.get(n, 1)):
            for kind in ("noop", "mixed"):
                ops = plan.ops(kind, n, repeat)
                if not ops:
                    continue

                def attempt(
                    apis: tuple[str, ...], kind: str = kind, n: int = n, ops: tuple[str, ...] = ops
                ) -> None:
                    cycle = run.floor.get((kind, n)) or Cycle(kind, n, apis)
                    if cycle.apis != apis:
                        cycle = Cycle(kind, n, apis)
                    run.floor[(kind, n)] = run_cycle(world, cycle, ops, run.parallel)

                if kind == "mixed":
                    usable_apis(world, run, attempt)
                else:
                    attempt(run.apis)


def latency(world: World, run: Run) -> None:
    """Section 3: the mixed stack with every API answer delayed; then the latency-dominated probes."""
    plan = run.plan
    cycle = Cycle("mixed", plan.latency_n, run.apis)
    run.latency = run_cycle(world, cycle, plan.latency_ops, run.parallel, latency_ms=plan.latency_ms)
    for api, n in plan.probes:
        if api in run.apis:
            probe = Cycle("mixed", n, (api,))
            run.probes[api] = run_cycle(world, probe, ("up",), run.parallel, latency_ms=plan.probe_ms)


def omni_refresh(world: World, run: Run) -> None:
    """The Omni-refresh goal: a stack of adopted Omni schedules, refreshed."""
    if "omni" in run.apis and run.plan.omni_refresh_n:
        cycle = Cycle("omni", run.plan.omni_refresh_n, ("omni",))
        run.omni_refresh = run_cycle(world, cycle, ("up", "refresh"), run.parallel)


def throttled(world: World, run: Run) -> None:
    """The throttled run: Opsgenie schedules under a quota, the limiter set to it."""
    if "opsgenie" in run.apis and run.plan.throttled_n:
        run.throttled = throttled_up(world, run.plan.throttled_n, run.parallel)


def checkpoints(world: World, run: Run) -> None:
    """Section 6's anchor (Noop's provider defined in ``__main__``, pickled by value), and the
    same ``up`` with the engine writing its checkpoint only at the end."""
    program = by_value_program()
    for n in run.plan.anchor_sizes:
        run.anchor[n] = run_cycle(world, Cycle("by-value", n, ()), ("up",), run.parallel, program=program)
    for kind, n in run.plan.no_checkpoint_probes:
        cycle = Cycle(kind, n, run.apis if kind == "mixed" else ())
        source = program if kind == "by-value" else PROGRAM
        run.no_checkpoints[(kind, n)] = run_cycle(
            world, cycle, ("up",), run.parallel, program=source, env=NO_CHECKPOINTS
        )


def all_of(apis: tuple[str, ...]) -> str:
    """The key of the resource set holding one resource of every API."""
    return " + ".join(apis) if len(apis) > 1 else "".join(apis)


def provider_start(world: World, run: Run) -> None:
    """Section 4: the provider process's start; then, per resource set, the imports and steps of
    the provider process's first answer and of the program's declarations."""
    repeats = run.plan.startup_repeats
    run.server_start = startup.server_start(repeats)
    samples: dict[str, startup.Sample] = {}
    for _key, cycle in sorted(run.floor.items(), key=lambda kv: kv[0][1]):
        for api, size in (cycle.state.dynamic() if cycle.state else {}).items():
            samples[api] = size.sample
    config = world.provider_config(run.apis)
    sets: list[tuple[str, ...]] = [("noop",), *((api,) for api in run.apis)]
    if len(run.apis) > 1:
        sets.append(run.apis)
    for kinds in sets:
        if not all(k in samples for k in kinds):
            continue
        key = all_of(kinds)
        chosen = [samples[k] for k in kinds]
        run.provider_start[key] = startup.provider_first_request(chosen, config, repeats)
        run.program_start[key] = startup.program_declares(kinds, repeats)


def large_estate(world: World, run: Run) -> None:
    """Section 7: one stack of N mixed resources against the same N split into stacks."""
    n, parts = run.plan.estate
    if n and parts:
        one = run.floor.get(("mixed", n))
        usable = one if one is not None and one.apis == run.apis else None
        run.estate = estate.measure(world, n, parts, run.apis, run.parallel, usable)


def policies_on_time(world: World, run: Run) -> None:
    """The policies' added preview time: the pack's time rules over N definitions, in process."""
    n, repeats = run.plan.time_policies
    if n:
        run.time_policies = [time_policies.measure(n, repeats, heavy) for heavy in (False, True)]
