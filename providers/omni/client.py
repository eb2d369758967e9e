"""Typed calls to Omni's schedule API (``https://<org>.omniapp.co``), one method per endpoint.

Auth is ``Authorization: Bearer <token>``; errors are ``{"detail": ..., "status": N}``
(the beta ``/api/unstable`` trigger adds a SCIM ``schemas`` array), which the shared
error parser reads. The API's camelCase names live only in this module.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from providers._http import DEFAULT_TIMEOUT, ApiError, HttpClient, RetryPolicy, shared_session
from providers._throttle import RateLimit, shared_throttle
from providers.omni.models import ListFilters, OmniSchedule, SchedulePage, is_uuid

API = "omni"
SCHEDULES = "/api/v1/schedules"
MAX_PAGE_SIZE = 100  # "Page size cannot exceed 100"
_FILTER_PARAMS = {
    "q": "q",
    "status": "status",
    "destination": "destination",
    "schedule_type": "scheduleType",
    "content_type": "contentType",
    "identifier": "identifier",
    "owner_id": "ownerId",
    "sort_field": "sortField",
    "sort_direction": "sortDirection",
}


class OmniClient:
    """Omni's schedule endpoints on one pooled session (per process, base URL and token)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        rate_limit: RateLimit | None = None,
    ) -> None:
        base_url = base_url.rstrip("/")
        auth = {"Authorization": f"Bearer {token}"}
        session = shared_session(API, base_url, auth, retry)
        throttle = shared_throttle(API, base_url, auth, rate_limit)
        self.http = HttpClient(
            api=API, base_url=base_url, session=session, timeout=timeout, throttle=throttle
        )
        # Names this organisation and credential without holding the token (see cache.py).
        self.key = hashlib.sha256(f"{base_url}\n{token}".encode()).hexdigest()[:16]

    # ---- list ---------------------------------------------------------------------------
    def list_page(
        self, filters: ListFilters | None = None, cursor: str | None = None, page_size: int = MAX_PAGE_SIZE
    ) -> SchedulePage:
        """``GET /api/v1/schedules``: one page of the (filtered, sorted) list."""
        params: dict[str, Any] = {"pageSize": page_size}
        if filters is not None:
            given = filters.model_dump(exclude_none=True)
            params.update({_FILTER_PARAMS[k]: v for k, v in given.items()})
        if cursor is not None:
            params["cursor"] = cursor
        return SchedulePage.model_validate(self.http.request("GET", SCHEDULES, params=params).json())

    def list_schedules(self, filters: ListFilters | None = None) -> tuple[list[OmniSchedule], int]:
        """Every page of the list: the records and the ``totalRecords`` Omni reported.

        Pages are followed while the answer says there is a next one (``hasNextPage`` and a
        ``nextCursor`` not seen before): a server paging smaller than asked is read whole. A
        page-number cursor that went out of range mid-listing (400 "Invalid page number": the
        list shrank) restarts the listing once. Filters the supplied doc does not name are
        also applied here, so a server that ignores them cannot widen the answer.
        """
        for attempt in (1, 2):
            try:
                records, total = self._all_pages(filters)
            except ApiError as exc:
                if attempt == 2 or exc.status != 400 or "invalid page number" not in exc.message.lower():
                    raise
                continue
            return [r for r in records if _matches(r, filters)], total
        raise AssertionError("unreachable")

    def _all_pages(self, filters: ListFilters | None) -> tuple[list[OmniSchedule], int]:
        page = self.list_page(filters)
        records = list(page.records)
        total = page.page_info.total_records or 0
        seen: set[str] = set()
        while page.page_info.has_next_page and page.page_info.next_cursor is not None:
            cursor = str(page.page_info.next_cursor)
            if cursor in seen or not page.records:
                break  # a server that keeps answering the same page must not loop forever
            seen.add(cursor)
            page = self.list_page(filters, cursor=cursor)
            records.extend(page.records)
            total = max(total, page.page_info.total_records or 0)
        return records, total

    # ---- actions --------------------------------------------------------------------------
    def trigger(self, schedule_id: str, api_version: str = "v1") -> None:
        """``POST /api/{v1|unstable}/schedules/{id}/trigger``: run the schedule now."""
        self.http.request("POST", f"/api/{api_version}/schedules/{schedule_id}/trigger")

    def add_recipients(self, schedule_id: str, recipients: Iterable[str]) -> int:
        """``PUT …/add-recipients`` (emails and user ids); the number Omni added."""
        return self._recipients(schedule_id, "add-recipients", "addedRecipientsCount", recipients)

    def remove_recipients(self, schedule_id: str, recipients: Iterable[str]) -> int:
        """``PUT …/remove-recipients`` (emails and user ids); the number Omni removed."""
        return self._recipients(schedule_id, "remove-recipients", "removedRecipientsCount", recipients)

    def _recipients(self, schedule_id: str, action: str, count_key: str, recipients: Iterable[str]) -> int:
        wanted = list(recipients)
        body = {
            "emails": [r for r in wanted if not is_uuid(r)],
            "userIds": [r for r in wanted if is_uuid(r)],
        }
        # An empty list is a documented 400 ("Array must contain at least 1 element(s)").
        body = {k: v for k, v in body.items() if v}
        resp = self.http.request("PUT", f"{SCHEDULES}/{schedule_id}/{action}", json=body)
        return int(resp.json().get(count_key) or 0)

    def pause(self, schedule_id: str) -> bool:
        """``PUT …/pause``; False when Omni says it is already paused."""
        return self._toggle(schedule_id, "pause", "already paused")

    def resume(self, schedule_id: str) -> bool:
        """``PUT …/resume``; False when Omni says it is already resumed."""
        return self._toggle(schedule_id, "resume", "already resumed")

    def _toggle(self, schedule_id: str, action: str, already: str) -> bool:
        try:
            self.http.request("PUT", f"{SCHEDULES}/{schedule_id}/{action}")
        except ApiError as exc:
            if exc.status == 400 and already in exc.message.lower():
                return False
            raise
        return True

    def delete(self, schedule_id: str) -> None:
        """``DELETE /api/v1/schedules/{id}``."""
        self.http.request("DELETE", f"{SCHEDULES}/{schedule_id}")


