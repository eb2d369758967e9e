"""The ``Scheduler`` inputs ↔ the API's scheduler body and record (the API's spelling only here)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from providers.imbrace.models import SchedulerInputs, SchedulerRecord

# Optional inputs and the API field each is sent as (the server spells month-and-day "triger").
OPTIONAL_FIELDS = {
    "trigger_frequency_unit": "trigger_frequency_unit",
    "trigger_frequency_value": "trigger_frequency_value",
    "trigger_time": "trigger_time",
    "trigger_month_and_day": "triger_month_and_day",
    "trigger_day_of_week": "trigger_day_of_week",
    "trigger_day_of_month": "trigger_day_of_month",
    "start_datetime": "start_datetime",
    "one_time_schedule_type": "one_time_schedule_type",
}
# Which job fields belong to which kind of job.
JOB_FIELDS = {"kafka": ("topic", "workflow_id", "data"), "webhook": ("url", "method", "data")}
# Job fields the API adds itself and expects back in a full body (the uploads and their owner).
SERVER_JOB_FIELDS = ("files", "scheduler_id")
# What the API computes that the outputs keep. Not kept (lean state, issue 17): the organisation
# (a setting), the start the API keeps (it is `start_datetime`'s output), and who changed the
# scheduler when — nothing diffs or reads them, and the state is rewritten after every step.
COMPUTED = ("is_finished", "uploaded_files")


def to_body(inputs: SchedulerInputs) -> dict[str, Any]:
    """The API body for ``inputs``: the optional fields left out are not sent (never as null)."""
    body: dict[str, Any] = {
        "type": inputs.type,
        "name": inputs.name,
        "event_type": inputs.event_type,
        "channel_source": inputs.channel_source,
        "description": inputs.description,
        "job": inputs.job.model_dump(exclude_none=True),
        "is_paused": inputs.paused,
    }
    for field, api_field in OPTIONAL_FIELDS.items():
        value = getattr(inputs, field)
        if value is not None:
            body[api_field] = value
    return body


def update_body(current: SchedulerRecord, old: SchedulerInputs, new: SchedulerInputs) -> dict[str, Any]:
    """The full body of an update (the API replaces the scheduler with it).

    Optional fields the program dropped are left out: the update replaces the scheduler (the
    official SDK), so what it does not name is gone, and the docs never send a null. What
    the program leaves to the API (the start, a one-time type it never set) and what the API
    added to the job (its uploads) are sent back as they are now, so that an update changes
    only what changed.
    """
    body = to_body(new)
    if new.start_datetime is None:
        body["start_datetime"] = current.start_datetime or current.start_date
    kept_type = current.one_time_schedule_type if old.one_time_schedule_type is None else None
    if new.type == "non_recurring" and new.one_time_schedule_type is None and kept_type:
        body["one_time_schedule_type"] = kept_type
    body["job"].update({k: current.job[k] for k in SERVER_JOB_FIELDS if k in current.job})
    return body


def job_inputs(job: dict[str, Any]) -> dict[str, Any]:
    """The job's own fields (the ones its kind has), without what the API adds."""
    kind = job.get("type")
    fields = JOB_FIELDS.get(kind, ()) if isinstance(kind, str) else ()
    return {"type": kind, **{k: job[k] for k in fields if job.get(k) is not None}}


def from_record(record: SchedulerRecord) -> tuple[dict[str, Any], dict[str, Any]]:
    """The record as ``(inputs, computed outputs)``.

    Only the fields that apply are read: an API that keeps a field an update left out
    (the docs' "Update Scheduler with Files" answer keeps a one-time scheduler's old
    frequency) must not look like drift.
    """
    inputs: dict[str, Any] = {
        "name": record.name,
        "event_type": record.event_type,
        "type": record.type,
        "description": record.description or "",
        "channel_source": record.channel_source or "",
        "paused": record.is_paused,
        "job": job_inputs(record.job),
        # Only what the API tells; the provider's align() vouches for the content.
        "files": [{"name": f.name, "size": f.size} for f in record.files],
        "start_datetime": record.start_datetime or record.start_date,
    }
    if record.type == "recurring":
        unit = record.trigger_frequency_unit
        inputs["trigger_frequency_unit"] = unit
        inputs["trigger_frequency_value"] = record.trigger_frequency_value
        inputs["trigger_time"] = record.trigger_time
        if unit == "years":
            inputs["trigger_month_and_day"] = record.trigger_month_and_day
        if unit == "weeks":
            inputs["trigger_day_of_week"] = record.trigger_day_of_week
        if unit == "months":
            inputs["trigger_day_of_month"] = record.trigger_day_of_month
    else:
        inputs["one_time_schedule_type"] = record.one_time_schedule_type
    return {k: v for k, v in inputs.items() if v is not None}, computed(record)


def computed(record: SchedulerRecord) -> dict[str, Any]:
    """The outputs the API computes."""
    return {
        "is_finished": record.is_finished,
        "uploaded_files": [f.model_dump(exclude_none=True) for f in record.files],
    }


def after_update(
    before: SchedulerRecord, body: dict[str, Any], answer: Any, user_id: str
) -> SchedulerRecord | None:
    """The scheduler after an update, without reading it again (None: it must be read).

    The answer when it is the whole record (the docs' multipart answer, the sandbox's);
    otherwise (the docs' JSON answer: some fields, camelCase times) the record read just
    before the update with the body sent over it and what the answer names on top — the
    body replaced the scheduler, so nothing else changed; the updater is the calling user.
    """
    data = answer if isinstance(answer, dict) else {}
    try:
        return SchedulerRecord.model_validate(data)
    except ValidationError:
        pass
    if "files" not in body.get("job", {}) and before.files:
        return None  # new uploads replaced the files: only the API knows them now
    names = {info.alias or name for name, info in SchedulerRecord.model_fields.items()} - {"_id"}
    said = {k: v for k, v in data.items() if k in names}
    if isinstance(data.get("updatedAt"), str):
        said.setdefault("updated_at", data["updatedAt"])
    merged = {**before.model_dump(by_alias=True), **body, "updated_by": user_id, **said}
    try:
        return SchedulerRecord.model_validate(merged)
    except ValidationError:
        return None
