"""Omni's records and the inputs of the Omni resources, normalised the way Omni compares them.

The inputs are snake_case (the Python argument names); the API's records keep their
camelCase names only as aliases, so ``OmniSchedule.model_validate(record)`` reads a list
record as printed and the rest of the package uses snake_case attributes.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from providers._fields import Behaviour

ApiVersion = Literal["v1", "unstable"]
"""The trigger endpoint: ``v1`` (``/api/v1``) or the beta ``unstable``."""

# A UUID as Omni's validation takes it: 8-4-4-4-12 hex digits, any version.
_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
# An address Omni's (zod) email check accepts: no leading dot, no "..", a dotted domain.
_EMAIL_RE = re.compile(
    r"^(?!\.)(?!.*\.\.)[A-Z0-9_'+\-.]*[A-Z0-9_+-]@([A-Z0-9][A-Z0-9\-]*\.)+[A-Z]{2,}$", re.IGNORECASE
)


def is_uuid(value: str) -> bool:
    """Whether ``value`` is shaped like a UUID."""
    return _UUID_RE.match(value) is not None


def _uuid_validator(what: str) -> AfterValidator:
    def check(value: str) -> str:
        value = value.strip()
        if not is_uuid(value):
            raise ValueError(f"'{value}' is not {what}: Omni's ids are UUIDs")
        return value.lower()

    return AfterValidator(check)


def _recipient(value: str) -> str:
    value = value.strip()
    if is_uuid(value) or _EMAIL_RE.match(value):
        # Omni matches recipients case-insensitively, so the lower-case form is the canonical one.
        return value.lower()
    raise ValueError(f"'{value}' is neither an email address nor an Omni user id (a UUID)")


def _distinct_sorted(values: list[str] | None) -> list[str] | None:
    return None if values is None else sorted(set(values))


STATE_ONLY = Behaviour(state_only=True)  # not in Omni's answers, or not Omni's at all
ScheduleId = Annotated[str, _uuid_validator("a schedule id")]
UserId = Annotated[str, _uuid_validator("a user id")]
Recipient = Annotated[str, AfterValidator(_recipient)]


class ScheduleInputs(BaseModel):
    """The inputs of ``Schedule``: an existing Omni schedule, adopted by id, and what Pulumi manages on it."""

    model_config = ConfigDict(extra="forbid")

    schedule_id: Annotated[ScheduleId, Behaviour(replaces=True)]
    """The UUID of the existing schedule to adopt (in its edit page's URL, after ``/schedules/``).
    A change replaces the resource. May be left out when ``opts.import_`` names the schedule."""
    paused: Annotated[bool | None, Behaviour(optional=True)] = None
    """True pauses the schedule, False resumes it; left out, Pulumi leaves it as it is."""
    recipients: Annotated[list[Recipient] | None, AfterValidator(_distinct_sorted), STATE_ONLY] = None
    """Email addresses and Omni user ids (UUIDs) Pulumi adds to an email schedule and removes again
    when they leave this list; recipients Pulumi never added are left alone. Left out: not managed."""
    delete_on_destroy: Annotated[bool, STATE_ONLY] = False
    """True: ``pulumi destroy`` deletes the schedule in Omni. False (the default): it only releases it."""


class ScheduleTriggerInputs(BaseModel):
    """The inputs of ``ScheduleTrigger``: which schedule to run, and when to run it again."""

    model_config = ConfigDict(extra="forbid")

    schedule_id: Annotated[ScheduleId, Behaviour(replaces=True)]
    """The UUID of the schedule to run. A change replaces the trigger, which runs the new schedule."""
    triggers: dict[str, Any] | None = None
    """Any values: the schedule runs again whenever one of them changes (as pulumi-command's ``triggers``)."""
    api_version: ApiVersion = "v1"
    """``v1`` (the default) or ``unstable`` (the beta trigger endpoint). A change alone runs nothing."""


class OmniSchedule(BaseModel):
    """One schedule as ``GET /api/v1/schedules`` lists it (Omni has no get-by-id)."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
    )

    id: str
    """The schedule's UUID."""
    name: str = ""
    """The schedule's name."""
    schedule: str = ""
    """Its cron, EventBridge style: minutes hours day-of-month month day-of-week year."""
    timezone: str = "UTC"
    """The IANA time zone the cron runs in."""
    identifier: str | None = None
    """The identifier of the dashboard it delivers."""
    dashboard_name: str | None = None
    """The name of the dashboard it delivers."""
    owner_id: str | None = None
    """The owner's user id (newer Omni versions list it; None otherwise)."""
    owner_name: str | None = None
    """The owner's name."""
    destination_type: str | None = None
    """Where it delivers: email, slack, webhook, sftp, s3…"""
    format: str | None = None
    """The delivery format (newer Omni versions list it; None otherwise)."""
    recipient_count: int | None = None
    """How many recipients it has (-1 for destinations without a recipient list)."""
    content: str | None = None
    """What it delivers: ``dashboard`` or ``single tile``."""
    last_status: str | None = None
    """The status of its last run (e.g. COMPLETE, ERROR_DELIVERED), None if it never ran."""
    last_completed_at: str | None = None
    """When its last run completed (ISO 8601)."""
    disabled_at: str | None = None
    """When it was paused (ISO 8601); None while it runs."""
    system_disabled_at: str | None = None
    """When Omni disabled it (ISO 8601); Omni then refuses to pause or resume it."""
    system_disabled_reason: str | None = None
    """Why Omni disabled it."""
    slack_recipient_type: str | None = None
    """For Slack schedules, the kind of recipients (e.g. ``users``)."""
    alert: Any = None
    """The alert condition of an alert, None for a plain schedule."""

    @property
    def paused(self) -> bool:
        """Whether the schedule is paused."""
        return self.disabled_at is not None

    @property
    def label(self) -> str:
        """How messages name the schedule: its name and id."""
        return f"'{self.name}' ({self.id})" if self.name else self.id

    @property
    def system_disabled_note(self) -> str:
        """When and why Omni disabled the schedule."""
        return f"since {self.system_disabled_at}: {self.system_disabled_reason or 'no reason given'}"

    NOT_OUTPUTS: ClassVar[frozenset[str]] = frozenset({"id", "disabled_at"})
    """Fields the ``Schedule`` resource does not output: the id is the resource's, and the pause
    time is Omni's own, which no pause answer carries (``paused`` says whether it is paused)."""

    def outputs(self) -> dict[str, Any]:
        """The record as the ``Schedule`` resource's outputs (snake_case, see ``NOT_OUTPUTS``)."""
        return self.model_dump(mode="json", exclude=set(self.NOT_OUTPUTS))


class PageInfo(BaseModel):
    """The list's cursor pagination: ``nextCursor`` is the next page number."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    has_next_page: bool = False
    next_cursor: str | int | None = None
    page_size: int | None = None
    total_records: int | None = None


class SchedulePage(BaseModel):
    """One page of ``GET /api/v1/schedules``."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    page_info: PageInfo = Field(default_factory=PageInfo)
    records: list[OmniSchedule] = Field(default_factory=list)


ScheduleStatus = Literal["success", "error", "canceled", "none"]
Destination = Literal["email", "slack", "webhook", "sftp", "s3"]
ScheduleType = Literal["alert", "schedule"]
ContentType = Literal["dashboard", "single tile"]
SortField = Literal["scheduleName", "dashboardName", "ownerName", "lastRun", "lastRunStatus"]
SortDirection = Literal["asc", "desc"]


class ListFilters(BaseModel):
    """The list's filters and sorting (the query parameters of ``GET /api/v1/schedules``)."""

    model_config = ConfigDict(extra="forbid")

    q: str | None = None
    """Case-insensitive search in the schedule's name, dashboard name or owner name."""
    status: ScheduleStatus | None = None
    """The last delivery's status."""
    destination: Destination | None = None
    """The destination type."""
    schedule_type: ScheduleType | None = None
    """``alert`` or ``schedule``."""
    content_type: ContentType | None = None
    """``dashboard`` or ``single tile``."""
    identifier: str | None = None
    """The dashboard's identifier."""
    owner_id: UserId | None = None
    """The owner's user id (a UUID)."""
    sort_field: SortField | None = None
    """Sort by this field (Omni's default: scheduleName)."""
    sort_direction: SortDirection | None = None
    """``asc`` or ``desc`` (Omni's default: desc)."""
