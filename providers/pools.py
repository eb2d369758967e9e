"""Thread pools wide enough for the engine's ``--parallel``, in the program and the provider process.

Both sides of a Python dynamic provider wait on blocking calls in thread pools the Pulumi SDK
sizes for CPU work, not for waiting on HTTP:

- the program sends each ``RegisterResource`` from the event loop's default executor
  (``min(32, cores + 4)`` threads: 6 on two cores), and a registration holds its thread until
  the engine has created the resource;
- ``python -m pulumi.dynamic`` serves the engine with ``ThreadPoolExecutor(max_workers=4)``, and
  each create/read/update/delete holds a thread for its API round trips.

So at most four API operations were in flight whatever ``--parallel`` said (measured in
``bench/results.md``, section 3). :func:`widen_program_pool` fixes the program's side (the stack
program calls it); ``python -m providers.pools`` runs the SDK's own provider server module,
unchanged, with its pool widened (the engine's ``pulumi-resource-pulumi-python`` launcher in
``tools/engine/bin`` starts it). The engine's ``--parallel`` stays the one limit.
"""

from __future__ import annotations

import asyncio
import os
import runpy
from concurrent import futures
from typing import Any

WORKERS_ENV = "PULUMI_SCHEDULES_WORKERS"
DEFAULT_WORKERS = 32


def workers() -> int:
    """How many operations may wait at once (``PULUMI_SCHEDULES_WORKERS``, default 32)."""
    raw = os.environ.get(WORKERS_ENV, "")
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_WORKERS
    return value if value > 0 else DEFAULT_WORKERS


def widen_program_pool(count: int | None = None) -> None:
    """Let the running program wait on ``count`` (default :func:`workers`) registrations at once.

    Call it from the Pulumi program, before declaring resources. Outside a running event loop
    (e.g. in unit tests that build resources under mocks) it does nothing.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    loop.set_default_executor(futures.ThreadPoolExecutor(max_workers=count or workers()))


class _WidePool(futures.ThreadPoolExecutor):
    """A thread pool never narrower than :func:`workers` (it only ever widens what it is asked)."""

    def __init__(self, max_workers: int | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(max(workers(), max_workers or 0), *args, **kwargs)


def serve() -> None:
    """Run ``pulumi.dynamic``'s provider server (it serves until the engine stops it)."""
    # The module builds its pool and serves at import; only the pool's class is swapped.
    futures.ThreadPoolExecutor = _WidePool  # type: ignore[misc]
    runpy.run_module("pulumi.dynamic", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    serve()
