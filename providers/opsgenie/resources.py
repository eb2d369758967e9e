"""The Opsgenie resources a Pulumi program declares: ``Schedule``, ``ScheduleRotation``, ``ScheduleOverride``.

Arguments are keyword arguments typed by the ``*Args`` TypedDicts below (nested values
are plain dicts, e.g. ``{"type": "user", "username": "alice@example.com"}``); any of them
may be a ``pulumi.Output``. Credentials come from the stack config (``opsgenie:apiKey``,
secret), never from arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Required, TypedDict, Unpack

import pulumi

from providers._base import ResourceBase
from providers.opsgenie.provider import (
    ScheduleOverrideProvider,
    ScheduleProvider,
    ScheduleRotationProvider,
    split_id,
)

Day = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class ParticipantArgs(TypedDict, total=False):
    """A rotation participant or override user: by id, or by username (users) / name (teams, escalations)."""

    type: Required[pulumi.Input[Literal["user", "team", "escalation", "none"]]]
    """``user``, ``team``, ``escalation``, or ``none`` (a turn with nobody on call)."""
    id: pulumi.Input[str]
    """The entity's id."""
    username: pulumi.Input[str]
    """A user's username."""
    name: pulumi.Input[str]
    """A team's or escalation's name."""


class EntityRefArgs(TypedDict, total=False):
    """A team or rotation by id or name."""

    id: pulumi.Input[str]
    """Its id."""
    name: pulumi.Input[str]
    """Its name."""


class TimeOfDayRestrictionArgs(TypedDict):
    """A daily window in the schedule's time zone; minutes are rounded to 0 or 30."""

    start_hour: pulumi.Input[int]
    """Hour the window starts (0-23)."""
    start_min: pulumi.Input[int]
    """Minute the window starts."""
    end_hour: pulumi.Input[int]
    """Hour the window ends (0-23)."""
    end_min: pulumi.Input[int]
    """Minute the window ends."""


class WeekdayRestrictionArgs(TimeOfDayRestrictionArgs):
    """A weekly window: from ``start_day`` at the start time to ``end_day`` at the end time."""

    start_day: pulumi.Input[Day]
    """Day the window starts."""
    end_day: pulumi.Input[Day]
    """Day the window ends."""


class TimeRestrictionArgs(TypedDict, total=False):
    """When a rotation applies: ``time-of-day`` with ``restriction``, or the weekday form with a list."""

    type: Required[pulumi.Input[Literal["time-of-day", "weekday-and-time-of-day"]]]
    """Which form."""
    restriction: pulumi.Input[TimeOfDayRestrictionArgs]
    """The daily window (``time-of-day``)."""
    restrictions: pulumi.Input[Sequence[pulumi.Input[WeekdayRestrictionArgs]]]
    """1 to 15 weekly windows (``weekday-and-time-of-day``)."""


class RotationArgs(TypedDict, total=False):
    """A rotation: ``participants`` take turns of ``length`` hours/days/weeks from ``start_date``."""

    start_date: Required[pulumi.Input[str]]
    """Start of the first turn, ISO 8601 with offset; minutes rounded to :00/:30, kept in UTC."""
    type: Required[pulumi.Input[Literal["hourly", "daily", "weekly"]]]
    """Turn unit."""
    participants: Required[pulumi.Input[Sequence[pulumi.Input[ParticipantArgs]]]]
    """Who takes the turns, in order (at least one)."""
    name: pulumi.Input[str]
    """Rotation name (Opsgenie names an unnamed one "Rotation N"; that name is not managed)."""
    end_date: pulumi.Input[str]
    """End of the rotation, ISO 8601 with offset; none = never ends."""
    length: pulumi.Input[int]
    """Turn length in units of ``type`` (default 1)."""
    time_restriction: pulumi.Input[TimeRestrictionArgs]
    """Limits the rotation to daily or weekly windows."""


class ScheduleArgs(TypedDict, total=False):
    """Arguments of :class:`Schedule`; those left out are not managed (Opsgenie's values stay)."""

    name: Required[pulumi.Input[str]]
    """Unique schedule name (1-100 characters)."""
    description: pulumi.Input[str]
    """Description (at most 200 characters); removing it clears it."""
    timezone: pulumi.Input[str]
    """IANA time zone id, e.g. ``Europe/Berlin``."""
    enabled: pulumi.Input[bool]
    """Whether the schedule is enabled."""
    owner_team: pulumi.Input[EntityRefArgs]
    """Owner team by id or name."""
    rotations: pulumi.Input[Sequence[pulumi.Input[RotationArgs]]]
    """Every rotation of the schedule (replaced as a whole on change). Leave out to manage the
    rotations with :class:`ScheduleRotation` instead — never both on one schedule."""


