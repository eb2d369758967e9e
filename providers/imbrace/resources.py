"""The user-facing ``Scheduler`` resource and the iMBRACE functions (list, get, get file)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import pulumi

from providers._base import ResourceBase
from providers.imbrace.client import ImbraceClient, ImbraceSettings
from providers.imbrace.models import SchedulerFile, SchedulerRecord
from providers.imbrace.provider import SchedulerProvider


@dataclass
class JobArgs:
    """What a scheduler runs: a Kafka message (``type="kafka"``) or a webhook call (``type="webhook"``)."""

    type: pulumi.Input[str]
    """``kafka`` or ``webhook``."""
    topic: pulumi.Input[str] | None = None
    """Kafka topic, e.g. ``ROUTER.OUTGOING_MESSAGE`` (kafka; required there)."""
    workflow_id: pulumi.Input[str] | None = None
    """Workflow the Kafka message belongs to (kafka)."""
    url: pulumi.Input[str] | None = None
    """URL to call (webhook; required there)."""
    method: pulumi.Input[str] | None = None
    """HTTP method of the call: GET, POST, PUT, PATCH or DELETE (webhook; required there)."""
    data: pulumi.Input[Mapping[str, Any]] | None = None
    """Free-form payload handed to the job."""


@dataclass
class SchedulerArgs:
    """Arguments of a :class:`Scheduler` (see the README's iMBRACE section for the rules)."""

    name: pulumi.Input[str]
    """The scheduler's name."""
    event_type: pulumi.Input[str]
    """What it is for, e.g. ``whatsapp`` or ``board_automation``."""
    job: pulumi.Input[JobArgs] | pulumi.Input[Mapping[str, Any]]
    """What runs when it fires."""
    type: pulumi.Input[str] = "recurring"
    """``recurring`` or ``non_recurring`` (one-time, at ``start_datetime``)."""
    trigger_frequency_unit: pulumi.Input[str] | None = None
    """minutes, days, weeks, months or years (recurring; required there)."""
    trigger_frequency_value: pulumi.Input[int] | None = None
    """Every how many units it runs, at least 1 (recurring; required there)."""
    trigger_time: pulumi.Input[str] | None = None
    """Time of day it runs, an ISO date-time whose time part counts (recurring)."""
    trigger_month_and_day: pulumi.Input[str] | None = None
    """Month and day of a yearly run, an ISO date-time (required for unit years)."""
    trigger_day_of_week: pulumi.Input[int] | None = None
    """Day of a weekly run, 0 = Sunday … 6 = Saturday (unit weeks)."""
    trigger_day_of_month: pulumi.Input[int] | None = None
    """Day of a monthly run, 1 to 31 (unit months)."""
    start_datetime: pulumi.Input[str] | None = None
    """Start, ISO 8601 (no offset = UTC); required and in the future for a one-time scheduler."""
    one_time_schedule_type: pulumi.Input[str] | None = None
    """How a one-time scheduler fires, e.g. ``exact`` (non_recurring)."""
    description: pulumi.Input[str] = ""
    """Free text."""
    channel_source: pulumi.Input[str] = ""
    """The channel it belongs to."""
    paused: pulumi.Input[bool] = False
    """Whether it is paused."""
    files: pulumi.Input[Sequence[pulumi.Input[str | pulumi.FileAsset]]] = field(default_factory=list)
    """Files to attach: local paths (relative to the program directory) or ``pulumi.FileAsset``s.
    A change of content is an update; state keeps their SHA-256, not their bytes."""


def _file_path(entry: Any) -> Any:
    # The engine would hash a FileAsset itself and fail with its own error on a missing
    # file; as a path, the provider's check reports it under files[i] instead.
    if isinstance(entry, pulumi.FileAsset):
        return entry.path
    if isinstance(entry, pulumi.Asset | pulumi.Archive):
        return {"unsupported": type(entry).__name__}  # fails the check, naming the entry
    return entry


def _props(args: Any) -> dict[str, Any]:
    """A dataclass of args as the resource's properties (Outputs stay as they are)."""
    return {f.name: getattr(args, f.name) for f in fields(args)}


class Scheduler(ResourceBase, module="imbrace", name="Scheduler"):
    """An iMBRACE scheduler (``pulumi-python:dynamic/imbrace:Scheduler``).

    Import an existing one with ``opts=pulumi.ResourceOptions(import_="<scheduler id>")``.
    """

    name: pulumi.Output[str]
    event_type: pulumi.Output[str]
    type: pulumi.Output[str]
    trigger_frequency_unit: pulumi.Output[str | None]
    trigger_frequency_value: pulumi.Output[int | None]
    trigger_time: pulumi.Output[str | None]
    trigger_month_and_day: pulumi.Output[str | None]
    trigger_day_of_week: pulumi.Output[int | None]
    trigger_day_of_month: pulumi.Output[int | None]
    start_datetime: pulumi.Output[str | None]
    one_time_schedule_type: pulumi.Output[str | None]
    description: pulumi.Output[str]
    channel_source: pulumi.Output[str]
    paused: pulumi.Output[bool]
    job: pulumi.Output[dict[str, Any]]
    files: pulumi.Output[list[dict[str, Any]]]
    """Attached files as ``{name, path, size, sha256}``."""
    organization_id: pulumi.Output[str]
    is_finished: pulumi.Output[bool]
    start_date: pulumi.Output[str]
    """The start the API keeps (the one given, or when a recurring scheduler without one was made)."""
    created_by: pulumi.Output[str | None]
    updated_by: pulumi.Output[str | None]
    created_at: pulumi.Output[str]
    updated_at: pulumi.Output[str]
    uploaded_files: pulumi.Output[list[dict[str, Any]]]
    """The API's record of the uploads: ``file_id``, ``name``, ``size``, ``file_type``, ``file_url``, …"""

    def __init__(
        self, resource_name: str, args: SchedulerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = _props(args)
        if isinstance(args.job, JobArgs):
            props["job"] = {k: v for k, v in _props(args.job).items() if v is not None}
        props["files"] = pulumi.Output.from_input(args.files if args.files is not None else []).apply(
            lambda entries: [_file_path(e) for e in entries]
        )
        super().__init__(SchedulerProvider(), resource_name, props, opts)


# ---- functions (they run in the program's process) ----------------------------------------------
def _settings() -> ImbraceSettings:
    config = pulumi.Config("imbrace")
    return ImbraceSettings.resolve(lambda key, env: config.get(key) or os.environ.get(env))


def list_schedulers(event_type: str | Sequence[str] | None = None) -> list[SchedulerRecord]:
    """Every scheduler of the configured user, all pages.

    ``event_type``: one type (exact match), several (``["whatsapp_outbound", "telegram_outbound"]``,
    any of them — sent as ``contains:a,b``), or a raw ``"contains:…"`` filter.
    """
    if event_type is not None and not isinstance(event_type, str):
        event_type = "contains:" + ",".join(event_type) if event_type else None  # [] = no filter
    return list(ImbraceClient(_settings()).iter_schedulers(event_type or None))


def get_scheduler(scheduler_id: str) -> SchedulerRecord:
    """One scheduler by id (raises ``providers._http.NotFoundError`` when there is none)."""
    return ImbraceClient(_settings()).get_scheduler(scheduler_id)


def get_scheduler_file(scheduler_id: str, file_id: str) -> SchedulerFile:
    """Where a scheduler's file can be downloaded: ``file_url``, ``file_name``, type, size."""
    return ImbraceClient(_settings()).get_scheduler_file(scheduler_id, file_id)


def list_schedulers_output(
    event_type: pulumi.Input[str] | pulumi.Input[Sequence[str]] | None = None,
) -> pulumi.Output[list[SchedulerRecord]]:
    """:func:`list_schedulers` for values that are Outputs."""
    return pulumi.Output.from_input(event_type).apply(list_schedulers)


def get_scheduler_output(scheduler_id: pulumi.Input[str]) -> pulumi.Output[SchedulerRecord]:
    """:func:`get_scheduler` for an id that is an Output (e.g. ``Scheduler.id``)."""
    return pulumi.Output.from_input(scheduler_id).apply(get_scheduler)


def get_scheduler_file_output(
    scheduler_id: pulumi.Input[str], file_id: pulumi.Input[str]
) -> pulumi.Output[SchedulerFile]:
    """:func:`get_scheduler_file` for ids that are Outputs."""
    return pulumi.Output.all(scheduler_id, file_id).apply(lambda ids: get_scheduler_file(ids[0], ids[1]))
