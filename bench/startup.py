"""What the engine's two Python processes import before our resources get going.

- **The provider process.** The engine starts ``python -u -m pulumi.dynamic`` once per operation;
  it prints its port when it listens. Its first request for a resource unpickles our provider
  from the resource's ``__provider`` (importing its modules), configures it, and answers — for a
  deployed stack, ``check`` then ``diff``. Measured in a fresh interpreter that has imported what
  the launcher imports, with the resource's real inputs and outputs from a deployed stack's state.
- **The program process.** The language host runs the program, which imports our resource
  classes and declares its resources (the bench program, under Pulumi's mocks).

Imports are timed with ``python -X importtime``: everything imported after the process's own
start-up (the launcher's or ``pulumi``'s imports), cumulative, and our own modules' self time.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from harness import VENV_PYTHON

MARK = "--bench-mark--"
OURS = ("providers", "bench")
"""Top-level packages whose modules are ours."""
IMPORT_GOAL_S = 0.1
"""What importing our own modules before the first answer may cost, per process."""

# What `pulumi/dynamic/__main__.py` imports before it serves (its module top).
_LAUNCHER = (
    "import asyncio, base64, os, sys, dill, grpc\n"
    "from concurrent import futures\n"
    "from google.protobuf import empty_pb2\n"
    "from pulumi.metadata import get_project\n"
    "from pulumi.runtime._serialization import _deserialize\n"
    "from pulumi.runtime import configure, proto, rpc, Settings\n"
    "from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS\n"
    "from pulumi.runtime.proto import provider_pb2_grpc, ResourceProviderServicer\n"
    "from pulumi.dynamic import ResourceProvider, ConfigureRequest, Config\n"
)
# The first request of each sampled resource: unpickle, configure, check, diff (timed apart).
_PROVIDER_SCRIPT = (
    "import json, time\n"
    + _LAUNCHER
    + f"""
samples, config = json.loads(sys.stdin.read())
sys.stderr.write("{MARK}\\n"); sys.stderr.flush()
out = {{"load": 0.0, "configure": 0.0, "answer": 0.0}}
for id_, inputs, outputs in samples:
    t0 = time.perf_counter()
    provider = dill.loads(base64.b64decode(inputs["__provider"]))
    t1 = time.perf_counter()
    provider.configure(ConfigureRequest(Config(raw_config=config, project_name="bench")))
    t2 = time.perf_counter()
    try:  # a preview or up of a deployed stack: check the inputs, diff against the outputs
        provider.check(inputs, inputs)
        provider.diff(id_, outputs, inputs)
    except Exception:
        pass  # the answer may be an error (the sandbox holds other data): its imports still count
    t3 = time.perf_counter()
    out["load"] += t1 - t0; out["configure"] += t2 - t1; out["answer"] += t3 - t2
print(json.dumps(out))
"""
)
# The program: import `pulumi` (as every program does), then declare one resource of each API.
_PROGRAM_SCRIPT = f"""
import json, sys, time
import pulumi, pulumi.dynamic, pulumi.runtime
from bench.programs import declare


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return [args.name + "-id", args.inputs]

    def call(self, args):
        return {{}}


pulumi.runtime.set_mocks(Mocks(), project="bench", stack="bench", preview=False)
kinds = json.loads(sys.stdin.read())
sys.stderr.write("{MARK}\\n"); sys.stderr.flush()
t0 = time.perf_counter()
for kind in kinds:
    declare(kind, 0, 0)
print(json.dumps({{"declare": time.perf_counter() - t0}}))
"""


@dataclass(frozen=True)
class Imports:
    """What one process imported after its own start-up, from ``-X importtime`` (seconds)."""

    total: float
    """Cumulative time of every module imported (the top-level imports' cumulative times)."""
    ours: float
    """Self time of our own modules (``providers.*``, ``bench.*``)."""
    heaviest: tuple[tuple[str, float], ...]
    """The modules with the most self time, heaviest first."""


@dataclass(frozen=True)
class Start:
    """One process's start for one set of resources (medians of fresh interpreters, seconds)."""

    imports: Imports
    steps: dict[str, float]
    """Wall time of each step (provider: load, configure, answer; program: declare)."""

    @property
    def met(self) -> bool:
        """Our own modules' imports within :data:`IMPORT_GOAL_S` (the dependencies they import —
        pydantic, requests — are reported beside, in ``imports.total``)."""
        return self.imports.ours <= IMPORT_GOAL_S


def parse_importtime(log: str, top: int = 8) -> Imports:
    """Sum up ``-X importtime`` lines (``self | cumulative | <indent>name``, microseconds)."""
    total = ours = 0
    rows: list[tuple[str, float]] = []
    for line in log.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        own, cumulative, name = int(parts[0]), int(parts[1]), parts[2].rstrip()
        module = name.strip()
        if len(name) - len(name.lstrip()) == 1:  # nesting level 0: " name"
            total += cumulative
        if module.split(".")[0] in OURS:
            ours += own
        rows.append((module, own / 1e6))
    heaviest = tuple(sorted(rows, key=lambda r: r[1], reverse=True)[:top])
    return Imports(total=total / 1e6, ours=ours / 1e6, heaviest=heaviest)


def _run(script: str, stdin: Any) -> tuple[dict[str, float], Imports]:
    proc = subprocess.run(
        [str(VENV_PYTHON), "-X", "importtime", "-c", script],
        input=json.dumps(stdin),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.splitlines()[-1]), parse_importtime(proc.stderr.partition(f"{MARK}\n")[2])


def _median(script: str, stdin: Any, repeats: int) -> Start:
    runs = [_run(script, stdin) for _ in range(max(1, repeats))]
    runs.sort(key=lambda r: r[1].ours)
    steps, imports = runs[len(runs) // 2]  # the run of the median import time, whole
    return Start(imports=imports, steps=steps)


Sample = tuple[str, dict[str, Any], dict[str, Any]]
"""One deployed resource: its id, inputs (with ``__provider``) and outputs, as in state."""


def provider_first_request(samples: Sequence[Sample], config: Mapping[str, str], repeats: int) -> Start:
    """The provider process's first answer for each of ``samples`` (one resource per provider)."""
    return _median(_PROVIDER_SCRIPT, [list(samples), dict(config)], repeats)


def program_declares(kinds: Sequence[str], repeats: int) -> Start:
    """The program process declaring one resource of each of ``kinds`` (``noop`` or an API)."""
    return _median(_PROGRAM_SCRIPT, list(kinds), repeats)


def server_start(repeats: int) -> float:
    """Seconds from starting ``python -u -m pulumi.dynamic`` until it prints its port (median)."""

    def once() -> float:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(VENV_PYTHON), "-u", "-m", "pulumi.dynamic"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdout is not None
        proc.stdout.readline()
        seconds = time.perf_counter() - start
        proc.kill()
        proc.wait()
        return seconds

    return statistics.median(once() for _ in range(max(1, repeats)))
