"""Concurrent writers of the Opsgenie emulator: nothing lost, and a name is taken only once."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
from fastapi.testclient import TestClient

from harness import SandboxServer
from tests.support.opsgenie_oas import KEY, Opsgenie

THREADS = 20


def run_together(work: Any, count: int = THREADS) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released at the same moment; their results."""
    barrier = threading.Barrier(count)

    def start(i: int) -> Any:
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(start, range(count)))


def test_twenty_threads_create_a_thousand_schedules(client: TestClient) -> None:
    og = Opsgenie(client, validate=False)  # speed: the answers' shapes are checked elsewhere

    def create_fifty(thread: int) -> list[int]:
        return [og.post("/v2/schedules", json={"name": f"t{thread}-s{n}"}).status_code for n in range(50)]

    statuses = [status for batch in run_together(create_fifty) for status in batch]
    assert Counter(statuses) == {201: 1000}
    names = [s["name"] for s in og.get("/v2/schedules").json()["data"]]
    assert len(names) == 1000
    assert set(names) == {f"t{t}-s{n}" for t in range(THREADS) for n in range(50)}


def test_same_name_from_twenty_threads_over_http(sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    url = f"{sandbox_server.url}/opsgenie/v2/schedules"

    def create(_: int) -> int:
        return requests.post(url, json={"name": "Contested"}, headers=KEY, timeout=30).status_code

    statuses = run_together(create)
    assert Counter(statuses) == {201: 1, 409: THREADS - 1}
    listed = requests.get(url, headers=KEY, timeout=10).json()["data"]
    assert [s["name"] for s in listed] == ["Contested"]


def test_same_name_from_twenty_threads_in_process(client: TestClient) -> None:
    og = Opsgenie(client, validate=False)
    statuses = run_together(lambda _: og.post("/v2/schedules", json={"name": "Contested"}).status_code)
    assert Counter(statuses) == {201: 1, 409: THREADS - 1}


def test_concurrent_renames_never_share_a_name(client: TestClient) -> None:
    og = Opsgenie(client, validate=False)
    ids = [og.create_schedule(name=f"s{i}") for i in range(THREADS)]
    statuses = run_together(
        lambda i: og.patch(f"/v2/schedules/{ids[i]}", json={"name": "Target"}).status_code
    )
    assert Counter(statuses) == {200: 1, 409: THREADS - 1}
    names = [s["name"] for s in og.get("/v2/schedules").json()["data"]]
    assert names.count("Target") == 1 and len(set(names)) == THREADS
