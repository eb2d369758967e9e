"""One short-lived listing of an organisation's schedules, shared by every resource of a process.

Omni has no get-by-id: the only way to read a schedule is the list (≤ 100 per page). Read
one by one, refreshing N schedules would list N times; here the provider process lists
once and serves every ``check``/``read``/``create`` from that copy, so a refresh of N
schedules costs about ⌈N/100⌉ list calls.

- Threads share the copy; a lock makes concurrent readers wait for one listing rather
  than each starting its own. The small re-reads below run outside it, so they overlap.
- The copy lives ``ttl`` seconds (a provider process serves one engine operation).
- A write marks just that schedule stale: its next lookup re-reads it through the list
  filtered by its dashboard ``identifier`` (one small call), so applying changes to N
  schedules never re-lists everything N times. Other records cannot have been changed
  by this process, so they stay as fresh as the copy.
- A listing whose records disagree with ``totalRecords`` (page-number cursors shift when
  schedules come and go mid-listing) is repeated once; a schedule missing from the copy
  is looked up by its dashboard identifier (one small call) before it is reported deleted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from providers.omni.client import OmniClient
from providers.omni.models import ListFilters, OmniSchedule

DEFAULT_TTL = 30.0


class ScheduleCache:
    """The cached list of one organisation's schedules (one per base URL and token, per process)."""

    def __init__(
        self, client: OmniClient, ttl: float = DEFAULT_TTL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.client = client
        self.ttl = ttl
        self.clock = clock
        self._lock = threading.Lock()
        self._records: dict[str, OmniSchedule] = {}
        self._fetched_at: float | None = None
        self._stale: set[str] = set()
        # Writes are numbered: a re-read sent after write k cannot show a schedule's write k + 1.
        self._write_seq = 0
        self._last_write: dict[str, int] = {}

    def get(self, schedule_id: str, identifier_hint: str | None = None) -> OmniSchedule | None:
        """The schedule, or None when Omni does not list it.

        ``identifier_hint`` (the dashboard identifier last seen) lets a schedule missing from
        the copy be confirmed with one small filtered call before it is reported deleted.
        """
        with self._lock:
            if self._expired():
                self._list_all()
            record = self._records.get(schedule_id)
            stale = schedule_id in self._stale
            if not stale and (record is not None or not identifier_hint):
                return record
            identifier = record.identifier if record else identifier_hint
            if not identifier:
                self._list_all()
                return self._records.get(schedule_id)
            sent_after = self._write_seq
        # The small call runs outside the lock: the re-reads after many writes overlap.
        found, _total = self.client.list_schedules(ListFilters(identifier=identifier))
        with self._lock:
            return self._merge(schedule_id, identifier, {r.id: r for r in found}, sent_after)

    def written(self, schedule_id: str) -> None:
        """Mark a schedule this process changed: its next lookup reads it again."""
        with self._lock:
            self._stale.add(schedule_id)
            self._write_seq += 1
            self._last_write[schedule_id] = self._write_seq

    def clear(self) -> None:
        """Forget the copy."""
        with self._lock:
            self._fetched_at = None

    # ---- under the lock --------------------------------------------------------------------
    def _expired(self) -> bool:
        return self._fetched_at is None or self.clock() - self._fetched_at > self.ttl

    def _list_all(self) -> None:
        # A stable order keeps page-number cursors from shuffling records between pages.
        order = ListFilters(sort_field="scheduleName", sort_direction="asc")
        for _attempt in range(2):
            records, total = self.client.list_schedules(order)
            by_id = {r.id: r for r in records}
            if len(by_id) == len(records) == total:
                break
        self._records = by_id
        self._stale.clear()
        self._fetched_at = self.clock()

    def _merge(
        self, schedule_id: str, identifier: str, fresh: dict[str, OmniSchedule], sent_after: int
    ) -> OmniSchedule | None:
        """Put a dashboard's schedules as they are now into the copy; gone ones leave it.

        A schedule written again while the call was under way stays stale: the answer may
        predate that write.
        """
        for gone in [k for k, r in self._records.items() if r.identifier == identifier and k not in fresh]:
            del self._records[gone]
        self._records.update(fresh)
        for key in [*fresh, schedule_id]:
            if self._last_write.get(key, 0) <= sent_after:
                self._stale.discard(key)
        return fresh.get(schedule_id)


_CACHES: dict[str, ScheduleCache] = {}
_CACHES_LOCK = threading.Lock()


def shared_cache(client: OmniClient) -> ScheduleCache:
    """The process-wide cache for the client's organisation and token."""
    with _CACHES_LOCK:
        cache = _CACHES.get(client.key)
        if cache is None:
            cache = _CACHES[client.key] = ScheduleCache(client)
        return cache
