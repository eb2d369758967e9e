"""Opsgenie's models: the resources' inputs (validated and normalised the way Opsgenie stores
them, with each field's behaviour declared), and the records of the API's answers (OAS
definitions/schedule*.yaml).

Field names are the Python (snake_case) argument names; each model's alias generator
gives the API's camelCase names (``start_date`` → ``startDate``) for request bodies, so
the mapping to the API is ``model_dump(by_alias=True)``.

Normalisation (so that an ``up`` is followed by a preview without changes):

- rotation dates become UTC instants (``2024-01-01T09:00:00+02:00`` →
  ``2024-01-01T07:00:00Z``), seconds dropped and minutes rounded to :00 or :30 — the docs:
  "Minutes may take 0 or 30 as value. Otherwise they will be converted to nearest 0 or 30
  automatically". Minutes 0-14 go to :00, 15-44 to :30, 45-59 to the next hour (ties up),
  rounded in UTC: the same choice as the sandbox (see the README for its one odd case);
- restriction minutes are rounded the same way, an hour carried over midnight moving the
  weekday of a ``weekday-and-time-of-day`` restriction;
- override dates become UTC instants to the second (the docs round rotation dates only).
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import InitErrorDetails, PydanticCustomError

from providers._fields import Behaviour
from providers.opsgenie.windows import DAYS, Day, never_open

RotationType = Literal["daily", "weekly", "hourly"]
ParticipantType = Literal["user", "team", "escalation", "none"]
RestrictionType = Literal["time-of-day", "weekday-and-time-of-day"]

NAME_LIMIT = 100
DESCRIPTION_LIMIT = 200
RESTRICTIONS_LIMIT = 15  # OAS WeekdayTimeRestrictionInterval maxItems
DATE_HINT = "an ISO 8601 date-time with a UTC offset, e.g. 2017-01-15T08:00:00+02:00"

# Field behaviour read by the base provider (providers._fields.Behaviour).
OPTIONAL = Behaviour(optional=True)  # left out: not managed, Opsgenie's value stays
REPLACES = Behaviour(replaces=True)
REMOVAL_REPLACES = Behaviour(replaces_when_removed=True)  # the OAS allows no null: a new object without it


class ApiModel(BaseModel):
    """Snake_case fields, camelCase on the wire; errors name the snake_case field."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        loc_by_alias=False,
    )


class Inputs(ApiModel):
    """A resource's inputs: unknown fields are errors (a misspelt argument must not pass)."""

    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- dates and times


def parse_instant(value: str) -> datetime:
    """An ISO 8601 date-time with an offset, as an aware datetime (ValueError otherwise)."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"'{value}' is not {DATE_HINT}") from None
    if moment.tzinfo is None:
        raise ValueError(f"'{value}' has no UTC offset: write {DATE_HINT}")
    return moment


def format_instant(moment: datetime) -> str:
    """A UTC instant as Opsgenie prints it: ``2017-02-06T05:00:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def round_half_hour(minutes: int) -> int:
    """Minutes rounded to a multiple of 30, 15 and 45 past going up (see the module docstring)."""
    return (minutes + 15) // 30 * 30


def rotation_date(value: str) -> str:
    """A rotation date as Opsgenie stores it: UTC, no seconds, minutes rounded to :00/:30."""
    moment = parse_instant(value).astimezone(UTC).replace(second=0, microsecond=0)
    return format_instant(moment + timedelta(minutes=round_half_hour(moment.minute) - moment.minute))


def override_date(value: str) -> str:
    """An override date as a UTC instant to the second."""
    return format_instant(parse_instant(value).replace(microsecond=0))


def ends_after_start(end: str, info: ValidationInfo) -> str:
    """An end date (normalised) that is after the start date validated before it."""
    start = info.data.get("start_date")
    if start is not None and end <= start:  # both in the same UTC format: text order is time order
        raise ValueError(f"{end} should be after start_date {start}")
    return end


RotationDate = Annotated[str, AfterValidator(rotation_date)]
RotationEnd = Annotated[str, AfterValidator(rotation_date), AfterValidator(ends_after_start)]
OverrideDate = Annotated[str, AfterValidator(override_date)]
OverrideEnd = Annotated[str, AfterValidator(override_date), AfterValidator(ends_after_start)]


