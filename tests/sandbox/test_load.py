"""The sandbox under load: concurrent clients over the three APIs, and a crash (SIGKILL) mid-load.

No 5xx without injected faults; every acknowledged write is in the SQLite file after the
restart, exactly once; nothing is stored that no client had acknowledged (or found, after
its answer was lost to the crash).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from harness import SandboxServer
from tests.support.load_clients import OPSGENIE_HEADERS, LoadClient, Tally
from tests.support.omni import seed


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    """A sandbox of its own (it is killed and restarted), on a file database."""
    started = SandboxServer(tmp_path / "sandbox.db").start()
    yield started
    started.stop()


def run_load(server: SandboxServer, clients: int, each: int, restart_after: int) -> Tally:
    """``clients`` threads, ``each`` requests each; the sandbox is killed and restarted once
    ``restart_after`` answers have come back."""
    tally = Tally()
    schedules = seed(server, 5)
    workers = [LoadClient(server.url, n, each, tally, schedules) for n in range(clients)]
    threads = [threading.Thread(target=w.run) for w in workers]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 300
    while tally.requests < restart_after and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()
    server.start()  # same port, same file
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "clients did not finish in time"
    return tally


def stored(server: SandboxServer) -> dict[str, Counter[str]]:
    """Every write key the sandbox holds, per API, with how often."""
    opsgenie = requests.get(
        f"{server.url}/opsgenie/v2/schedules", headers=OPSGENIE_HEADERS, timeout=60
    ).json()
    imbrace = requests.get(f"{server.url}/_sandbox/imbrace/schedulers", timeout=60).json()
    omni = requests.get(f"{server.url}/_sandbox/omni/schedules", timeout=60).json()
    return {
        "opsgenie": Counter(s["name"] for s in opsgenie["data"] if s["name"].startswith("load-")),
        "imbrace": Counter(d["event_type"] for d in imbrace if d["event_type"].startswith("load-")),
        "omni": Counter(
            r["email"] for s in omni for r in s["recipients"] if r["email"].endswith("@load.example")
        ),
    }


def check(server: SandboxServer, tally: Tally) -> dict[str, object]:
    """The assertions every load run makes; the numbers, for the report."""
    assert tally.failures == [], tally.failures
    errors = {code: n for code, n in tally.statuses.items() if code >= 400}
    assert errors == {}, f"error answers under load: {errors}"
    assert not [line for line in server.output if "Traceback" in line], "".join(server.output[-50:])
    held = stored(server)
    for api, keys in held.items():
        duplicated = {k: n for k, n in keys.items() if n > 1}
        assert duplicated == {}, f"{api}: duplicated writes {duplicated}"
        lost = tally.acked[api] - set(keys)
        assert lost == set(), f"{api}: acknowledged writes lost {sorted(lost)[:5]}"
        unasked = set(keys) - tally.acked[api]
        assert unasked == set(), f"{api}: stored writes no client acknowledged {sorted(unasked)[:5]}"
    return {
        "requests": tally.requests,
        "by status": dict(sorted(tally.statuses.items())),
        "retries after no answer": tally.retries,
        "writes acknowledged": {api: len(keys) for api, keys in tally.acked.items()},
        "writes found after a lost answer": tally.found_after_loss,
    }


def test_twenty_clients_survive_a_crash_and_keep_every_write(server: SandboxServer) -> None:
    tally = run_load(server, clients=20, each=50, restart_after=300)
    print(check(server, tally))
    assert tally.requests >= 20 * 50


@pytest.mark.slow
def test_fifty_clients_by_two_hundred_requests_survive_a_crash(server: SandboxServer) -> None:
    tally = run_load(server, clients=50, each=200, restart_after=3000)
    print(check(server, tally))
    assert tally.requests >= 50 * 200
