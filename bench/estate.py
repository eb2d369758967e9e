"""Large estates: one stack of N mixed resources against the same N split into stacks.

The same N resources (``bench:offset`` picks each part's indices, so the union is the one
stack's resources) deployed three ways on one machine, each stack a separate ``pulumi up``
(its own CLI, language host, program and provider process) against the same ``file://``
backend: one stack; ``parts`` stacks at once; ``parts`` stacks one after another. Measured:
wall time, CPU (user + system of every process the CLIs ran) and bytes the engine's processes
wrote (mostly checkpoints, which the file backend rewrites whole after every step).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bench.ops import Cycle, Meter, changes_of
from bench.state import checkpoint_file
from bench.world import World
from harness import EngineStack


@dataclass(frozen=True)
class Layout:
    """One way of deploying the estate, measured."""

    name: str
    stacks: int
    seconds: float
    cpu: float
    written: int
    """Bytes the engine's processes wrote to the file system."""
    checkpoints: int
    """Bytes of the stacks' checkpoints at the end (the state kept)."""
    calls: int
    created: int


@dataclass(frozen=True)
class Estate:
    """The estate's size, how it was split and the three layouts."""

    n: int
    parts: int
    layouts: tuple[Layout, ...]


def _stacks(world: World, n: int, parts: int, apis: tuple[str, ...]) -> list[EngineStack]:
    """``parts`` stacks of ``n / parts`` resources in one engine (one backend), after a clean sandbox."""
    world.prepare("mixed", n, apis)
    engine = world.engine()
    size = n // parts
    return [
        world.stack("mixed", size, apis, offset=i * size, engine=engine, name=f"part{i}")
        for i in range(parts)
    ]


def _layout(
    world: World, name: str, stacks: list[EngineStack], deploy: Callable[[list[EngineStack]], list[int]]
) -> Layout:
    try:
        with Meter(world.sandbox) as meter:
            created = deploy(stacks)
        calls = sum(world.sandbox.stats().requests.values())
        kept = sum(checkpoint_file(s).stat().st_size for s in stacks)
    finally:
        world.discard()
    layout = Layout(name, len(stacks), meter.seconds, meter.cpu, meter.written, kept, calls, sum(created))
    print(f"    estate   {name:32} {layout.seconds:6.1f} s {layout.calls:5} calls")
    return layout


def _up(stack: EngineStack, parallel: int) -> int:
    """``up``; the resources created (the stack itself left out)."""
    return changes_of(stack.up(parallel=parallel)).get("create", 0) - 1


def measure(
    world: World, n: int, parts: int, apis: tuple[str, ...], parallel: int, one: Cycle | None
) -> Estate:
    """The three layouts of ``n`` resources; ``one``: an ``up`` of the whole stack measured already
    (the engine floor's), else it is deployed here."""
    if one is not None and "up" in one.runs:
        run = one.first("up")
        kept = one.state.checkpoint if one.state else 0
        created = run.changes.get("create", 0) - 1
        calls = sum(run.counters.requests.values())
        whole = Layout("one stack", 1, run.seconds, run.cpu, run.written, kept, calls, created)
    else:
        whole = _layout(world, "one stack", _stacks(world, n, 1, apis), lambda s: [_up(s[0], parallel)])

    def concurrently(stacks: list[EngineStack]) -> list[int]:
        with ThreadPoolExecutor(max_workers=len(stacks)) as pool:
            return list(pool.map(lambda s: _up(s, parallel), stacks))

    at_once = _layout(world, f"{parts} stacks at once", _stacks(world, n, parts, apis), concurrently)
    in_turn = _layout(
        world,
        f"{parts} stacks one after another",
        _stacks(world, n, parts, apis),
        lambda stacks: [_up(s, parallel) for s in stacks],
    )
    return Estate(n, parts, (whole, at_once, in_turn))


def section(estate: Estate | None) -> list[str]:
    """The results page's lines for the large-estate comparison."""
    if estate is None:
        return []
    whole = estate.layouts[0]
    rows = []
    for lay in estate.layouts:
        ratio = lay.seconds / whole.seconds
        rows.append(
            f"| {lay.name} | {lay.stacks} | {lay.created} | {lay.seconds:.1f} | {ratio:.2f} "
            f"| {lay.cpu:.1f} | {lay.written / 1e6:.1f} | {lay.checkpoints / 1e6:.2f} | {lay.calls} |"
        )
    size = estate.n // estate.parts
    return [
        f"## 7. Large estates: {estate.n} resources in one stack or {estate.parts} stacks of {size}",
        "",
        f"The same {estate.n} mixed resources (sandbox latency 0), each stack its own `pulumi up` (CLI,",
        "language host, program, provider process) on this machine, all stacks in one `file://`",
        "backend. CPU = user + system seconds of every process the CLIs ran; written = bytes those",
        "processes wrote to the file system (their block-output counts: mostly checkpoints, which the",
        "backend rewrites whole after every step); kept = the checkpoints' size at the end.",
        "",
        "| layout | stacks | created | wall s | x one stack | CPU s | written MB | kept MB | API calls |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]