@lru_cache(maxsize=1)
def _zone_ids() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_timezone(value: str) -> str:
    """An IANA time zone id known to the tz database (Opsgenie's "Supported Timezone IDs")."""
    if value not in _zone_ids():
        raise ValueError(f"unknown time zone '{value}': use an IANA id such as Europe/Berlin or UTC")
    return value


def check_name(value: str) -> str:
    """A schedule name: not blank."""
    if not value.strip():
        raise ValueError("should not be blank")
    return value


# ---------------------------------------------------------------- references


class EntityRef(Inputs):
    """A team (schedule owner) or a rotation (of an override), by id and/or name."""

    id: str | None = None
    """Its id."""
    name: str | None = None
    """Its name."""

    @model_validator(mode="after")
    def _named(self) -> EntityRef:
        if not self.id and not self.name:
            raise ValueError("give id or name")
        return self


class Participant(Inputs):
    """A rotation participant (or override user): a user, team or escalation, or ``none``."""

    type: ParticipantType
    """``user``, ``team``, ``escalation``, or ``none`` (a turn with nobody on call)."""
    id: str | None = None
    """The user's, team's or escalation's id."""
    username: str | None = None
    """A user's username (users only)."""
    name: str | None = None
    """A team's or escalation's name (teams and escalations only)."""

    @model_validator(mode="after")
    def _reference(self) -> Participant:
        label = {"user": "username", "team": "name", "escalation": "name"}.get(self.type)
        other = "name" if self.type == "user" else "username"
        if label is None:
            if self.id or self.username or self.name:
                raise ValueError("a 'none' participant takes no id, username or name")
        elif not self.id and not getattr(self, label):
            raise ValueError(f"a {self.type} participant needs id or {label}")
        elif getattr(self, other):
            raise ValueError(f"a {self.type} participant is named by id or {label}, not {other}")
        return self


# ---------------------------------------------------------------- time restrictions


def _round_clock(hour: int, minute: int) -> tuple[int, int, int]:
    """``(hour, minute, carry_days)`` with the minute rounded to 0 or 30."""
    carry, rest = divmod(round_half_hour(hour * 60 + minute), 24 * 60)
    return rest // 60, rest % 60, carry


def never_on_call(window: TimeOfDayRestriction, day: str) -> None:
    """Refuse a window that ends where it starts (after rounding): zero hours, or every hour?

    The docs do not say; either reading is a definition nobody means (register, O14).
    """
    if (window.start_hour, window.start_min) == (window.end_hour, window.end_min):
        at = f"{day}{window.start_hour:02d}:{window.start_min:02d}"
        raise ValueError(
            f"the window from {at} to {at} (minutes rounded to :00/:30) is never on call: "
            "end it at another time, or leave out time_restriction to be on call at all hours"
        )


class TimeOfDayRestriction(Inputs):
    """A daily window (``time-of-day``): from start to end, every day, in the schedule's time zone."""

    start_hour: int = Field(ge=0, le=23)
    """Hour the window starts (0-23)."""
    start_min: int = Field(ge=0, le=59)
    """Minute the window starts; rounded to 0 or 30 as Opsgenie does."""
    end_hour: int = Field(ge=0, le=23)
    """Hour the window ends (0-23)."""
    end_min: int = Field(ge=0, le=59)
    """Minute the window ends; rounded to 0 or 30 as Opsgenie does."""

    @model_validator(mode="after")
    def _round(self) -> TimeOfDayRestriction:
        self.start_hour, self.start_min, _ = _round_clock(self.start_hour, self.start_min)
        self.end_hour, self.end_min, _ = _round_clock(self.end_hour, self.end_min)
        never_on_call(self, "")
        return self


