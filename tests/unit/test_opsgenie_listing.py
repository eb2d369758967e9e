"""``providers.opsgenie.listing``: refresh's reads of N schedules are served from one listing of the
account's schedules (docs/api-assumptions.md, O10), never with stale data for a schedule the
process wrote, and a schedule the listing lacks is read by id (a 404: gone)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pulumi
import pytest
import requests

from harness import SandboxServer
from providers.core import ApiError
from providers.opsgenie.listing import ScheduleListing
from providers.opsgenie.models import ScheduleRecord
from providers.opsgenie.schedule import ScheduleProvider
from tests.support.opsgenie import opsgenie_requests, set_faults
from tests.unit.test_opsgenie_schedule import client

LIST = "opsgenie GET /v2/schedules"
GET = "opsgenie GET /v2/schedules/{identifier}"
ROTATION = {
    "name": "weekly",
    "startDate": "2024-01-01T09:00:00Z",
    "type": "weekly",
    "length": 1,
    "participants": [{"type": "user", "username": "alice@example.com"}, {"type": "none"}],
}


@pytest.fixture
def sandbox(opsgenie_sandbox: SandboxServer) -> SandboxServer:
    return opsgenie_sandbox


def seed(sandbox: SandboxServer, count: int, prefix: str = "listed") -> dict[str, dict[str, Any]]:
    """``count`` schedules made by hand (every other one with a rotation): id → the program's inputs."""
    made = {}
    for i in range(count):
        program: dict[str, Any] = {"name": f"{prefix}-{i}", "description": f"d{i}", "timezone": "UTC"}
        body = {**program, **({"rotations": [ROTATION]} if i % 2 else {})}
        schedule_id = client(sandbox).create_schedule(body).id
        if i % 2:
            program["rotations"] = [
                {k: v for k, v in ROTATION.items() if k != "startDate"}
                | {"start_date": ROTATION["startDate"]}
            ]
        made[schedule_id] = program
    return made


def counts(sandbox: SandboxServer) -> dict[str, int]:
    """The Opsgenie calls since the last count (the counters are cleared)."""
    seen = opsgenie_requests(sandbox)
    requests.delete(f"{sandbox.url}/_sandbox/stats", timeout=10)
    return seen


def by_get(schedule_id: str, state: dict[str, Any]) -> pulumi.dynamic.ReadResult:
    """What a read by ``GET /v2/schedules/{id}`` gives (the provider's read before O10)."""
    provider = ScheduleProvider()
    provider.client().listing.written(schedule_id)  # never served from a listing
    return provider.read(schedule_id, state)


def test_one_listing_serves_the_reads_of_n_schedules_as_a_get_would(sandbox: SandboxServer) -> None:
    made = seed(sandbox, 6)
    counts(sandbox)
    provider = ScheduleProvider()
    reads = {i: provider.read(i, state) for i, state in made.items()}
    assert counts(sandbox) == {LIST: 1}
    for schedule_id, state in made.items():
        expected = by_get(schedule_id, state)
        assert (reads[schedule_id].id, reads[schedule_id].outs) == (expected.id, expected.outs)
        assert reads[schedule_id].inputs == expected.inputs == state  # no drift, rotations included
    # check's name look-ups share that listing: still one listing for the process
    assert provider.check({}, {"name": "listed-0"}).failures[0].property == "name"
    assert provider.check({}, {"name": "fresh"}).failures == []
    assert counts(sandbox) == {GET: 6}  # by_get's reads only


