"""``GET /api/v1/schedules``: filters, sorting and cursor pagination.

The docs' parameter table did not load ("Loading parameters..."); the parameters come from
Omni's own API reference, docs.omni.co/api/schedules/list-schedules (its query-parameter
list) and the client generated from Omni's OpenAPI (``schedules_list``, found in the code
index), which agree:

- ``q`` — case-insensitive search in the name, dashboard name or owner name;
- ``status`` — success|error|canceled|none, the last delivery's status. The mapping onto
  ``lastStatus`` is ours: success = ``COMPLETE``, error = any ``ERROR…`` (the docs show
  ``ERROR_DELIVERED``), canceled = ``CANCELED``/``CANCELLED``, none = never ran (null);
- ``destination`` — email|slack|webhook|sftp|s3 (``destinationType``);
- ``scheduleType`` — alert|schedule (a schedule with an ``alert`` is an alert);
- ``contentType`` — dashboard|single tile (``content``);
- ``identifier`` — the dashboard's identifier, exact; ``embedEntity`` — exact (generated
  client only; stored per schedule, not printed by the list);
- ``ownerId`` — uuid of the owner (generated client only); the docs' error rows give its
  errors: 400 ``ownerId: Invalid uuid``, 404 ``User with id <id> does not exist``;
- ``sortField`` — scheduleName|dashboardName|ownerName|lastRun|lastRunStatus, default
  scheduleName; ``sortDirection`` — asc|desc, default desc;
- ``cursor`` — the page number, default 1; ``pageSize`` — 1 to 100, default 20.

A value outside an enum answers 400 ``Invalid enum value`` (the docs' row, verbatim).
Decisions not in the docs: names sort the way the docs' example is ordered (scheduleName
desc puts "Web Traffic Analysis" before "⚡️🍣 Query" before "Orders (2)"): case-insensitive,
ignoring symbols and punctuation; null ``lastRun``/``lastRunStatus`` sort last in both
directions; ties fall back to the name, then the id. A ``pageSize`` that is not a number
answers ``pageSize: Expected number, received nan`` and one below 1
``pageSize: Number must be greater than or equal to 1`` (zod's wording, which Omni's
errors show); a cursor that is not a whole page number from 1 to the last page answers
the documented ``Invalid page number. The last valid page is <n>.``, where n is at least 1.
An empty parameter (``?q=``) counts as absent.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, Field

from sandbox.common import ApiError, is_uuid
from sandbox.omni.models import PageInfo, Schedule, ScheduleList

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

ENUMS: dict[str, tuple[str, ...]] = {
    "status": ("success", "error", "canceled", "none"),
    "destination": ("email", "slack", "webhook", "sftp", "s3"),
    "scheduleType": ("alert", "schedule"),
    "contentType": ("dashboard", "single tile"),
    "sortField": ("scheduleName", "dashboardName", "ownerName", "lastRun", "lastRunStatus"),
    "sortDirection": ("asc", "desc"),
}

_STATUS_MATCH: dict[str, Callable[[str | None], bool]] = {
    "success": lambda s: s == "COMPLETE",
    "error": lambda s: s is not None and s.startswith("ERROR"),
    "canceled": lambda s: s in ("CANCELED", "CANCELLED"),
    "none": lambda s: s is None,
}

_SORT_VALUE: dict[str, Callable[[Schedule], str | None]] = {
    "scheduleName": lambda s: collation_key(s.name),
    "dashboardName": lambda s: collation_key(s.dashboardName),
    "ownerName": lambda s: collation_key(s.ownerName) if s.ownerName is not None else None,
    "lastRun": lambda s: s.lastCompletedAt,
    "lastRunStatus": lambda s: s.lastStatus,
}


def collation_key(text: str | None) -> str:
    """A name as a collating database compares it: case-folded, symbols and punctuation ignored."""
    folded = unicodedata.normalize("NFKD", text or "").casefold()
    kept = "".join(ch if ch.isalnum() else " " for ch in folded)
    return " ".join(kept.split())


def _page_size(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError as exc:
        raise ApiError(400, "pageSize: Expected number, received nan") from exc
    if size > MAX_PAGE_SIZE:
        raise ApiError(400, f"Page size cannot exceed {MAX_PAGE_SIZE}")
    if size < 1:
        raise ApiError(400, "pageSize: Number must be greater than or equal to 1")
    return size


LISTING_META = "omni.listing"
"""Meta key of the listing's behaviour (``PUT /_sandbox/omni/listing``): a JSON :class:`ListingMode`."""
DOCUMENTED_PARAMS = ("pageSize", "cursor", "ownerId")
"""The list parameters the supplied doc names (in its error rows)."""


