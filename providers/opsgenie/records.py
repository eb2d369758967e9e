"""The Opsgenie API's records as typed models (OAS definitions/schedule*.yaml), read from its answers.

They accept what the API adds (unknown fields are ignored) and are what the functions
return (``get_schedule``, ``list_schedules``, ``get_schedule_timeline``). Their field names
are the inputs' names, so a record's ``model_dump`` (without ids) reads back as inputs.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field

from providers.opsgenie.models import ApiModel


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
