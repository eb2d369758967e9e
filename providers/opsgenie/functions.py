"""Read-only Opsgenie look-ups for Pulumi programs: schedules, timelines, the iCalendar export.

They run in the program's process and call the API directly, with the same settings
as the resources: ``opsgenie:apiKey`` (``OPSGENIE_API_KEY``), ``opsgenie:apiUrl``
(``OPSGENIE_API_URL``) and ``opsgenie:region`` (``OPSGENIE_REGION``). A read-only key
is enough. Each returns typed records; the ``*_output`` variants take Pulumi inputs
(e.g. ``schedule.id``) and return an ``Output`` — export plain data from it with
``.apply(lambda r: r.model_dump(mode="json"))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

import pulumi

from providers._program import reported
from providers.opsgenie.client import IdentifierType, OpsgenieClient, identifier_type_of
from providers.opsgenie.models import ScheduleRecord, ScheduleTimeline
from providers.opsgenie.settings import OpsgenieSettings

IntervalUnit = Literal["days", "weeks", "months"]
Expansion = Literal["base", "forwarding", "override"]
_UNITS = ("days", "weeks", "months")
_EXPANSIONS = ("base", "forwarding", "override")


def client() -> OpsgenieClient:
    """A client from the stack config (``opsgenie:*``) with the environment-variable fallbacks."""
    return OpsgenieSettings.from_program().client()


@reported("schedule '{identifier}'")
def get_schedule(identifier: str, identifier_type: IdentifierType | None = None) -> ScheduleRecord:
    """One schedule with its rotations, by id or name (default: id for a UUID, else name).

    Calls ``GET /v2/schedules/{identifier}`` (``identifierType=name`` for a name). A schedule that
    does not exist ends the program with one line (:class:`~providers.core.LookupGone`, a
    ``NotFoundError``, which a program may catch).
    """
    return client().get_schedule(identifier, identifier_type or identifier_type_of(identifier))


@reported("the schedules")
def list_schedules(expand_rotations: bool = False) -> list[ScheduleRecord]:
    """Every schedule of the account; with their rotations when ``expand_rotations``.

    Calls ``GET /v2/schedules`` (``expand=rotation`` with ``expand_rotations``).
    """
    return client().list_schedules(expand_rotations)


@reported("schedule '{identifier}'")
def get_schedule_timeline(
    identifier: str,
    identifier_type: IdentifierType | None = None,
    *,
    interval: int = 1,
    interval_unit: IntervalUnit = "weeks",
    date: datetime | str | None = None,
    expand: Sequence[Expansion] = (),
) -> ScheduleTimeline:
    """Who is on call from ``date`` (default: now) over ``interval`` ``interval_unit``.

    ``final_timeline`` always; ``base_timeline``, ``override_timeline`` and
    ``forwarding_timeline`` when ``expand`` names them. A naive ``date`` is taken as UTC.
    Calls ``GET /v2/schedules/{identifier}/timeline``; a schedule that does not exist ends the
    program with one line saying what to do (``pulumi up --refresh`` when the stack manages it).
    """
    if not isinstance(interval, int) or interval < 1:
        raise ValueError(f"interval should be a positive integer, not {interval!r}")
    if interval_unit not in _UNITS:
        raise ValueError(f"interval_unit should be one of {', '.join(_UNITS)}, not {interval_unit!r}")
    unknown = [e for e in expand if e not in _EXPANSIONS]
    if unknown:
        raise ValueError(f"expand takes {', '.join(_EXPANSIONS)}, not {', '.join(map(repr, unknown))}")
    if isinstance(date, datetime):
        aware = date if date.tzinfo else date.replace(tzinfo=UTC)
        date = aware.isoformat(timespec="seconds")
    return client().get_timeline(
        identifier,
        identifier_type or identifier_type_of(identifier),
        expand=list(expand),
        interval=interval,
        interval_unit=interval_unit,
        date=date,
    )


@reported("schedule '{identifier}'")
def export_schedule_ics(identifier: str, identifier_type: IdentifierType | None = None) -> str:
    """The schedule's on-call calendar as iCalendar (``.ics``) text.

    Calls ``GET /v2/schedules/{identifier}.ics``.
    """
    return client().export_ics(identifier, identifier_type or identifier_type_of(identifier))


def get_schedule_output(
    identifier: pulumi.Input[str], identifier_type: IdentifierType | None = None
) -> pulumi.Output[ScheduleRecord]:
    """:func:`get_schedule` for a Pulumi input (runs once the identifier is known)."""
    return pulumi.Output.from_input(identifier).apply(lambda i: get_schedule(i, identifier_type))


def get_schedule_timeline_output(
    identifier: pulumi.Input[str],
    identifier_type: IdentifierType | None = None,
    *,
    interval: int = 1,
    interval_unit: IntervalUnit = "weeks",
    date: datetime | str | None = None,
    expand: Sequence[Expansion] = (),
) -> pulumi.Output[ScheduleTimeline]:
    """:func:`get_schedule_timeline` for a Pulumi input."""
    return pulumi.Output.from_input(identifier).apply(
        lambda i: get_schedule_timeline(
            i, identifier_type, interval=interval, interval_unit=interval_unit, date=date, expand=expand
        )
    )


def export_schedule_ics_output(
    identifier: pulumi.Input[str], identifier_type: IdentifierType | None = None
) -> pulumi.Output[str]:
    """:func:`export_schedule_ics` for a Pulumi input."""
    return pulumi.Output.from_input(identifier).apply(lambda i: export_schedule_ics(i, identifier_type))
