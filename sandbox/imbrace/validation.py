"""Validation of a scheduler body (JSON create/update, or the multipart ``payload``).

The docs list three 400s for a create: ``name is required``, ``event_type is required``
and ``job is required``, checked in that order. The other checks here are **not in the
docs**; they follow the facts of the official ``imbrace`` SDK (reference NOTES) and
answer 400 ``{"message": ...}`` in the API's own wording style:

- ``type`` is ``recurring`` (the default when absent) or ``non_recurring``;
- ``trigger_frequency_unit`` is one of minutes|days|weeks|months|years, and
  ``trigger_frequency_value`` a positive integer; a recurring scheduler needs both;
- dates (``start_datetime``, ``trigger_time``, ``triger_month_and_day``) must parse as
  ISO 8601 and are stored the way MongoDB prints a Date (``…T14:35:00.000Z``);
- a ``non_recurring`` scheduler needs a ``start_datetime`` in the future. On an update
  the check applies only when the start changes, so that re-sending every field of an
  existing one-time scheduler (as an update must, the API replacing the record) works;
- a recurring scheduler without ``start_datetime`` starts now;
- ``is_paused`` is a boolean; ``description``, ``channel_source``,
  ``one_time_schedule_type`` and ``internal_id`` are strings.

Fields the model does not know (e.g. ``callback_url``) are dropped, as a strict
Mongoose schema does.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from sandbox.common import ApiError, is_int, parse_iso, to_iso

FREQUENCY_UNITS = ("minutes", "days", "weeks", "months", "years")
TYPES = ("recurring", "non_recurring")
_DATE_FIELDS = ("trigger_time", "triger_month_and_day")
_STRING_FIELDS = ("description", "channel_source", "one_time_schedule_type", "internal_id")
_PASSTHROUGH_FIELDS = ("options", "trigger_day_of_week", "trigger_day_of_month")


def _bad(message: str) -> ApiError:
    return ApiError(400, message)


def _required_text(body: dict[str, Any], field: str) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"{field} is required")
    return value


def _clean_job(job: dict[str, Any]) -> dict[str, Any]:
    # The API drops the browser's serialised File object (`"file": {}`) from the
    # attachments listed in job.data.files: the docs' answers show them without it.
    job = copy.deepcopy(job)
    data = job.get("data")
    files = data.get("files") if isinstance(data, dict) else None
    if isinstance(files, list):
        for entry in files:
            if isinstance(entry, dict):
                entry.pop("file", None)
    return job


def _frequency(body: dict[str, Any], kind: str) -> tuple[str | None, int | None]:
    unit = body.get("trigger_frequency_unit")
    value = body.get("trigger_frequency_value")
    if unit is not None and unit not in FREQUENCY_UNITS:
        raise _bad("trigger_frequency_unit must be one of " + ", ".join(FREQUENCY_UNITS))
    if value is not None and (not is_int(value) or value < 1):
        raise _bad("trigger_frequency_value must be a positive integer")
    if kind == "recurring":
        if unit is None:
            raise _bad("trigger_frequency_unit is required for a recurring scheduler")
        if value is None:
            raise _bad("trigger_frequency_value is required for a recurring scheduler")
    return unit, value


def _start(body: dict[str, Any], kind: str, now: datetime, previous_start: str | None) -> str:
    raw = body.get("start_datetime")
    if raw is None:
        if kind == "non_recurring":
            raise _bad("start_datetime is required for a non_recurring scheduler")
        return to_iso(now)
    parsed = parse_iso(raw)
    if parsed is None:
        raise _bad("start_datetime must be a valid date")
    start = to_iso(parsed)
    if kind == "non_recurring" and parsed <= now and start != previous_start:
        raise _bad("start_datetime must be in the future")
    return start


def scheduler_fields(body: Any, *, now: datetime, previous_start: str | None = None) -> dict[str, Any]:
    """Check a scheduler body; return the stored fields it sets, or raise a 400 :class:`ApiError`.

    ``previous_start`` is the stored ``start_datetime`` on an update (None on a create).
    """
    if not isinstance(body, dict):
        body = {}
    name = _required_text(body, "name")
    event_type = _required_text(body, "event_type")
    job = body.get("job")
    if not isinstance(job, dict):
        raise _bad("job is required")

    kind = body.get("type", "recurring")
    if kind not in TYPES:
        raise _bad("type must be one of " + ", ".join(TYPES))
    unit, value = _frequency(body, kind)
    start = _start(body, kind, now, previous_start)

    fields: dict[str, Any] = {
        "type": kind,
        "name": name,
        "event_type": event_type,
        "job": _clean_job(job),
        "trigger_frequency_unit": unit,
        "trigger_frequency_value": value,
        "start_date": start,
        "start_time": start,
        "start_datetime": start,
    }
    for field in _DATE_FIELDS:
        raw = body.get(field)
        if raw is not None:
            parsed = parse_iso(raw)
            if parsed is None:
                raise _bad(f"{field} must be a valid date")
            fields[field] = to_iso(parsed)
    for field in _STRING_FIELDS:
        raw = body.get(field)
        if raw is not None:
            if not isinstance(raw, str):
                raise _bad(f"{field} must be a string")
            fields[field] = raw
    for field in _PASSTHROUGH_FIELDS:
        if body.get(field) is not None:
            fields[field] = body[field]
    paused = body.get("is_paused", False)
    if not isinstance(paused, bool):
        raise _bad("is_paused must be a boolean")
    fields["is_paused"] = paused
    return fields