class ScheduleRotationArgs(RotationArgs, total=False):
    """Arguments of :class:`ScheduleRotation`: a rotation plus the schedule it belongs to."""

    schedule_id: Required[pulumi.Input[str]]
    """Id of the schedule (e.g. ``Schedule.id``); changing it replaces the rotation."""


class ScheduleOverrideArgs(TypedDict, total=False):
    """Arguments of :class:`ScheduleOverride`."""

    schedule_id: Required[pulumi.Input[str]]
    """Id of the schedule; changing it replaces the override."""
    user: Required[pulumi.Input[ParticipantArgs]]
    """Who is on call instead: a user by username or id, or ``{"type": "none"}``."""
    start_date: Required[pulumi.Input[str]]
    """Start, ISO 8601 with offset."""
    end_date: Required[pulumi.Input[str]]
    """End, ISO 8601 with offset."""
    alias: pulumi.Input[str]
    """Key of the override in its schedule (default: the resource name); changing it replaces it."""
    rotations: pulumi.Input[Sequence[pulumi.Input[EntityRefArgs]]]
    """Rotations overridden, by id or name (default: all)."""


class Schedule(ResourceBase, module="opsgenie", name="Schedule"):
    """An Opsgenie on-call schedule. Import with ``ResourceOptions(import_=<id or name>)``."""

    name: pulumi.Output[str]
    """The schedule's name."""
    description: pulumi.Output[str | None]
    """Its description (when managed)."""
    timezone: pulumi.Output[str | None]
    """Its time zone (when managed)."""
    enabled: pulumi.Output[bool | None]
    """Whether it is enabled (when managed)."""
    owner_team: pulumi.Output[dict[str, str] | None]
    """The owner team as given."""
    rotations: pulumi.Output[list[dict[str, Any]] | None]
    """The rotations as given (normalised: UTC dates, rounded minutes)."""
    rotation_ids: pulumi.Output[list[str]]
    """Ids of the rotations, in order (empty when ``rotations`` is left out)."""
    participant_ids: pulumi.Output[list[list[str | None]]]
    """Per rotation, the resolved id of each participant (None for ``none``)."""
    owner_team_id: pulumi.Output[str | None]
    """The id of the owner team Opsgenie keeps (when ``owner_team`` is given). An API key whose
    integration belongs to a team makes that team the owner, whatever ``owner_team`` says: then
    this differs from it, with a warning, and no diff follows (docs/api-assumptions.md, O7)."""
    owner_team_name: pulumi.Output[str | None]
    """The name of that owner team."""

    def __init__(
        self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **args: Unpack[ScheduleArgs]
    ) -> None:
        super().__init__(ScheduleProvider(), resource_name, dict(args), opts)


class ScheduleRotation(ResourceBase, module="opsgenie", name="ScheduleRotation"):
    """One rotation of a schedule whose ``rotations`` argument is left out.

    Its id is ``<schedule id>/<rotation id>``; import with ``ResourceOptions(import_=that)``.
    """

    schedule_id: pulumi.Output[str]
    """The schedule's id."""
    rotation_id: pulumi.Output[str]
    """The rotation's own id."""
    participant_ids: pulumi.Output[list[str | None]]
    """The resolved id of each participant (None for ``none``)."""

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **args: Unpack[ScheduleRotationArgs],
    ) -> None:
        super().__init__(ScheduleRotationProvider(), resource_name, dict(args), opts)


class ScheduleOverride(ResourceBase, module="opsgenie", name="ScheduleOverride"):
    """Someone else (or nobody) on call in a schedule for a while.

    Its id is ``<schedule id>/<alias>``; import with ``ResourceOptions(import_=that)``
    (the alias then defaults to the imported one).
    """

    schedule_id: pulumi.Output[str]
    """The schedule's id."""
    alias: pulumi.Output[str]
    """The override's alias."""
    user_id: pulumi.Output[str | None]
    """The resolved id of the user (None for ``none``)."""
    rotation_ids: pulumi.Output[list[str]]
    """Ids of the rotations overridden (empty: all)."""

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **args: Unpack[ScheduleOverrideArgs],
    ) -> None:
        props: dict[str, Any] = dict(args)
        if props.get("alias") is None:
            # A known alias lets a create whose answer was lost be found; an import keeps its own.
            imported = opts.import_ if opts is not None else None
            props["alias"] = split_id(imported, "alias")[1] if imported else resource_name
        super().__init__(ScheduleOverrideProvider(), resource_name, props, opts)
