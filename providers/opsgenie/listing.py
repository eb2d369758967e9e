"""One listing of the account's schedules per client, shared by ``check``'s name look-up and the
reads of refresh and import (docs/api-assumptions.md, O9 and O10).

``GET /v2/schedules?expand=rotation`` answers every schedule at once, each as the same OAS
``Schedule`` that ``GET /v2/schedules/{id}`` answers, so a refresh of N schedules costs one call,
not N. The copy is never fresher than the moment it was listed, hence:

- a schedule this client wrote (created, changed, deleted, or one of its rotations or overrides
  written) is never served from the copy: its next read is a ``GET`` by id;
- a schedule missing from the copy (created after the listing, or gone) is read by id too, so a
  404 still means deleted;
- a listed schedule without a ``rotations`` field (a server that ignored ``expand``) is read by
  id, never taken for a schedule without rotations;
- the first caller lists while the others wait on the lock: never two listings at once.

A listing that fails: the name look-up raises, as before (``check`` cannot tell; the create looks
again, listing again). The reads fall back to one ``GET`` per schedule for the rest of the
process, with one warning, so their errors name each schedule as they did before the listing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pulumi

from providers._http import ApiError
from providers.opsgenie.models import ScheduleRecord


class ScheduleListing:
    """The schedules of one account as one ``fetch`` listed them, and the ids written since."""

    def __init__(self, fetch: Callable[[], list[ScheduleRecord]]) -> None:
        self._fetch = fetch
        self._lock = threading.Lock()
        self._names: dict[str, str] | None = None
        self._records: dict[str, ScheduleRecord] = {}
        self._read_failed = False
        self._written: set[str] = set()

    def name_holder(self, name: str) -> str | None:
        """The id of the schedule named ``name`` when the account was listed (listing it on first
        use); an ``ApiError`` of the listing is raised, and the next call lists again."""
        with self._lock:
            return self._listed().get(name)

    def record(self, schedule_id: str) -> ScheduleRecord | None:
        """The schedule as listed, or None when it must be read by id (see the module docstring)."""
        with self._lock:
            if schedule_id in self._written:
                return None
            if self._names is None and not self._read_failed:
                try:
                    self._listed()
                except ApiError as exc:
                    self._read_failed = True  # one warning, then each read is its own GET
                    pulumi.log.warn(f"opsgenie: {exc}; each schedule is read by id instead")
            return self._records.get(schedule_id)

    def written(self, schedule_id: str) -> None:
        """Mark a schedule this client is writing: from now on it is read by id."""
        with self._lock:
            self._written.add(schedule_id)

    def _listed(self) -> dict[str, str]:
        """The names (listing on first use); call with the lock held."""
        if self._names is None:
            records = self._fetch()
            self._records = {r.id: r for r in records if "rotations" in r.model_fields_set}
            self._names = {r.name: r.id for r in records if r.name is not None}
        return self._names