def test_a_schedule_this_process_wrote_is_read_by_id(sandbox: SandboxServer) -> None:
    made = seed(sandbox, 3)
    (first, state), *_ = made.items()
    provider = ScheduleProvider()
    provider.read(first, state)  # the listing: taken before the writes below
    changed = {**state, "description": "changed by the program"}
    provider.update(first, state, provider.check(state, changed).inputs)
    created = provider.create(provider.check({}, {"name": "made-here", "timezone": "UTC"}).inputs)
    counts(sandbox)
    assert provider.read(first, changed).inputs == changed  # not the listed description
    assert provider.read(created.id, dict(created.outs or {})).id == created.id
    provider.delete(created.id, dict(created.outs or {}))
    assert provider.read(created.id, dict(created.outs or {})).id == ""  # deleted here: gone
    assert counts(sandbox) == {GET: 3, "opsgenie DELETE /v2/schedules/{identifier}": 1}


def test_a_schedule_missing_from_the_listing_is_read_by_id_and_a_404_is_gone(sandbox: SandboxServer) -> None:
    made = seed(sandbox, 2)
    (kept, kept_state), (deleted, deleted_state) = made.items()
    provider = ScheduleProvider()
    provider.read(kept, kept_state)  # lists both
    later = client(sandbox).create_schedule({"name": "made-after-the-listing", "timezone": "UTC"}).id
    client(sandbox).delete_schedule(deleted)
    counts(sandbox)
    assert provider.read(later, {"name": "made-after-the-listing"}).id == later
    assert provider.read(deleted, deleted_state).id != ""  # still listed: deleted out of band after it
    gone = seed(sandbox, 1, "later")  # not in the listing, then deleted: the GET's 404 means gone
    (gone_id, gone_state), *_ = gone.items()
    client(sandbox).delete_schedule(gone_id)
    counts(sandbox)
    assert provider.read(gone_id, gone_state).id == ""
    assert counts(sandbox) == {GET: 1}


def test_concurrent_reads_list_once(sandbox: SandboxServer) -> None:
    made = seed(sandbox, 8)
    set_faults(sandbox, latency_ms=150)  # every answer slow: the readers pile up on the listing
    counts(sandbox)
    provider = ScheduleProvider()
    with ThreadPoolExecutor(4) as pool:  # the official launcher's four threads
        reads = list(pool.map(lambda item: provider.read(*item), made.items()))
    assert [r.id for r in reads] == list(made)
    assert counts(sandbox) == {LIST: 1}


def test_concurrent_callers_wait_for_the_one_listing() -> None:
    calls: list[float] = []
    start = threading.Barrier(4)

    def fetch() -> list[ScheduleRecord]:
        calls.append(time.monotonic())
        time.sleep(0.2)
        return [ScheduleRecord.model_validate({"id": "s1", "name": "one", "rotations": []})]

    listing = ScheduleListing(fetch)

    def read(_: int) -> ScheduleRecord | None:
        start.wait()
        return listing.record("s1")

    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(read, range(4)))
    assert len(calls) == 1 and all(r is not None and r.name == "one" for r in found)


def test_a_listed_schedule_without_rotations_is_read_by_id() -> None:
    # A server that ignored expand=rotation: "no rotations" cannot be told from "not shown".
    listing = ScheduleListing(lambda: [ScheduleRecord.model_validate({"id": "s1", "name": "one"})])
    assert listing.record("s1") is None
    assert listing.name_holder("one") == "s1"  # the name look-up still uses it


def test_a_failed_listing_falls_back_to_one_get_per_schedule(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = seed(sandbox, 3)
    warnings: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *_a, **_k: warnings.append(message))
    set_faults(sandbox, p500=1, methods=["GET"], path_regex="^/opsgenie/v2/schedules$")
    counts(sandbox)
    provider = ScheduleProvider()
    provider._client = client(sandbox)  # few, quick retries
    reads = [provider.read(i, state) for i, state in made.items()]
    assert [r.inputs for r in reads] == list(made.values())
    assert counts(sandbox) == {GET: 3}  # the listing (a 500 each time) is tried once, not per read
    assert len(warnings) == 1 and "opsgenie GET /v2/schedules" in warnings[0] and "by id" in warnings[0]
    # the name look-up still raises (check cannot tell; the create looks again)
    with pytest.raises(ApiError):
        provider.client().name_holder("listed-0")
