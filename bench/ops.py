"""Engine operations timed one by one, with the sandbox's counters for each.

An operation is a whole CLI run through the Automation API (what a user waits for):
``up`` (creates everything), ``preview`` (nothing to change), ``refresh``, ``update`` (``up``
after bumping ``bench:gen``, which changes every resource) and ``destroy``.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.state import StateSize
from bench.world import Counters, Sandbox
from harness import EngineStack

OPS = ("up", "preview", "refresh", "update", "destroy")
"""Every operation of a full cycle, in order."""


@dataclass(frozen=True)
class OpRun:
    """One timed operation."""

    op: str
    seconds: float
    counters: Counters
    changes: dict[str, int]
    """The engine's summary of what changed (``same`` left out)."""
    cpu: float
    """CPU seconds of the CLI and every process it ran (language host, program, provider)."""
    sandbox_cpu: float
    """CPU seconds the sandbox used meanwhile (it shares the machine with the engine)."""
    written: int = 0
    """Bytes the CLI and its processes wrote to the file system (mostly the checkpoint, rewritten
    after every step), from their block-output counts."""


def changes_of(result: Any) -> dict[str, int]:
    """The engine's summary of what an operation changed (``same`` left out)."""
    summary = getattr(result, "change_summary", None)
    if summary is None:
        summary = getattr(getattr(result, "summary", None), "resource_changes", None)
    named = {str(getattr(k, "value", k)): int(v) for k, v in (summary or {}).items()}
    return {k: v for k, v in named.items() if k != "same" and v}


def _action(stack: EngineStack, op: str, parallel: int) -> Callable[[], Any]:
    kwargs = {"parallel": parallel}
    if op == "update":
        stack.set_config({"bench:gen": "1"})  # before the clock starts
        return lambda: stack.up(**kwargs)
    return {
        "up": lambda: stack.up(**kwargs),
        "preview": lambda: stack.preview(**kwargs),
        "refresh": lambda: stack.refresh(**kwargs),
        "destroy": lambda: stack.destroy(**kwargs),
    }[op]


def run_op(stack: EngineStack, op: str, sandbox: Sandbox, parallel: int) -> OpRun:
    """Run one operation with the counters zeroed first; raises ``CommandError`` when it fails."""
    action = _action(stack, op, parallel)
    with Meter(sandbox) as meter:
        result = action()
    return meter.result(op, changes=changes_of(result))


class Meter:
    """Wall time, the engine's CPU and writes, and the sandbox's counters around a block (one
    operation, or several run at once: the children's usage is process-wide)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def __enter__(self) -> Meter:
        self.sandbox.clear_stats()
        self._usage, self._sandbox_cpu = children_usage(), self.sandbox.cpu_seconds()
        self._start = time.perf_counter()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.seconds = time.perf_counter() - self._start
        cpu, blocks = children_usage()
        self.cpu, self.written = cpu - self._usage[0], (blocks - self._usage[1]) * 512
        self.sandbox_cpu = self.sandbox.cpu_seconds() - self._sandbox_cpu

    def result(self, op: str, changes: dict[str, int]) -> OpRun:
        """What was measured, as one operation's record (with the sandbox's counters now)."""
        return OpRun(
            op=op,
            seconds=self.seconds,
            counters=self.sandbox.stats(),
            changes=changes,
            cpu=self.cpu,
            sandbox_cpu=self.sandbox_cpu,
            written=self.written,
        )


def children_usage() -> tuple[float, int]:
    """User and system CPU seconds, and 512-byte blocks written, of this process's finished
    children (the CLI waits for its own)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_oublock


@dataclass
class Cycle:
    """The operations of one stack kind and size, over one or more repeats."""

    kind: str
    n: int
    apis: tuple[str, ...]
    runs: dict[str, list[OpRun]] = field(default_factory=dict)
    state: StateSize | None = None
    """The checkpoint after the first ``up``."""

    def add(self, run: OpRun) -> None:
        """Record one operation."""
        self.runs.setdefault(run.op, []).append(run)

    def seconds(self, op: str) -> float:
        """The median wall time of ``op``."""
        return statistics.median(r.seconds for r in self.runs[op])

    def cpu(self, op: str) -> float:
        """The median CPU time of ``op`` in the engine's processes (CLI, program, provider)."""
        return statistics.median(r.cpu for r in self.runs[op])

    def sandbox_cpu(self, op: str) -> float:
        """The median CPU time the sandbox spent serving ``op``."""
        return statistics.median(r.sandbox_cpu for r in self.runs[op])

    def first(self, op: str) -> OpRun:
        """The first run of ``op`` (call counts do not depend on the repeat)."""
        return self.runs[op][0]

    @property
    def ops(self) -> Sequence[str]:
        """The operations recorded, in order."""
        return [op for op in OPS if op in self.runs]
