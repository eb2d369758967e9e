"""``providers.imbrace.listing``: refresh's and import's reads of N file-less schedulers are served
from one listing per event type (docs/api-assumptions.md, I10), never with stale data for a
scheduler the process wrote; a scheduler with files, or one the listing lacks, is read by id (a
404: gone)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pulumi
import pytest
import requests

from harness import SandboxServer
from providers._http import HttpClient, RetryPolicy, shared_session
from providers.core import IMPORT_KEY, LostCreate
from providers.imbrace.client import API, Upload
from providers.imbrace.listing import SchedulerListing
from providers.imbrace.models import SchedulerRecord
from providers.imbrace.scheduler import SchedulerProvider
from tests.support.imbrace import SEEDED, use_sandbox

LIST = "GET /3rd/organization/{organization_id}/users/{user_id}/schedulers"
GET = LIST + "/{scheduler_id}"
EVENT = "campaign"
KAFKA = {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE", "workflow_id": "7"}
DAILY = {"trigger_frequency_unit": "days", "trigger_frequency_value": 1}
WEBHOOK = {"type": "webhook", "url": "https://hooks.example.com/send", "method": "POST", "data": {"m": "hi"}}
# Programs of every kind a scheduler can be: their reads must be the same from the listing.
PROGRAMS: list[dict[str, Any]] = [
    {"trigger_frequency_unit": "weeks", "trigger_frequency_value": 1, "trigger_day_of_week": 2,
     "trigger_time": "1970-01-01T09:00:00Z", "job": WEBHOOK, "description": "weekly", "paused": True},
    {"trigger_frequency_unit": "years", "trigger_frequency_value": 1,
     "trigger_month_and_day": "2025-03-15T00:00:00Z", "job": KAFKA, "channel_source": "crm"},
    {"type": "non_recurring", "one_time_schedule_type": "exact", "job": KAFKA,
     "start_datetime": "2035-01-01T09:00:00+08:00"},
    {"trigger_frequency_unit": "months", "trigger_frequency_value": 2, "trigger_day_of_month": 31,
     "start_datetime": "2031-01-01T00:00:00Z", "job": WEBHOOK},
    {"trigger_frequency_unit": "days", "trigger_frequency_value": 1, "job": KAFKA},
    {"trigger_frequency_unit": "minutes", "trigger_frequency_value": 30, "job": WEBHOOK},
]  # fmt: skip


BODY_FIELDS = ("type", "name", "event_type", "job", "trigger_frequency_unit", "trigger_frequency_value",
               "trigger_time", "trigger_day_of_week", "start_datetime", "is_paused")  # fmt: skip


@pytest.fixture
def sandbox(
    sandbox_server: SandboxServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[SandboxServer]:
    sandbox_server.reset()
    use_sandbox(monkeypatch, sandbox_server)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "menu.pdf").write_bytes(b"%PDF menu v1")
    yield sandbox_server
    requests.delete(f"{sandbox_server.url}/_sandbox/faults", timeout=10)


def checked(
    provider: SchedulerProvider, news: dict[str, Any], olds: dict[str, Any] | None = None
) -> dict[str, Any]:
    result = provider.check(olds or {}, news)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


def seed(count: int, prefix: str = "listed", event_type: str = EVENT) -> dict[str, dict[str, Any]]:
    """``count`` schedulers made by another provider (whose client's writes are its own): id → state."""
    maker = SchedulerProvider()
    made = {}
    for i in range(count):
        news = {"name": f"{prefix}-{i}", "event_type": event_type, **PROGRAMS[i % len(PROGRAMS)]}
        created = maker.create(checked(maker, news))
        made[str(created.id)] = dict(created.outs or {})
    return made


def counts(sandbox: SandboxServer) -> dict[str, int]:
    """The iMBRACE calls since the last count (the counters are cleared)."""
    stats = requests.get(f"{sandbox.url}/_sandbox/stats", timeout=10).json()["requests"]
    requests.delete(f"{sandbox.url}/_sandbox/stats", timeout=10)
    return {k.split(" ", 1)[1]: v for k, v in stats.items() if k.startswith("imbrace ")}


def set_faults(sandbox: SandboxServer, **imbrace: Any) -> None:
    requests.put(f"{sandbox.url}/_sandbox/faults", json={"imbrace": imbrace}, timeout=10).raise_for_status()


def as_is(scheduler_id: str, **changes: Any) -> dict[str, Any]:
    """The full body of an out-of-band update that keeps the scheduler as it is but for ``changes``."""
    record = (
        SchedulerProvider().client().get_scheduler(scheduler_id).model_dump(by_alias=True, exclude_none=True)
    )
    return {k: v for k, v in record.items() if k in BODY_FIELDS} | changes


def by_get(scheduler_id: str, state: dict[str, Any]) -> pulumi.dynamic.ReadResult:
    """What a read by ``GET …/schedulers/{id}`` gives (the provider's read before I10)."""
    provider = SchedulerProvider()
    provider.client().listing.written(scheduler_id)  # never served from a listing
    return provider.read(scheduler_id, state)


def test_one_listing_serves_the_reads_of_n_schedulers_as_a_get_would(sandbox: SandboxServer) -> None:
    made = seed(len(PROGRAMS))
    counts(sandbox)
    provider = SchedulerProvider()
    reads = {i: provider.read(i, state) for i, state in made.items()}
    assert counts(sandbox) == {LIST: 1}
    for scheduler_id, state in made.items():
        expected = by_get(scheduler_id, state)
        assert (reads[scheduler_id].id, reads[scheduler_id].outs) == (expected.id, expected.outs)
        assert reads[scheduler_id].inputs == expected.inputs
        assert reads[scheduler_id].outs == state  # no drift
    assert counts(sandbox) == {GET: len(made)}  # by_get's reads only


def test_a_listed_record_is_the_record_get_by_id_answers(sandbox: SandboxServer) -> None:
    made = seed(len(PROGRAMS))
    client = SchedulerProvider().client()
    # The sandbox's own scheduler (the docs' get-by-id sample) and every kind made above.
    for scheduler_id, event_type in [(SEEDED, "whatsapp"), *((i, EVENT) for i in made)]:
        listed = client.listing.record(scheduler_id, event_type)
        assert listed is not None
        got = client.get_scheduler(scheduler_id)
        assert listed == got and listed.model_fields_set == got.model_fields_set


def test_every_page_is_listed(sandbox: SandboxServer) -> None:
    maker = SchedulerProvider().client()
    ids = [
        maker.create_scheduler({"name": f"p{i}", "event_type": "paged", "job": KAFKA, **DAILY}).id
        for i in range(105)
    ]
    counts(sandbox)
    client = SchedulerProvider().client()
    assert all(client.listing.record(i, "paged") is not None for i in ids)
    assert counts(sandbox) == {LIST: 2}  # limit=100: two pages


def test_a_scheduler_this_process_wrote_is_read_by_id(sandbox: SandboxServer) -> None:
    made = seed(3)
    (first, state), *_ = made.items()
    provider = SchedulerProvider()
    provider.read(first, state)  # the listing: taken before the writes below
    changed = checked(provider, {**provider.user_inputs(state), "description": "changed here"}, state)
    updated = {**changed, **(provider.update(first, state, changed).outs or {})}
    created = provider.create(
        checked(provider, {"name": "made here", "event_type": EVENT, "job": KAFKA, **DAILY})
    )
    counts(sandbox)
    assert provider.read(first, updated).outs == updated  # not the listed description
    assert provider.read(created.id, dict(created.outs or {})).id == created.id
    provider.delete(created.id, dict(created.outs or {}))
    assert provider.read(created.id, dict(created.outs or {})).id == ""  # deleted here: gone
    assert counts(sandbox) == {GET: 3, "DELETE " + GET.removeprefix("GET "): 1}


def test_what_a_lost_create_made_is_read_by_id(sandbox: SandboxServer) -> None:
    made = seed(1, "lost")
    (scheduler_id, state), *_ = made.items()
    provider = SchedulerProvider()
    provider.read(scheduler_id, state)  # listed
    lost = LostCreate(datetime(2024, 1, 1, tzinfo=UTC))
    found = provider.find_created(provider.client(), provider.parse(state), lost)
    assert found is not None and found[0] == scheduler_id
    counts(sandbox)
    provider.read(scheduler_id, state)
    assert counts(sandbox) == {GET: 1}


def test_a_scheduler_missing_from_the_listing_is_read_by_id_and_a_404_is_gone(sandbox: SandboxServer) -> None:
    made = seed(2)
    (kept, kept_state), (deleted, deleted_state) = made.items()
    provider = SchedulerProvider()
    provider.read(kept, kept_state)  # lists both
    later = seed(1, "made-after-the-listing")
    SchedulerProvider().client().delete_scheduler(deleted)
    counts(sandbox)
    (later_id, later_state), *_ = later.items()
    assert provider.read(later_id, later_state).outs == later_state
    assert provider.read(deleted, deleted_state).id != ""  # still listed: deleted out of band after it
    gone = seed(1, "later")  # not in the listing, then deleted: the GET's 404 means gone
    (gone_id, gone_state), *_ = gone.items()
    SchedulerProvider().client().delete_scheduler(gone_id)
    counts(sandbox)
    assert provider.read(gone_id, gone_state).id == ""
    assert counts(sandbox) == {GET: 1}
    # Another event type out of band: missing from the state's event type's listing, read by id.
    moved = seed(1, "moved")
    (moved_id, moved_state), *_ = moved.items()
    SchedulerProvider().client().update_scheduler(moved_id, as_is(moved_id, event_type="elsewhere"))
    fresh = SchedulerProvider()
    counts(sandbox)
    read = fresh.read(moved_id, moved_state)
    assert read.inputs is not None and read.inputs["event_type"] == "elsewhere"
    assert counts(sandbox) == {LIST: 1, GET: 1}


def test_a_scheduler_with_files_is_read_by_id(sandbox: SandboxServer) -> None:
    provider = SchedulerProvider()
    news = {"name": "with files", "event_type": EVENT, "job": KAFKA, "files": ["menu.pdf"],
            "trigger_frequency_unit": "days", "trigger_frequency_value": 1}  # fmt: skip
    with_files = provider.create(checked(provider, news))
    plain = seed(1, "plain")
    (plain_id, plain_state), *_ = plain.items()
    # Files added out of band to a scheduler whose state has none: listed with files, read by id.
    SchedulerProvider().client().update_scheduler_with_files(
        plain_id, as_is(plain_id), [Upload("added.txt", b"by hand")]
    )
    counts(sandbox)
    reader = SchedulerProvider()
    # The state has files: read by id (no listing for it), its file verified by its download.
    read = reader.read(with_files.id, dict(with_files.outs or {}))
    assert read.outs == with_files.outs
    calls = counts(sandbox)
    assert calls[GET] == 1 and LIST not in calls
    read = reader.read(plain_id, plain_state)  # the drift is seen
    assert read.inputs is not None and read.inputs["files"] == [{"name": "added.txt", "size": 7}]
    assert counts(sandbox) == {LIST: 1, GET: 1}


def test_concurrent_reads_list_once(sandbox: SandboxServer) -> None:
    made = seed(8)
    set_faults(sandbox, latency_ms=150)  # every answer slow: the readers pile up on the listing
    counts(sandbox)
    provider = SchedulerProvider()
    with ThreadPoolExecutor(4) as pool:  # the official launcher's four threads
        reads = list(pool.map(lambda item: provider.read(*item), made.items()))
    assert [r.id for r in reads] == list(made)
    assert counts(sandbox) == {LIST: 1}


def record(scheduler_id: str, event_type: str = EVENT, **job: Any) -> SchedulerRecord:
    return SchedulerRecord.model_validate(
        {"_id": scheduler_id, "name": "n", "event_type": event_type, "job": job}
    )


def test_concurrent_callers_wait_for_the_one_listing_of_their_event_type() -> None:
    calls: list[str] = []
    start = threading.Barrier(6)

    def fetch(event_type: str) -> list[SchedulerRecord]:
        calls.append(event_type)
        time.sleep(0.2)
        return [record(f"{event_type}-1", event_type)]

    listing = SchedulerListing(fetch)

    def read(event_type: str) -> SchedulerRecord | None:
        start.wait()
        return listing.record(f"{event_type}-1", event_type)

    with ThreadPoolExecutor(6) as pool:
        found = list(pool.map(read, ["a", "b", "a", "b", "a", "b"]))
    assert sorted(calls) == ["a", "b"] and all(r is not None for r in found)


def test_what_the_listing_does_not_serve() -> None:
    listing = SchedulerListing(
        lambda event_type: [
            record("s1"),
            record("s2", files=[{"file_id": "f", "name": "a"}]),
            record("s3", "other"),
        ]
    )
    assert listing.record("s1", EVENT) is not None
    assert listing.record("s2", EVENT) is None  # listed with files
    assert listing.record("s3", EVENT) is None  # a server that ignored the filter: not this event type
    assert listing.record("s4", EVENT) is None  # not listed
    listing.written("s1")
    assert listing.record("s1", EVENT) is None
    for several in ("a,b", "contains:campaign", ""):  # the list reads these as other filters
        assert SchedulerListing(lambda e: [record("s1", e)]).record("s1", several) is None


def test_a_failed_listing_falls_back_to_one_get_per_scheduler(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = seed(3)
    warnings: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *_a, **_k: warnings.append(message))
    set_faults(sandbox, p500=1, methods=["GET"], path_regex="/schedulers$")
    counts(sandbox)
    provider = SchedulerProvider()
    client = provider.client()
    quick = shared_session("imbrace, quick", client.http.base_url, {"x-access-token": "sandbox-imbrace"},
                           RetryPolicy(attempts=1, backoff_factor=0))  # fmt: skip
    client.http = HttpClient(API, client.http.base_url, quick)
    reads = [provider.read(i, state) for i, state in made.items()]
    assert [r.outs for r in reads] == list(made.values())
    faults = requests.get(f"{sandbox.url}/_sandbox/stats", timeout=10).json()["faults"]
    calls = counts(sandbox)
    assert calls == {GET: 3}  # the listing (a 500 each time: no answer counted) is tried once, not per read
    assert faults == {"imbrace 500": 2}  # that one listing: its attempt and the quick policy's one retry
    assert len(warnings) == 1 and "listing the 'campaign' schedulers failed" in warnings[0]
    assert "HTTP 500" in warnings[0] and "by id" in warnings[0]


def test_import_reads_from_the_listing(sandbox: SandboxServer) -> None:
    made = seed(2, "hand-made")
    provider = SchedulerProvider()
    counts(sandbox)
    for scheduler_id, state in made.items():
        news = {**provider.user_inputs(state), IMPORT_KEY: scheduler_id}
        adopted = provider.create(checked(provider, news))
        assert adopted.id == scheduler_id
    assert counts(sandbox) == {LIST: 1}  # already as the program says: no update, no GET
