"""The Omni client and the shared schedule list, against the sandbox over real HTTP."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest
import requests

from providers._http import ApiError, RetryPolicy
from providers.omni.client import OmniClient, ScheduleCache
from providers.omni.models import ListFilters, OmniSchedule, SchedulePage
from tests.conftest import SandboxServer
from tests.omni_support import NOBODY, ORDERS, ORDERS_2, TOKEN, WEB_TRAFFIC, admin, calls, omni, seed


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[SandboxServer]:
    sandbox_server.reset()
    yield sandbox_server


def client_of(sandbox: SandboxServer) -> OmniClient:
    return OmniClient(sandbox.url + "/omni/", TOKEN, retry=RetryPolicy(attempts=2, backoff_factor=0.01))


def test_listing_reads_every_page_of_100(sandbox: SandboxServer) -> None:
    seed(sandbox, 250)
    calls(sandbox)
    records, total = client_of(sandbox).list_schedules()
    assert total == 256 and len({r.id for r in records}) == 256
    assert calls(sandbox) == {"GET /api/v1/schedules": 3}


def listing_mode(sandbox: SandboxServer, **mode: object) -> None:
    requests.put(f"{sandbox.url}/_sandbox/omni/listing", json=mode, timeout=10).raise_for_status()


def test_a_server_that_pages_at_10_is_read_whole(sandbox: SandboxServer) -> None:
    seed(sandbox, 250)
    listing_mode(sandbox, page_size_cap=10)
    calls(sandbox)
    records, total = client_of(sandbox).list_schedules()  # asks for 100 a page, gets 10
    assert total == 256 and len({r.id for r in records}) == 256
    assert calls(sandbox) == {"GET /api/v1/schedules": 26}


def test_a_server_that_ignores_the_undocumented_parameters_cannot_widen_an_answer(
    sandbox: SandboxServer,
) -> None:
    listing_mode(sandbox, documented_params_only=True, page_size_cap=10)
    client = client_of(sandbox)
    by_dashboard, _ = client.list_schedules(ListFilters(identifier="12db1a0a", sort_field="ownerName"))
    assert sorted(s.id for s in by_dashboard) == sorted([ORDERS, ORDERS_2])
    webhooks, _ = client.list_schedules(ListFilters(destination="webhook"))
    assert [s.id for s in webhooks] == [ORDERS_2]
    cache = ScheduleCache(client)
    assert cache.get(ORDERS) is not None
    cache.written(ORDERS)  # the re-read by dashboard: the server answers everything, the cache keeps its own
    assert cache.get(ORDERS, identifier_hint="12db1a0a") is not None and cache.get(WEB_TRAFFIC) is not None


class PageClient(OmniClient):
    """A client whose list pages come from a script (``None``: the server's "Invalid page number")."""

    def __init__(self, script: list[dict[str, object] | None]) -> None:
        super().__init__("http://127.0.0.1:9", TOKEN)
        self.script = script
        self.cursors: list[str | None] = []

    def list_page(
        self, filters: ListFilters | None = None, cursor: str | None = None, page_size: int = 100
    ) -> SchedulePage:
        self.cursors.append(cursor)
        page = self.script.pop(0)
        if page is None:
            raise ApiError(
                "omni", "GET", "/api/v1/schedules", 400, "Invalid page number. The last valid page is 1."
            )
        return SchedulePage.model_validate(page)


def page(ids: list[str], next_cursor: str | None, total: int) -> dict[str, object]:
    info = {"hasNextPage": next_cursor is not None, "nextCursor": next_cursor, "totalRecords": total}
    return {"pageInfo": info, "records": [{"id": i} for i in ids]}


def test_a_listing_that_loses_its_page_restarts_once() -> None:
    fake = PageClient([page(["a"], "2", 2), None, page(["a"], None, 1)])  # "b" went away mid-listing
    records, total = fake.list_schedules()
    assert [r.id for r in records] == ["a"] and total == 1 and fake.cursors == [None, "2", None]
    twice = PageClient([page(["a"], "2", 2), None, page(["a"], "2", 2), None])
    with pytest.raises(ApiError, match="Invalid page number"):
        twice.list_schedules()


def test_a_server_repeating_its_cursor_does_not_loop() -> None:
    fake = PageClient([page(["a"], "2", 9), page(["b"], "2", 9), page(["c"], "2", 9)])
    records, _ = fake.list_schedules()
    assert [r.id for r in records] == ["a", "b"] and fake.cursors == [None, "2"]


def test_filters_and_sorting_are_sent_as_omnis_query_parameters(sandbox: SandboxServer) -> None:
    client = client_of(sandbox)
    webhooks, _ = client.list_schedules(ListFilters(destination="webhook"))
    assert [s.id for s in webhooks] == [ORDERS_2]
    by_dashboard, _ = client.list_schedules(
        ListFilters(identifier="12db1a0a", sort_field="ownerName", sort_direction="asc")
    )
    assert [s.owner_name for s in by_dashboard] == ["Blob Ross", "Blobby Hill"]
    with pytest.raises(ApiError, match="User with id 00000000-0000-4000-8000-000000000000 does not exist"):
        client.list_schedules(ListFilters(owner_id=NOBODY))


def test_actions_and_their_documented_answers(sandbox: SandboxServer) -> None:
    client = client_of(sandbox)
    assert client.pause(ORDERS) is True
    assert client.pause(ORDERS) is False  # "Schedule is already paused" is not a failure
    assert client.resume(ORDERS) is True and client.resume(ORDERS) is False
    assert client.add_recipients(ORDERS, ["ops@example.com", "abcdef12-3456-7890-abcd-ef1234567890"]) == 2
    assert client.remove_recipients(ORDERS, ["ops@example.com"]) == 1
    client.trigger(ORDERS, "unstable")
    record = admin(sandbox, ORDERS)
    assert record["triggerCount"] == 1 and record["recipientCount"] == 2
    with pytest.raises(ApiError) as err:
        client.add_recipients(ORDERS_2, ["ops@example.com"])
    assert err.value.status == 400 and "Cannot add recipients to destination type webhook" in str(err.value)
    with pytest.raises(ApiError, match=r"Scheduled task with id .* does not exist") as missing:
        client.delete(NOBODY)
    assert missing.value.status == 404 and TOKEN not in str(missing.value)


def test_concurrent_reads_wait_for_one_listing(sandbox: SandboxServer) -> None:
    ids = seed(sandbox, 150)
    calls(sandbox)
    cache = ScheduleCache(client_of(sandbox))
    found: list[OmniSchedule | None] = []
    threads = [threading.Thread(target=lambda i=i: found.append(cache.get(ids[i]))) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(found) == 16 and all(found)
    assert calls(sandbox) == {"GET /api/v1/schedules": 2}  # 156 schedules: two pages


def test_a_written_schedule_is_read_again_by_its_dashboard_only(sandbox: SandboxServer) -> None:
    client = client_of(sandbox)
    cache = ScheduleCache(client)
    assert cache.get(ORDERS) is not None and not cache.get(ORDERS).paused  # type: ignore[union-attr]
    client.pause(ORDERS)
    assert not cache.get(ORDERS).paused  # type: ignore[union-attr]  # the copy, until told
    calls(sandbox)
    cache.written(ORDERS)
    assert cache.get(ORDERS).paused  # type: ignore[union-attr]
    assert cache.get(ORDERS_2) is not None and cache.get(WEB_TRAFFIC) is not None
    assert calls(sandbox) == {"GET /api/v1/schedules": 1}


def test_a_missing_schedule_is_confirmed_by_its_dashboard_before_it_counts_as_deleted(
    sandbox: SandboxServer,
) -> None:
    cache = ScheduleCache(client_of(sandbox))
    assert cache.get(ORDERS) is not None
    omni(sandbox, "DELETE", ORDERS_2)
    calls(sandbox)
    assert cache.get(ORDERS_2) is not None  # still in the copy: within the ttl nothing is asked
    assert cache.get(NOBODY, identifier_hint="12db1a0a") is None
    assert cache.get(ORDERS_2) is None  # the dashboard was read again: it is gone from the copy
    assert calls(sandbox) == {"GET /api/v1/schedules": 1}


def test_the_copy_expires_after_its_ttl(sandbox: SandboxServer) -> None:
    now = [0.0]
    cache = ScheduleCache(client_of(sandbox), ttl=5, clock=lambda: now[0])
    cache.get(ORDERS)
    now[0] = 4.9
    cache.get(ORDERS)
    assert calls(sandbox) == {"GET /api/v1/schedules": 1}
    now[0] = 5.1
    cache.get(ORDERS)
    assert calls(sandbox) == {"GET /api/v1/schedules": 1}


class ShiftingClient:
    """A list whose records disagree with its total once (a schedule deleted mid-listing)."""

    def __init__(self) -> None:
        self.calls = 0

    def list_schedules(self, _filters: ListFilters) -> tuple[list[OmniSchedule], int]:
        self.calls += 1
        records = [OmniSchedule(id="a"), OmniSchedule(id="b")]
        return (records[:1], 2) if self.calls == 1 else (records, 2)


def test_an_inconsistent_listing_is_repeated_once() -> None:
    fake = ShiftingClient()
    cache = ScheduleCache(fake)  # type: ignore[arg-type]
    assert cache.get("b") is not None and fake.calls == 2


def test_a_post_that_never_connected_is_not_ambiguous() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: connections are refused
    client = OmniClient(f"http://127.0.0.1:{port}", TOKEN, retry=RetryPolicy(attempts=1, backoff_factor=0))
    with pytest.raises(ApiError) as post:
        client.trigger(ORDERS)
    assert post.value.status is None and not post.value.sent and not post.value.ambiguous
    with pytest.raises(ApiError) as get:
        client.list_page()
    assert get.value.ambiguous  # an idempotent call may have been sent by an earlier attempt


class DashboardClient:
    """Two schedules on two dashboards; a filtered call can wait on a barrier or run a hook."""

    def __init__(self, barrier: threading.Barrier | None = None) -> None:
        self.barrier = barrier
        self.during_call: Callable[[], None] = lambda: None
        self.filtered = 0
        self.records = [OmniSchedule(id="a", identifier="d1"), OmniSchedule(id="b", identifier="d2")]

    def list_schedules(self, filters: ListFilters) -> tuple[list[OmniSchedule], int]:
        if filters.identifier is None:
            return self.records, len(self.records)
        self.filtered += 1
        if self.barrier is not None:
            self.barrier.wait(timeout=5)  # breaks (and raises) unless both re-reads are under way together
        self.during_call()
        found = [r for r in self.records if r.identifier == filters.identifier]
        return found, len(found)


def test_re_reads_after_writes_run_at_the_same_time() -> None:
    fake = DashboardClient(threading.Barrier(2))
    cache = ScheduleCache(fake)  # type: ignore[arg-type]
    assert cache.get("a") is not None
    cache.written("a")
    cache.written("b")
    errors: list[BaseException] = []

    def reread(schedule_id: str) -> None:
        try:
            assert cache.get(schedule_id) is not None
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=reread, args=(i,)) for i in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and fake.filtered == 2


def test_a_write_during_a_re_read_keeps_the_schedule_stale() -> None:
    fake = DashboardClient()
    cache = ScheduleCache(fake)  # type: ignore[arg-type]
    cache.get("a")
    cache.written("a")

    def write_meanwhile() -> None:  # another thread writes while the answer is on its way
        writer = threading.Thread(target=cache.written, args=("a",))
        writer.start()
        writer.join(timeout=5)  # a re-read holding the cache's lock would block it

    fake.during_call = write_meanwhile
    cache.get("a")
    fake.during_call = lambda: None
    cache.get("a")  # that answer may predate the second write: read again
    cache.get("a")
    assert fake.filtered == 2
