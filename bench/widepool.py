"""``python -m bench.widepool``: Pulumi's dynamic-provider server with more gRPC worker threads.

``pulumi.dynamic``'s ``main()`` serves the engine with ``ThreadPoolExecutor(max_workers=4)``,
so at most four resource operations run at once in the provider process, whatever the
engine's ``--parallel``. This runs the same server with ``BENCH_PROVIDER_WORKERS`` threads
(default 32): the bench's latency-bound section uses it to show what that cap costs.
"""

from __future__ import annotations

import os
import runpy
from concurrent import futures
from typing import Any

WORKERS = int(os.environ.get("BENCH_PROVIDER_WORKERS", "32"))
_ThreadPoolExecutor = futures.ThreadPoolExecutor


class WidePool(_ThreadPoolExecutor):
    """A thread pool that ignores the ``max_workers`` it is given and uses ``WORKERS``."""

    def __init__(self, max_workers: int | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(max(WORKERS, max_workers or 0), *args, **kwargs)


if __name__ == "__main__":
    futures.ThreadPoolExecutor = WidePool  # type: ignore[misc]
    runpy.run_module("pulumi.dynamic", run_name="__main__", alter_sys=True)
