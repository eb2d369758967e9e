"""Read-only Omni look-ups for Pulumi programs: list schedules, find one, explain a cron.

:func:`list_schedules` and :func:`find_schedule` run in the program and call Omni with the same
settings as the resources (:mod:`providers.omni.settings`); :func:`explain_cron` calls nothing.
Each has an ``*_output`` variant that takes and returns Outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pulumi

from providers._program import NoMatch, reported
from providers.omni import cron
from providers.omni.client import OmniClient
from providers.omni.models import (
    ContentType,
    Destination,
    ListFilters,
    OmniSchedule,
    ScheduleStatus,
    ScheduleType,
    SortDirection,
    SortField,
)
from providers.omni.settings import OmniSettings


def program_client() -> OmniClient:
    """The client of a Pulumi program (or script): stack config ``omni:*``, else the environment."""
    return OmniSettings.from_program().client()


@reported("the schedules")
def list_schedules(
    *,
    q: str | None = None,
    status: ScheduleStatus | None = None,
    destination: Destination | None = None,
    schedule_type: ScheduleType | None = None,
    content_type: ContentType | None = None,
    identifier: str | None = None,
    owner_id: str | None = None,
    sort_field: SortField | None = None,
    sort_direction: SortDirection | None = None,
) -> list[OmniSchedule]:
    """Every schedule Omni lists (all pages) that matches the filters, in Omni's order.

    ``q`` searches names, dashboard names and owner names; ``status`` is the last run's
    (success, error, canceled, none); ``sort_field`` is scheduleName (Omni's default),
    dashboardName, ownerName, lastRun or lastRunStatus; ``sort_direction`` asc or desc.
    Calls ``GET /api/v1/schedules`` once per page.
    """
    filters = ListFilters(
        q=q,
        status=status,
        destination=destination,
        schedule_type=schedule_type,
        content_type=content_type,
        identifier=identifier,
        owner_id=owner_id,
        sort_field=sort_field,
        sort_direction=sort_direction,
    )
    return program_client().list_schedules(filters)[0]


@reported("the schedules")
def find_schedule(
    *, name: str | None = None, dashboard_name: str | None = None, identifier: str | None = None
) -> OmniSchedule:
    """The one schedule with this exact name, dashboard name and/or dashboard identifier.

    LookupError when none or several match (the message lists them: names are not unique
    in Omni, so add ``dashboard_name`` or ``identifier`` to tell them apart); uncaught, it ends
    the program with that one line. Calls :func:`list_schedules` (``GET /api/v1/schedules``).
    """
    wanted = {"name": name, "dashboard_name": dashboard_name, "identifier": identifier}
    wanted = {k: v for k, v in wanted.items() if v is not None}
    if not wanted:
        raise ValueError("find_schedule needs a name, a dashboard_name or an identifier")
    matches = [
        s
        for s in list_schedules(q=name or dashboard_name, identifier=identifier)
        if all(getattr(s, k) == v for k, v in wanted.items())
    ]
    what = ", ".join(f"{k}={v!r}" for k, v in wanted.items())
    if not matches:
        raise NoMatch(f"omni: no schedule with {what}")
    if len(matches) > 1:
        found = "; ".join(f"{s.label} on dashboard {s.dashboard_name!r}" for s in matches)
        raise NoMatch(f"omni: {len(matches)} schedules have {what}: {found}")
    return matches[0]


@dataclass(frozen=True)
class CronExplanation:
    """The next run times of an Omni cron in its time zone."""

    cron: str
    """The cron as given."""
    timezone: str
    """The IANA time zone the times are in."""
    next_runs: list[datetime]
    """The next run times (aware datetimes in ``timezone``); empty when it never runs again."""

    def __str__(self) -> str:
        runs = ", ".join(r.strftime("%a %Y-%m-%d %H:%M %Z") for r in self.next_runs) or "never again"
        return f"{self.cron} ({self.timezone}): {runs}"


def explain_cron(
    cron_expression: str, timezone: str = "UTC", *, count: int = 5, after: datetime | str | None = None
) -> CronExplanation:
    """The next ``count`` runs of an Omni cron (``minutes hours day-of-month month day-of-week year``).

    Calls nothing: computed here (:mod:`providers.omni.cron`).

    ``after`` (an aware datetime or an ISO 8601 string with offset) defaults to now.
    Raises :class:`~providers.omni.cron.CronError` (a ValueError)
    naming the field that Omni's cron syntax does not allow.
    """
    runs = cron.next_runs(cron_expression, timezone, count, after)
    return CronExplanation(cron_expression, timezone, runs)


def _call(function: Any, arguments: Mapping[str, Any]) -> Any:
    return function(**arguments)


def list_schedules_output(**filters: pulumi.Input[Any]) -> pulumi.Output[list[OmniSchedule]]:
    """:func:`list_schedules` taking Inputs and returning an Output."""
    return pulumi.Output.from_input(filters).apply(lambda f: _call(list_schedules, f))


def find_schedule_output(**criteria: pulumi.Input[str | None]) -> pulumi.Output[OmniSchedule]:
    """:func:`find_schedule` taking Inputs and returning an Output."""
    return pulumi.Output.from_input(criteria).apply(lambda c: _call(find_schedule, c))


def explain_cron_output(
    cron_expression: pulumi.Input[str], timezone: pulumi.Input[str] = "UTC", *, count: int = 5
) -> pulumi.Output[CronExplanation]:
    """:func:`explain_cron` for Outputs, e.g. ``explain_cron_output(s.schedule, s.timezone)``."""
    return pulumi.Output.all(cron_expression, timezone).apply(lambda a: explain_cron(a[0], a[1], count=count))