class WeekdayRestriction(TimeOfDayRestriction):
    """A weekly window (``weekday-and-time-of-day``): from start day and time to end day and time."""

    start_day: Day
    """Day the window starts (monday … sunday)."""
    end_day: Day
    """Day the window ends (monday … sunday)."""

    @model_validator(mode="after")
    def _round(self) -> WeekdayRestriction:
        # A time rounded past midnight (23:45 → 00:00) moves to the next day.
        self.start_hour, self.start_min, carry = _round_clock(self.start_hour, self.start_min)
        self.start_day = DAYS[(DAYS.index(self.start_day) + carry) % 7]
        self.end_hour, self.end_min, carry = _round_clock(self.end_hour, self.end_min)
        self.end_day = DAYS[(DAYS.index(self.end_day) + carry) % 7]
        if self.start_day == self.end_day:
            never_on_call(self, f"{self.start_day} ")
        return self


class TimeRestriction(Inputs):
    """When a rotation applies: ``time-of-day`` takes ``restriction``; the weekday form ``restrictions``."""

    type: RestrictionType
    """``time-of-day`` (one daily window) or ``weekday-and-time-of-day`` (weekly windows)."""
    restriction: TimeOfDayRestriction | None = None
    """The daily window (``time-of-day``)."""
    restrictions: list[WeekdayRestriction] | None = None
    """1 to 15 weekly windows (``weekday-and-time-of-day``)."""

    @model_validator(mode="before")
    @classmethod
    def _one_item_list(cls, data: Any) -> Any:
        # The docs' Get Schedule sample shows time-of-day with a one-item `restrictions`.
        if isinstance(data, dict) and data.get("type") == "time-of-day" and not data.get("restriction"):
            items = data.get("restrictions")
            if isinstance(items, list) and len(items) == 1 and isinstance(items[0], dict):
                day_keys = ("start_day", "end_day", "startDay", "endDay")
                item = {k: v for k, v in items[0].items() if k not in day_keys}
                return {**{k: v for k, v in data.items() if k != "restrictions"}, "restriction": item}
        return data

    @model_validator(mode="after")
    def _shape(self) -> TimeRestriction:
        if self.type == "time-of-day":
            if self.restriction is None:
                raise ValueError("a time-of-day restriction needs 'restriction' (one daily window)")
            if self.restrictions is not None:
                raise ValueError("a time-of-day restriction takes 'restriction', not 'restrictions'")
        else:
            if self.restriction is not None:
                raise ValueError(
                    "a weekday-and-time-of-day restriction takes 'restrictions', not 'restriction'"
                )
            if not self.restrictions or len(self.restrictions) > RESTRICTIONS_LIMIT:
                raise ValueError(f"'restrictions' should hold 1 to {RESTRICTIONS_LIMIT} windows")
        return self


# ---------------------------------------------------------------- rotations and schedules


class RotationInputs(Inputs):
    """A rotation: participants take turns of ``length`` hours, days or weeks from ``start_date``."""

    name: str | None = None
    """Rotation name (Opsgenie names an unnamed one "Rotation N"; that name is not managed)."""
    start_date: RotationDate
    """Start of the first turn, ISO 8601 with offset; minutes rounded to :00/:30, kept in UTC."""
    end_date: Annotated[RotationEnd | None, REMOVAL_REPLACES] = None
    """End of the rotation, ISO 8601 with offset; none = never ends (removing it replaces the rotation)."""
    type: RotationType
    """Turn unit."""
    length: int = Field(1, ge=1)
    """Turn length in units of ``type`` (default 1)."""
    participants: list[Participant] = Field(min_length=1)
    """Who takes the turns, in order (at least one)."""
    time_restriction: Annotated[TimeRestriction | None, REMOVAL_REPLACES] = None
    """Limits the rotation to daily or weekly windows (removing it replaces the rotation)."""


