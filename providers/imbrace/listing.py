"""One listing of the user's schedulers per event type and client, for the reads of refresh and
import (docs/api-assumptions.md, I10).

"Get User Schedulers by Event Type" (``GET …/schedulers?event_type=…&limit=100&skip=…``, walked
until ``has_more`` is false) answers each scheduler as the record "Get Scheduler by ID" answers
(the same fields in the docs' samples), so a refresh of N schedulers of one event type costs
⌈N/100⌉ calls, not N. The copy is never fresher than the moment it was listed, hence:

- a scheduler this client wrote (created, updated, deleted, or found after a lost create) is
  never served from the copy: its next read is a ``GET`` by id;
- a scheduler missing from the copy of its event type (created after the listing, gone, or now
  of another event type) is read by id too, so a 404 still means deleted;
- a listed scheduler with files (any ``job.files``) is read by id: the docs' list and get
  samples show no ``job.files``, and a read verifies each attached file (name, size, downloaded
  hash), so only file-less schedulers are served from the copy (the provider also reads by id
  every scheduler whose state has files);
- an event type the list reads as several (``a,b`` or ``contains:…``) is never listed;
- the first caller of an event type lists while the others of that type wait on its lock: never
  two listings of one event type at once.

A listing that fails (an API error, or an answer that does not parse) is not tried again for that
event type: its reads fall back to one ``GET`` per scheduler for the rest of the process, with one
warning, so their errors name each scheduler as they did before the listing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pulumi

from providers._http import ApiError
from providers.imbrace.models import SchedulerRecord


def listable(event_type: str) -> bool:
    """Whether the list filters on exactly ``event_type`` (not several types, not ``contains:``)."""
    return bool(event_type) and "," not in event_type and not event_type.startswith("contains:")


@dataclass
class _Listed:
    """The schedulers of one event type, once listed (None until then)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    records: dict[str, SchedulerRecord] | None = None
    failed: bool = False


class SchedulerListing:
    """The user's schedulers as ``fetch(event_type)`` listed them, per event type, and the ids
    written since."""

    def __init__(self, fetch: Callable[[str], Iterable[SchedulerRecord]]) -> None:
        self._fetch = fetch
        self._lock = threading.Lock()
        self._by_type: dict[str, _Listed] = {}
        self._written: set[str] = set()

    def record(self, scheduler_id: str, event_type: str) -> SchedulerRecord | None:
        """The scheduler as listed with ``event_type`` (listing it on first use), or None when it
        must be read by id (see the module docstring)."""
        if not listable(event_type):
            return None
        with self._lock:
            if scheduler_id in self._written:
                return None
            listed = self._by_type.setdefault(event_type, _Listed())
        with listed.lock:  # the readers of one event type wait for its one listing
            if listed.records is None and not listed.failed:
                try:
                    listed.records = {r.id: r for r in self._fetch(event_type)}
                except (ApiError, ValueError) as exc:  # ValueError: an answer that does not parse
                    listed.failed = True  # one warning, then each read is its own GET
                    what = f"listing the '{event_type}' schedulers failed ({exc})"
                    pulumi.log.warn(f"imbrace: {what}; each is read by id instead")
            record = (listed.records or {}).get(scheduler_id)
        if record is None or record.event_type != event_type or record.job.get("files"):
            return None
        with self._lock:
            return None if scheduler_id in self._written else record

    def written(self, scheduler_id: str) -> None:
        """Mark a scheduler this client is writing: from now on it is read by id."""
        with self._lock:
            self._written.add(scheduler_id)
