"""A corpus of invalid definitions for every resource, each with the field its failure must name.

The engine stops a preview at the first resource whose check fails (it then reports all of
*that* resource's failures, one per field): so each :class:`Batch` is one resource carrying
several independent invalid values — list items are independent too — and costs one preview.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.omni import NOBODY, ORDERS_2

HEADER = """
import pulumi
from providers.imbrace import JobArgs, Scheduler, SchedulerArgs
from providers.omni import Schedule as OmniSchedule, ScheduleArgs as OmniArgs
from providers.omni import ScheduleTrigger, ScheduleTriggerArgs
from providers.opsgenie import Schedule, ScheduleOverride, ScheduleRotation

S = "2024-01-01T09:00:00+01:00"
NOBODY_ON_CALL = [{"type": "none"}]
DAY = {"start_hour": 9, "start_min": 0, "end_hour": 17, "end_min": 0}
WINDOW = {"start_day": "monday", "end_day": "friday", **DAY}
WEEKLY = "weekday-and-time-of-day"
"""


@dataclass(frozen=True)
class Case:
    """One invalid value: the property path the engine must name, and a fragment of the reason."""

    field: str
    reason: str


@dataclass(frozen=True)
class Batch:
    """One resource (``type_`` ``name``) declared by ``source``, failing exactly with ``cases``."""

    type_: str
    name: str
    source: str
    cases: tuple[Case, ...]
    reads: bool = False  # its check reads the live list (Omni): reads allowed, writes never


def rotation(**fields: str) -> str:
    """A rotation dict literal: valid unless ``fields`` overrides (values are Python source)."""
    base = {"start_date": "S", "type": '"daily"', "participants": "NOBODY_ON_CALL", **fields}
    return "{" + ", ".join(f'"{k}": {v}' for k, v in base.items()) + "}"


OPSGENIE = "pulumi-python:dynamic/opsgenie:"
IMBRACE = "pulumi-python:dynamic/imbrace:Scheduler"
OMNI = "pulumi-python:dynamic/omni:"

_ROTATIONS: tuple[tuple[dict[str, str], Case], ...] = (
    ({"start_date": '"2024-01-01T09:00:00"'}, Case("start_date", "has no UTC offset")),
    ({"start_date": '"next monday"'}, Case("start_date", "is not an ISO 8601 date-time")),
    ({"end_date": '"2023-12-01T09:00:00Z"'}, Case("end_date", "should be after start_date")),
    ({"type": '"monthly"'}, Case("type", "Input should be 'daily', 'weekly' or 'hourly'")),
    ({"length": "0"}, Case("length", "greater than or equal to 1")),
    ({"participants": "[]"}, Case("participants", "at least 1 item")),
    ({"participants": '[{"type": "robot", "name": "r2"}]'}, Case("participants[0].type", "Input should be")),
    ({"participants": '[{"type": "user"}]'}, Case("participants[0]", "a user participant needs id or")),
    (
        {"participants": '[{"type": "team", "name": "sre", "username": "x"}]'},
        Case("participants[0]", "is named by id or name, not username"),
    ),
    (
        {"participants": '[{"type": "none", "id": "x"}]'},
        Case("participants[0]", "a 'none' participant takes no id, username or name"),
    ),
    ({"time_restriction": '{"type": "sometimes"}'}, Case("time_restriction.type", "Input should be")),
    (
        {"time_restriction": '{"type": "time-of-day", "restrictions": [WINDOW, WINDOW]}'},
        Case("time_restriction", "a time-of-day restriction needs 'restriction'"),
    ),
    (
        {"time_restriction": '{"type": WEEKLY, "restrictions": []}'},
        Case("time_restriction", "'restrictions' should hold 1 to 15 windows"),
    ),
    (
        {"time_restriction": '{"type": WEEKLY, "restrictions": [WINDOW] * 16}'},
        Case("time_restriction", "'restrictions' should hold 1 to 15 windows"),
    ),
    (
        {"time_restriction": '{"type": WEEKLY, "restrictions": [{**WINDOW, "end_day": 5}]}'},
        Case("time_restriction.restrictions[0].end_day", "Input should be 'monday'"),
    ),
    (
        {"time_restriction": '{"type": "time-of-day", "restriction": {**DAY, "start_hour": 24}}'},
        Case("time_restriction.restriction.start_hour", "less than or equal to 23"),
    ),
    (
        {"time_restriction": '{"type": "time-of-day", "restriction": {**DAY, "start_min": 75}}'},
        Case("time_restriction.restriction.start_min", "less than or equal to 59"),
    ),
    (
        {"time_restriction": '{"type": "time-of-day", "restriction": {**DAY, "end_hour": 9, "end_min": 10}}'},
        Case("time_restriction.restriction", "the window from 09:00 to 09:00 (minutes rounded"),
    ),
    (
        {
            "time_restriction": '{"type": WEEKLY, "restrictions": '
            '[WINDOW, {**WINDOW, "end_day": "monday", "end_hour": 9}]}'
        },
        Case("time_restriction.restrictions[1]", "from monday 09:00 to monday 09:00"),
    ),
)

BATCHES: tuple[Batch, ...] = (
    Batch(
        OPSGENIE + "Schedule",
        "og-schedule",
        'Schedule("og-schedule", name="x" * 101, description="d" * 201, timezone="Mars/Olympus_Mons",\n'
        '         enabled="sometimes", owner_team={}, shift="nights",\n'
        "         rotations=[" + ", ".join(rotation(**fields) for fields, _ in _ROTATIONS) + "])",
        (
            Case("name", "at most 100 characters"),
            Case("description", "at most 200 characters"),
            Case("timezone", "unknown time zone 'Mars/Olympus_Mons'"),
            Case("enabled", "Input should be a valid boolean"),
            Case("owner_team", "give id or name"),
            Case("shift", "Extra inputs are not permitted"),
            *(Case(f"rotations[{i}].{c.field}", c.reason) for i, (_, c) in enumerate(_ROTATIONS)),
        ),
    ),
    Batch(
        OPSGENIE + "ScheduleRotation",
        "og-rotation",
        'ScheduleRotation("og-rotation", schedule_id="", start_date="2024-13-01T00:00:00Z",\n'
        '    type="weekly", length=-2, participants=[{"type": "none", "username": "ghost"}], colour="blue",\n'
        '    time_restriction={"type": "time-of-day", "restriction": DAY, "restrictions": [WINDOW]})',
        (
            Case("schedule_id", "at least 1 character"),
            Case("start_date", "is not an ISO 8601 date-time"),
            Case("length", "greater than or equal to 1"),
            Case("participants[0]", "a 'none' participant takes no id, username or name"),
            Case("colour", "Extra inputs are not permitted"),
            Case("time_restriction", "takes 'restriction', not 'restrictions'"),
        ),
    ),
    Batch(
        OPSGENIE + "ScheduleOverride",
        "og-override",
        'ScheduleOverride("og-override", schedule_id="s-1", user={"type": "team", "name": "sre"},\n'
        '    start_date="2024-03-01", end_date="soon", rotations=[{}, {"id": "r1", "colour": "x"}])',
        (
            Case("user", "the override user should be of type 'user' or 'none'"),
            Case("start_date", "has no UTC offset"),
            Case("end_date", "is not an ISO 8601 date-time"),
            Case("rotations[0]", "give id or name"),
            Case("rotations[1].colour", "Extra inputs are not permitted"),
        ),
    ),
    Batch(
        IMBRACE,
        "im-fields",
        'Scheduler("im-fields", SchedulerArgs(name="  ", event_type="", type="sometimes",\n'
        '    trigger_frequency_unit="fortnights", trigger_frequency_value=0, trigger_time="9am",\n'
        '    trigger_day_of_week=9, trigger_day_of_month=40, start_datetime="tomorrow", paused="maybe",\n'
        '    description=42, job={"type": "kafka"}, files=["missing/menu.pdf", "",\n'
        '    pulumi.FileAsset("missing/logo.png"), pulumi.StringAsset("hi")]))',
        (
            Case("name", "must not be empty"),
            Case("event_type", "must not be empty"),
            Case("type", "Input should be 'recurring' or 'non_recurring'"),
            Case("trigger_frequency_unit", "Input should be 'minutes', 'days', 'weeks', 'months' or 'years'"),
            Case("trigger_frequency_value", "must be at least 1 (got 0)"),
            Case("trigger_time", "'9am' is not an ISO 8601 date-time"),
            Case("trigger_day_of_week", "must be 0 (Sunday) to 6 (Saturday), got 9"),
            Case("trigger_day_of_month", "must be 1 to 31, got 40"),
            Case("start_datetime", "'tomorrow' is not an ISO 8601 date-time"),
            Case("paused", "Input should be a valid boolean"),
            Case("description", "Input should be a valid string"),
            Case("job.topic", "is required for a kafka job"),
            Case("files[0]", "file 'missing/menu.pdf' not found"),
            Case("files[1]", "expected a local file path or a pulumi.FileAsset"),
            Case("files[2]", "file 'missing/logo.png' not found"),
            Case("files[3]", "a StringAsset cannot be attached"),
        ),
    ),
    Batch(
        IMBRACE,
        "im-conflicts",
        'Scheduler("im-conflicts", SchedulerArgs(name="conflicts", event_type="whatsapp",\n'
        '    trigger_frequency_unit="weeks", trigger_frequency_value=1, trigger_day_of_month=3,\n'
        '    trigger_month_and_day="2025-03-15T00:00:00Z", one_time_schedule_type="exact",\n'
        '    job=JobArgs(type="webhook", url="ftp://files.example.com", method="SEND", topic="T",\n'
        '                workflow_id="7", data="hello")))',
        (
            Case("trigger_day_of_month", "only applies to a monthly scheduler (unit months)"),
            Case("trigger_month_and_day", "only applies to a yearly scheduler (unit years)"),
            Case("one_time_schedule_type", "only applies to a one-time (non_recurring) scheduler"),
            Case("job.topic", "only applies to kafka jobs"),
            Case("job.workflow_id", "only applies to kafka jobs"),
            Case("job.url", "'ftp://files.example.com' is not an http(s) URL"),
            Case("job.method", "'SEND' is not one of GET, POST, PUT, PATCH, DELETE"),
            Case("job.data", "must be an object (a dict)"),
        ),
    ),
    Batch(
        IMBRACE,
        "im-one-time",
        'Scheduler("im-one-time", SchedulerArgs(name="once", event_type="whatsapp", type="non_recurring",\n'
        '    trigger_frequency_unit="days", trigger_frequency_value=1, trigger_time="1970-01-01T09:00:00Z",\n'
        '    job=JobArgs(type="webhook")))',
        (
            Case("trigger_frequency_unit", "only applies to a recurring scheduler"),
            Case("trigger_frequency_value", "only applies to a recurring scheduler"),
            Case("trigger_time", "only applies to a recurring scheduler"),
            Case("start_datetime", "is required for a one-time (non_recurring) scheduler"),
            Case("job.url", "is required for a webhook job"),
            Case("job.method", "is required for a webhook job"),
        ),
    ),
    Batch(
        IMBRACE,
        "im-missing",
        'Scheduler("im-missing", SchedulerArgs(name=None, event_type=None, job=None))',
        (
            Case("name", "Field required"),
            Case("event_type", "Field required"),
            Case("job", "Field required"),
            Case("trigger_frequency_unit", "is required for a recurring scheduler"),
            Case("trigger_frequency_value", "is required for a recurring scheduler"),
        ),
    ),
    Batch(
        IMBRACE,
        "im-yearly",
        'Scheduler("im-yearly", SchedulerArgs(name="yearly", event_type="crm",\n'
        '    trigger_frequency_unit="years", trigger_frequency_value=-1, trigger_day_of_week=2,\n'
        '    job=JobArgs(type="kafka", topic="T")))',
        (
            Case("trigger_frequency_value", "must be at least 1 (got -1)"),
            Case("trigger_month_and_day", "is required when trigger_frequency_unit is years"),
            Case("trigger_day_of_week", "only applies to a weekly scheduler (unit weeks)"),
        ),
    ),
    Batch(
        IMBRACE,
        "im-past",
        'Scheduler("im-past", SchedulerArgs(name="too late", event_type="whatsapp", type="non_recurring",\n'
        '    start_datetime="2020-01-01T09:00:00Z", job=JobArgs(type="kafka", topic="T")))',
        (Case("start_datetime", "must be in the future for a one-time (non_recurring) scheduler"),),
    ),
    Batch(
        OMNI + "Schedule",
        "om-fields",
        'OmniSchedule("om-fields", OmniArgs(schedule_id="not-a-uuid", paused="maybe",\n'
        '    delete_on_destroy="perhaps", recipients=["ops@example.com", "nobody", "a..b@example.com",\n'
        '    "12345678-1234-1234-1234-12345678"]))',
        (
            Case("schedule_id", "'not-a-uuid' is not a schedule id: Omni's ids are UUIDs"),
            Case("paused", "Input should be a valid boolean"),
            Case("delete_on_destroy", "Input should be a valid boolean"),
            Case("recipients[1]", "'nobody' is neither an email address nor an Omni user id"),
            Case("recipients[2]", "'a..b@example.com' is neither an email address"),
            Case("recipients[3]", "'12345678-1234-1234-1234-12345678' is neither an email address"),
        ),
    ),
    Batch(
        OMNI + "ScheduleTrigger",
        "om-trigger",
        'ScheduleTrigger("om-trigger", ScheduleTriggerArgs(schedule_id="0000", triggers="release-1",\n'
        '    api_version="v2"))',
        (
            Case("schedule_id", "'0000' is not a schedule id"),
            Case("triggers", "Input should be a valid dictionary"),
            Case("api_version", "Input should be 'v1' or 'unstable'"),
        ),
    ),
    Batch(
        OMNI + "Schedule",
        "om-webhook",
        f'OmniSchedule("om-webhook", OmniArgs(schedule_id="{ORDERS_2}", recipients=["ops@example.com"]))',
        (Case("recipients", "delivers to webhook: Omni's API changes recipients of email schedules only"),),
        reads=True,
    ),
    Batch(
        OMNI + "ScheduleTrigger",
        "om-unknown",
        f'ScheduleTrigger("om-unknown", ScheduleTriggerArgs(schedule_id="{NOBODY}"))',
        (Case("schedule_id", f"Omni has no schedule with id {NOBODY}"),),
        reads=True,
    ),
)