class ScheduleInputs(Inputs):
    """An on-call schedule; arguments left out are not managed (Opsgenie's defaults stay)."""

    name: Annotated[str, AfterValidator(check_name)] = Field(max_length=NAME_LIMIT)
    """Unique schedule name (1-100 characters)."""
    description: Annotated[str | None, Behaviour(optional=True, cleared_as="")] = Field(
        None, max_length=DESCRIPTION_LIMIT
    )
    """Description (at most 200 characters); removing it clears it."""
    timezone: Annotated[Annotated[str, AfterValidator(check_timezone)] | None, OPTIONAL] = None
    """IANA time zone id, e.g. ``Europe/Berlin``."""
    enabled: Annotated[bool | None, OPTIONAL] = None
    """Whether the schedule is enabled."""
    owner_team: Annotated[EntityRef | None, OPTIONAL] = None
    """Owner team by id or name."""
    rotations: Annotated[list[RotationInputs] | None, OPTIONAL] = Field(None, min_length=1)
    """Every rotation of the schedule (replaced as a whole on change). Leave out to manage the
    rotations with :class:`~providers.opsgenie.ScheduleRotation` instead — never both on one schedule."""

    @field_validator("rotations")
    @classmethod
    def _on_call_some_time(cls, rotations: list[RotationInputs] | None, info: ValidationInfo) -> Any:
        # Needs the zone: so here, not in RotationInputs (a ScheduleRotation's zone is its schedule's).
        zone = info.data.get("timezone")
        errors = [
            InitErrorDetails(
                type=PydanticCustomError(
                    "never_on_call",
                    "no window of the restriction opens between start_date and end_date ({zone}): "
                    "the rotation is never on call",
                    {"zone": zone},
                ),
                loc=(i, "time_restriction"),
                input=rotation.time_restriction,
            )
            for i, rotation in enumerate(rotations or ())
            if zone and never_open(rotation, zoneinfo.ZoneInfo(zone))
        ]
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return rotations


class ScheduleRotationInputs(RotationInputs):
    """A rotation managed on its own (the Schedule Rotation API)."""

    schedule_id: Annotated[str, REPLACES] = Field(min_length=1)
    """Id of the schedule (e.g. ``Schedule.id``); changing it replaces the rotation."""


class ScheduleOverrideInputs(Inputs):
    """Someone else (or nobody) on call in a schedule for a while."""

    schedule_id: Annotated[str, REPLACES] = Field(min_length=1)
    """Id of the schedule; changing it replaces the override."""
    alias: Annotated[str | None, REPLACES] = None
    """Key of the override in its schedule (default: the resource name); changing it replaces it."""
    user: Participant
    """Who is on call instead: a user by username or id, or ``{"type": "none"}``."""
    start_date: OverrideDate
    """Start, ISO 8601 with offset."""
    end_date: OverrideEnd
    """End, ISO 8601 with offset."""
    rotations: list[EntityRef] | None = None
    """Rotations overridden, by id or name (default: all)."""

    @field_validator("user")
    @classmethod
    def _user_or_none(cls, user: Participant) -> Participant:
        if user.type not in ("user", "none"):
            raise ValueError("the override user should be of type 'user' or 'none'")
        return user

    @field_validator("rotations")
    @classmethod
    def _empty_is_all(cls, rotations: list[EntityRef] | None) -> list[EntityRef] | None:
        return rotations or None  # an empty list also means "all rotations"


# ---------------------------------------------------------------- records of the API's answers
# They accept what the API adds (unknown fields are ignored) and are what the functions return
# (``get_schedule``, ``list_schedules``, ``get_schedule_timeline``). Their field names are the
# inputs' names, so a record's ``model_dump`` (without ids) reads back as inputs.


class Record(ApiModel):
    """A record of an API answer: fields the API adds are ignored."""

    model_config = ConfigDict(extra="ignore")


class EntityRecord(Record):
    """A team or rotation as the API shows it: id and name."""

    id: str | None = None
    """Its id."""
    name: str | None = None
    """Its name."""


class ParticipantRecord(EntityRecord):
    """A participant (OAS ``Recipient``): ``type`` with id and username (users) or name."""

    type: str
    """``user``, ``team``, ``escalation`` or ``none``."""
    username: str | None = None
    """A user's username."""


class RestrictionRecord(Record):
    """One restriction window (the day fields only in the weekday form)."""

    start_day: str | None = None
    """Day the window starts (weekday form)."""
    start_hour: int | None = None
    """Hour the window starts."""
    start_min: int | None = None
    """Minute the window starts."""
    end_day: str | None = None
    """Day the window ends (weekday form)."""
    end_hour: int | None = None
    """Hour the window ends."""
    end_min: int | None = None
    """Minute the window ends."""


