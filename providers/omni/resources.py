"""The user-facing Omni resources and functions.

- :class:`Schedule` adopts an existing Omni schedule (Omni's API cannot create one) and
  manages its paused state, its recipients and whether destroy deletes it.
- :class:`ScheduleTrigger` runs a schedule when created and whenever ``triggers`` change.
- :func:`list_schedules`, :func:`find_schedule` and :func:`explain_cron` run in the
  program, with ``*_output`` variants that take and return Outputs.

Settings: ``omni:baseUrl`` (``https://<org>.omniapp.co``) and the secret ``omni:apiToken``,
or the ``OMNI_BASE_URL`` and ``OMNI_API_TOKEN`` environment variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pulumi

from providers._base import ConfigError, ResourceBase
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
from providers.omni.provider import OmniScheduleProvider, OmniScheduleTriggerProvider, connect


@dataclass
class ScheduleArgs:
    """The arguments of :class:`Schedule`."""

    schedule_id: pulumi.Input[str] | None = None
    """The UUID of the existing schedule to adopt (in its edit page's URL, after ``/schedules/``).
    A change replaces the resource. May be left out when ``opts.import_`` names the schedule."""
    paused: pulumi.Input[bool] | None = None
    """True pauses the schedule, False resumes it; left out, Pulumi leaves it as it is."""
    recipients: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """Email addresses and Omni user ids (UUIDs) Pulumi adds to an email schedule and removes again
    when they leave this list; recipients Pulumi never added are left alone. Left out: not managed."""
    delete_on_destroy: pulumi.Input[bool] | None = None
    """True: ``pulumi destroy`` deletes the schedule in Omni. False (the default): it only releases it."""


class Schedule(ResourceBase, module="omni", name="Schedule"):
    """An existing Omni schedule, adopted by id: paused state, recipients, deletion.

    Its outputs are the fields Omni's list shows. Omni never returns the recipient list,
    only ``recipient_count``: a refresh sees recipients changed outside Pulumi as a count
    different from the one after Pulumi's last change, and the next ``up`` adds the
    declared recipients again (ones added outside Pulumi cannot be identified, so stay).
    """

    schedule_id: pulumi.Output[str]
    """The schedule's UUID."""
    paused: pulumi.Output[bool | None]
    """The paused state Pulumi manages (None when not managed; see ``disabled_at``)."""
    recipients: pulumi.Output[list[str] | None]
    """The recipients Pulumi manages (lower-cased, sorted)."""
    delete_on_destroy: pulumi.Output[bool]
    """Whether destroy deletes the schedule in Omni."""
    name: pulumi.Output[str]
    """The schedule's name."""
    schedule: pulumi.Output[str]
    """Its cron, EventBridge style (see :func:`explain_cron`)."""
    timezone: pulumi.Output[str]
    """The time zone its cron runs in."""
    identifier: pulumi.Output[str | None]
    """The identifier of the dashboard it delivers."""
    dashboard_name: pulumi.Output[str | None]
    """The dashboard's name."""
    owner_id: pulumi.Output[str | None]
    """The owner's user id (when Omni lists it)."""
    owner_name: pulumi.Output[str | None]
    """The owner's name."""
    destination_type: pulumi.Output[str | None]
    """email, slack, webhook, sftp, s3…"""
    format: pulumi.Output[str | None]
    """The delivery format (when Omni lists it)."""
    recipient_count: pulumi.Output[int | None]
    """How many recipients it has (-1 for destinations without a list)."""
    content: pulumi.Output[str | None]
    """``dashboard`` or ``single tile``."""
    last_status: pulumi.Output[str | None]
    """The status of its last run (e.g. COMPLETE, ERROR_DELIVERED)."""
    last_completed_at: pulumi.Output[str | None]
    """When its last run completed."""
    disabled_at: pulumi.Output[str | None]
    """When it was paused; None while it runs."""
    system_disabled_at: pulumi.Output[str | None]
    """When Omni disabled it (Omni then refuses pause and resume)."""
    system_disabled_reason: pulumi.Output[str | None]
    """Why Omni disabled it."""
    slack_recipient_type: pulumi.Output[str | None]
    """For Slack schedules, the kind of recipients."""
    alert: pulumi.Output[Any]
    """The alert condition of an alert, None for a plain schedule."""

    def __init__(
        self, resource_name: str, args: ScheduleArgs | None = None, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        args = args or ScheduleArgs()
        schedule_id = args.schedule_id
        if schedule_id is None and opts is not None and opts.import_:
            schedule_id = opts.import_
        props = {
            "schedule_id": schedule_id,
            "paused": args.paused,
            "recipients": args.recipients,
            "delete_on_destroy": args.delete_on_destroy,
        }
        super().__init__(OmniScheduleProvider(), resource_name, props, opts)


@dataclass
class ScheduleTriggerArgs:
    """The arguments of :class:`ScheduleTrigger`."""

    schedule_id: pulumi.Input[str]
    """The UUID of the schedule to run. A change replaces the trigger, which runs the new schedule."""
    triggers: pulumi.Input[Mapping[str, Any]] | None = None
    """Any values: the schedule runs again whenever one of them changes (as pulumi-command's ``triggers``)."""
    api_version: pulumi.Input[str] | None = None
    """``v1`` (the default) or ``unstable`` (the beta trigger endpoint). A change alone runs nothing."""


class ScheduleTrigger(ResourceBase, module="omni", name="ScheduleTrigger"):
    """Runs an Omni schedule on demand: when created and whenever ``triggers`` change.

    Destroying it does nothing in Omni. When Omni's answer is lost (timeout, dropped
    connection) the run may have started, so it is not sent again: the trigger is recorded
    with ``confirmed`` false rather than risk a second delivery.
    """

    schedule_id: pulumi.Output[str]
    """The schedule it runs."""
    triggers: pulumi.Output[dict[str, Any] | None]
    """The values whose change runs it again."""
    api_version: pulumi.Output[str]
    """The trigger endpoint used: v1 or unstable."""
    triggered_at: pulumi.Output[str]
    """When Pulumi last asked Omni to run the schedule (UTC, ISO 8601)."""
    confirmed: pulumi.Output[bool]
    """Whether Omni confirmed that run (false when its answer was lost)."""

    def __init__(
        self, resource_name: str, args: ScheduleTriggerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = {"schedule_id": args.schedule_id, "triggers": args.triggers, "api_version": args.api_version}
        super().__init__(OmniScheduleTriggerProvider(), resource_name, props, opts)


# ---- functions ------------------------------------------------------------------------------
def _setting(config: pulumi.Config, key: str, env: str) -> str:
    value = config.get(key) or os.environ.get(env)
    if not value:
        raise ConfigError(
            f"omni: missing setting 'omni:{key}': run `pulumi config set [--secret] omni:{key} <value>` "
            f"or set the {env} environment variable"
        )
    return value


def program_client() -> OmniClient:
    """The client of a Pulumi program (or script): stack config ``omni:*``, else the environment."""
    config = pulumi.Config("omni")
    return connect(
        _setting(config, "baseUrl", "OMNI_BASE_URL"), _setting(config, "apiToken", "OMNI_API_TOKEN")
    )


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


def find_schedule(
    *, name: str | None = None, dashboard_name: str | None = None, identifier: str | None = None
) -> OmniSchedule:
    """The one schedule with this exact name, dashboard name and/or dashboard identifier.

    LookupError when none or several match (the message lists them: names are not unique
    in Omni, so add ``dashboard_name`` or ``identifier`` to tell them apart).
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
        raise LookupError(f"omni: no schedule with {what}")
    if len(matches) > 1:
        found = "; ".join(f"{s.label} on dashboard {s.dashboard_name!r}" for s in matches)
        raise LookupError(f"omni: {len(matches)} schedules have {what}: {found}")
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
