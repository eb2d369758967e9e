"""Read-only iMBRACE look-ups for Pulumi programs: list schedulers, get one, get one of its files.

They run in the program's process and call the API directly, with the same settings as the
resource (:mod:`providers.imbrace.settings`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from providers._program import reported
from providers.imbrace.client import ImbraceClient
from providers.imbrace.models import SchedulerFile, SchedulerRecord
from providers.imbrace.settings import ImbraceSettings


def _client() -> ImbraceClient:
    return ImbraceSettings.from_program().client()


@reported("the schedulers")
def list_schedulers(event_type: str | Sequence[str] | None = None) -> list[SchedulerRecord]:
    """Every scheduler of the configured user, all pages: ``GET …/schedulers`` (``page``, ``limit``,
    ``event_type``).

    ``event_type``: one type (exact match), several (``["whatsapp_outbound", "telegram_outbound"]``,
    any of them — sent as ``contains:a,b``), or a raw ``"contains:…"`` filter.
    """
    if event_type is not None and not isinstance(event_type, str):
        event_type = "contains:" + ",".join(event_type) if event_type else None  # [] = no filter
    return list(_client().iter_schedulers(event_type or None))


@reported("scheduler '{scheduler_id}'")
def get_scheduler(scheduler_id: str) -> SchedulerRecord:
    """One scheduler by id: ``GET …/schedulers/{scheduler_id}``.

    None such ends the program with one line, or raises :class:`~providers.core.LookupGone`
    (a ``NotFoundError``) to a program that catches it.
    """
    return _client().get_scheduler(scheduler_id)


@reported("file '{file_id}' of scheduler '{scheduler_id}'")
def get_scheduler_file(scheduler_id: str, file_id: str) -> SchedulerFile:
    """Where a scheduler's file can be downloaded: ``file_url``, ``file_name``, type, size.

    Calls ``GET …/schedulers/{scheduler_id}/files/{file_id}``.
    """
    return _client().get_scheduler_file(scheduler_id, file_id)


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