class TimeRestrictionRecord(Record):
    """A rotation's time restriction (OAS ``TimeRestrictionInterval``)."""

    type: str
    """``time-of-day`` or ``weekday-and-time-of-day``."""
    restriction: RestrictionRecord | None = None
    """The daily window (``time-of-day``)."""
    restrictions: list[RestrictionRecord] | None = None
    """The weekly windows (``weekday-and-time-of-day``)."""


class RotationRecord(Record):
    """A rotation (OAS ``ScheduleRotation``)."""

    id: str
    """The rotation's id."""
    name: str | None = None
    """The rotation's name."""
    start_date: str
    """Start of the first turn (UTC)."""
    end_date: str | None = None
    """End of the rotation (UTC), if any."""
    type: str
    """``hourly``, ``daily`` or ``weekly``."""
    length: int = 1
    """Turn length in units of ``type``."""
    participants: list[ParticipantRecord] = []
    """Who takes the turns, in order."""
    time_restriction: TimeRestrictionRecord | None = None
    """When the rotation applies."""


class ScheduleMeta(Record):
    """A schedule's id, name and enabled state (OAS ``ScheduleMeta``)."""

    id: str
    """The schedule's id."""
    name: str | None = None
    """The schedule's name."""
    enabled: bool | None = None
    """Whether it is enabled."""


class ScheduleRecord(ScheduleMeta):
    """A schedule (OAS ``Schedule``); ``rotations`` is empty when the answer leaves them out."""

    description: str | None = None
    """Its description."""
    timezone: str | None = None
    """Its IANA time zone."""
    owner_team: EntityRecord | None = None
    """Its owner team."""
    rotations: list[RotationRecord] = []
    """Its rotations, in order."""


class OverrideRecord(Record):
    """A schedule override (OAS ``ScheduleOverride``)."""

    parent: ScheduleMeta | None = Field(None, alias="_parent")
    """The schedule."""
    alias: str
    """The override's key within its schedule."""
    user: ParticipantRecord
    """Who is on call instead (a user, or ``none``)."""
    start_date: str
    """Start of the override (UTC)."""
    end_date: str
    """End of the override (UTC)."""
    rotations: list[EntityRecord] = []
    """Rotations overridden; empty for all."""


# ---------------------------------------------------------------- timeline


class TimelineRecipient(Record):
    """Who is on call in a period (OAS ``TimelineRecipient``)."""

    id: str | None = None
    """Its id."""
    name: str | None = None
    """Its name (a user's username)."""
    type: str | None = None
    """``user``, ``team`` or ``escalation``."""
    forwarded_from: str | None = None
    """Historical periods: who forwarded to it."""


class TimelinePeriod(Record):
    """A span of on-call time (OAS ``TimelinePeriod``)."""

    start_date: datetime
    """Start (aware datetime)."""
    end_date: datetime
    """End (aware datetime)."""
    type: str
    """``default``, ``override``, ``forwarding`` or ``historical``."""
    from_user: str | None = None
    """Forwarding periods: the user forwarded from."""
    recipient: TimelineRecipient | None = None
    """Who is on call."""
    flattened_recipients: list[TimelineRecipient] = []
    """Historical periods: everyone who was on call."""


class TimelineRotation(Record):
    """One rotation's periods (OAS ``TimelineRotation``)."""

    id: str | None = None
    """The rotation's id."""
    name: str | None = None
    """The rotation's name."""
    order: float | None = None
    """Its position in the schedule."""
    periods: list[TimelinePeriod] = []
    """Its periods, in time order."""


class Timeline(Record):
    """A timeline: per rotation, its periods."""

    rotations: list[TimelineRotation] = []
    """The rotations' periods."""


class ScheduleTimeline(Record):
    """Who is on call in a schedule over a window (OAS ``ScheduleTimeline``)."""

    parent: ScheduleMeta | None = Field(None, alias="_parent")
    """The schedule."""
    start_date: datetime
    """Start of the window."""
    end_date: datetime
    """End of the window."""
    final_timeline: Timeline = Timeline()
    """Who is on call, overrides applied."""
    base_timeline: Timeline | None = None
    """The rotations alone (``expand`` with ``base``)."""
    override_timeline: Timeline | None = None
    """The overrides alone (``expand`` with ``override``)."""
    forwarding_timeline: Timeline | None = None
    """Forwarding rules (``expand`` with ``forwarding``)."""