def _matches(record: OmniSchedule, filters: ListFilters | None) -> bool:
    """Whether a record passes the filters that can be checked on the record itself."""
    if filters is None:
        return True
    checks = (
        (filters.identifier, record.identifier),
        (filters.destination, record.destination_type),
        (filters.content_type, record.content),
    )
    return all(want is None or want == have for want, have in checks)


# ---- the process's schedule list ------------------------------------------------------------------
# One listing of an organisation's schedules, shared by every resource of a process.
#
# Omni has no get-by-id: the only way to read a schedule is the list (≤ 100 per page). Read
# one by one, refreshing N schedules would list N times; here the provider process lists
# once and serves every ``check``/``read``/``create``/``update`` from that copy, so an operation
# on N schedules costs ⌈N/100⌉ list calls besides its writes.
#
# - Threads share the copy; a lock makes concurrent readers wait for one listing rather
#   than each starting its own. The small re-reads below run outside it, so they overlap.
# - The copy lives as long as the process (``ttl``: None), which serves one engine operation.
# - A write this process made puts the schedule as the write left it into the copy
#   (:meth:`ScheduleCache.put`: Omni's answers to writes carry no record, so the provider
#   derives it), so writes to N schedules read nothing again. A write whose outcome cannot be
#   derived marks just that schedule stale (:meth:`ScheduleCache.written`): its next lookup
#   re-reads it through the list filtered by its dashboard ``identifier`` (one small call).
#   Other records cannot have been changed by this process, so they stay as fresh as the copy.
# - A listing whose records disagree with ``totalRecords`` (page-number cursors shift when
#   schedules come and go mid-listing) is repeated once; a schedule missing from the copy
#   is looked up by its dashboard identifier (one small call) before it is reported deleted.

DEFAULT_TTL: float | None = None


class ScheduleCache:
    """The cached list of one organisation's schedules (one per base URL and token, per process)."""

    def __init__(
        self,
        client: OmniClient,
        ttl: float | None = DEFAULT_TTL,
        clock: Callable[[], float] = time.monotonic,
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

    def put(self, record: OmniSchedule) -> None:
        """A schedule as a write of this process left it: the copy holds it, nothing is re-read."""
        with self._lock:
            self._records[record.id] = record
            self._stale.discard(record.id)
            self._write_seq += 1
            self._last_write[record.id] = self._write_seq

    def clear(self) -> None:
        """Forget the copy."""
        with self._lock:
            self._fetched_at = None

    # ---- under the lock --------------------------------------------------------------------
    def _expired(self) -> bool:
        if self._fetched_at is None:
            return True
        return self.ttl is not None and self.clock() - self._fetched_at > self.ttl

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

        A schedule written again while the call was under way stays stale (or as that write
        left it): the answer may predate that write.
        """
        for gone in [k for k, r in self._records.items() if r.identifier == identifier and k not in fresh]:
            del self._records[gone]
        self._records.update({k: r for k, r in fresh.items() if self._last_write.get(k, 0) <= sent_after})
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
