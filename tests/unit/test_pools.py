"""``providers.pools``: the thread pools sized for waiting on HTTP, not for CPU work."""

from __future__ import annotations

import asyncio
import threading
from concurrent import futures

import pytest

from providers import pools


def test_workers_come_from_the_environment_with_a_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pools.WORKERS_ENV, raising=False)
    assert pools.workers() == pools.DEFAULT_WORKERS
    for raw, expected in (("48", 48), ("0", pools.DEFAULT_WORKERS), ("many", pools.DEFAULT_WORKERS)):
        monkeypatch.setenv(pools.WORKERS_ENV, raw)
        assert pools.workers() == expected


def test_the_program_pool_lets_that_many_blocking_calls_wait_at_once() -> None:
    count = 12
    everyone = threading.Barrier(count)

    async def main() -> None:
        pools.widen_program_pool(count)
        loop = asyncio.get_running_loop()
        # Each call blocks until all have started: a pool narrower than `count` breaks the barrier.
        await asyncio.gather(*(loop.run_in_executor(None, everyone.wait, 5) for _ in range(count)))

    asyncio.run(main())


def test_outside_a_running_loop_nothing_changes() -> None:
    pools.widen_program_pool()  # no error, no loop created


def test_the_provider_pool_only_widens() -> None:
    with pools._WidePool(4) as narrow, pools._WidePool(64) as wide:
        assert narrow._max_workers == pools.workers()
        assert wide._max_workers == 64
    assert issubclass(pools._WidePool, futures.ThreadPoolExecutor)