class ListingMode(BaseModel):
    """How the list behaves where the supplied doc is silent (``PUT /_sandbox/omni/listing``)."""

    page_size_cap: int | None = Field(None, ge=1, description="Pages hold at most this many records.")
    documented_params_only: bool = Field(
        False, description="Ignore every parameter the supplied doc does not name (filters, sorting)."
    )

    def params(self, given: Mapping[str, str]) -> dict[str, str]:
        """The parameters the list acts on."""
        if self.documented_params_only:
            return {k: v for k, v in given.items() if k in DOCUMENTED_PARAMS}
        return dict(given)


class ListQuery:
    """The validated query of one list request (unknown parameters are ignored)."""

    def __init__(self, params: Mapping[str, str], mode: ListingMode | None = None) -> None:
        mode = mode or ListingMode()
        values = {k: v for k, v in mode.params(params).items() if v != ""}
        self.page_size = min(_page_size(values.get("pageSize")), mode.page_size_cap or MAX_PAGE_SIZE)
        for name, allowed in ENUMS.items():
            if name in values and values[name] not in allowed:
                raise ApiError(400, "Invalid enum value")
        owner = values.get("ownerId")
        if owner is not None and not is_uuid(owner):
            raise ApiError(400, "ownerId: Invalid uuid")
        self.owner_id = owner.lower() if owner else None
        self.cursor = values.get("cursor", "1")
        self.sort_field = values.get("sortField", "scheduleName")
        self.descending = values.get("sortDirection", "desc") == "desc"
        self.values = values

    def matches(self, schedule: Schedule) -> bool:
        """Whether a schedule passes every filter of the query."""
        v = self.values
        if "q" in v:
            needle = v["q"].casefold()
            haystack = (schedule.name, schedule.dashboardName, schedule.ownerName or "")
            if not any(needle in text.casefold() for text in haystack):
                return False
        checks: list[tuple[str, Callable[[str], bool]]] = [
            ("status", lambda want: _STATUS_MATCH[want](schedule.lastStatus)),
            ("destination", lambda want: schedule.destinationType == want),
            ("scheduleType", lambda want: (schedule.alert is not None) == (want == "alert")),
            ("contentType", lambda want: schedule.content == want),
            ("identifier", lambda want: schedule.identifier == want),
            ("embedEntity", lambda want: schedule.embedEntity == want),
        ]
        if self.owner_id is not None and schedule.ownerId != self.owner_id:
            return False
        return all(check(v[name]) for name, check in checks if name in v)

    def sort(self, schedules: list[Schedule]) -> list[Schedule]:
        """The schedules in the requested order, nulls last."""
        value_of = _SORT_VALUE[self.sort_field]

        def tie_break(s: Schedule) -> tuple[str, str]:
            return (collation_key(s.name), s.id)

        present = [s for s in schedules if value_of(s) is not None]
        missing = [s for s in schedules if value_of(s) is None]
        present.sort(key=lambda s: (value_of(s) or "", *tie_break(s)), reverse=self.descending)
        missing.sort(key=tie_break, reverse=self.descending)
        return present + missing

    def page(self, schedules: list[Schedule]) -> ScheduleList:
        """Cut the sorted, filtered schedules at the cursor's page."""
        total = len(schedules)
        last_page = max(1, -(-total // self.page_size))
        try:
            number = int(self.cursor)
        except ValueError:
            number = 0
        if not 1 <= number <= last_page:
            raise ApiError(400, f"Invalid page number. The last valid page is {last_page}.")
        start = (number - 1) * self.page_size
        records: list[dict[str, Any]] = [
            s.to_list_record() for s in schedules[start : start + self.page_size]
        ]
        has_next = number < last_page
        return ScheduleList(
            pageInfo=PageInfo(
                hasNextPage=has_next,
                nextCursor=str(number + 1) if has_next else None,
                pageSize=self.page_size,
                totalRecords=total,
            ),
            records=records,
        )
