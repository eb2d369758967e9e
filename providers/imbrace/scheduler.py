"""The iMBRACE ``Scheduler``: its arguments, its provider (which calls to make for each step of
the lifecycle, with the files' uploads) and the resource."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pulumi
import requests
from pulumi.dynamic import CheckFailure
from pydantic import ValidationError

from providers._base import IMPORT_KEY, Live, LostCreate, ProviderBase
from providers._http import error_context
from providers._resource import ResourceBase
from providers.imbrace.client import API, ImbraceClient, Upload
from providers.imbrace.mapping import (
    COMPUTED,
    after_update,
    computed,
    from_record,
    job_inputs,
    to_body,
    update_body,
)
from providers.imbrace.models import (
    FILES_ROOT,
    FileRef,
    FrequencyUnit,
    Job,
    JobType,
    SchedulerInputs,
    SchedulerRecord,
    SchedulerType,
    files_root,
    iso_utc,
    parse_datetime,
    read_file,
)
from providers.imbrace.settings import FILES_ROOT as FILES_ROOT_SETTING
from providers.imbrace.settings import ImbraceSettings

# ---- arguments -----------------------------------------------------------------------------------


@dataclass
class JobArgs:
    """What a scheduler runs: a Kafka message (``type="kafka"``) or a webhook call (``type="webhook"``)."""

    type: pulumi.Input[JobType]
    """``kafka`` (publish ``data`` to ``topic``) or ``webhook`` (call ``url`` with ``method``)."""
    topic: pulumi.Input[str] | None = None
    """Kafka topic, e.g. ``ROUTER.OUTGOING_MESSAGE`` (kafka jobs; required there)."""
    workflow_id: pulumi.Input[str] | None = None
    """Workflow the Kafka message belongs to (kafka jobs; a number is kept as text)."""
    url: pulumi.Input[str] | None = None
    """URL the webhook calls (webhook jobs; required there; http or https)."""
    method: pulumi.Input[str] | None = None
    """HTTP method of the webhook call: GET, POST, PUT, PATCH or DELETE (webhook jobs; required there)."""
    data: pulumi.Input[Mapping[str, Any]] | None = None
    """Free-form payload handed to the job (the message, tags, sender, …)."""


@dataclass
class SchedulerArgs:
    """Arguments of a :class:`Scheduler` (see the README's iMBRACE section for the rules)."""

    name: pulumi.Input[str]
    """The scheduler's name."""
    event_type: pulumi.Input[str]
    """What the scheduler is for, e.g. ``whatsapp``, ``board_automation`` (the list can filter on it)."""
    job: pulumi.Input[JobArgs] | pulumi.Input[Mapping[str, Any]]
    """What runs when it fires."""
    type: pulumi.Input[SchedulerType] = "recurring"
    """``recurring`` (every ``trigger_frequency_value`` ``trigger_frequency_unit``) or
    ``non_recurring`` (runs once at ``start_datetime``)."""
    trigger_frequency_unit: pulumi.Input[FrequencyUnit] | None = None
    """minutes, days, weeks, months or years (recurring; required there)."""
    trigger_frequency_value: pulumi.Input[int] | None = None
    """Every how many units it runs, at least 1 (recurring; required there)."""
    trigger_time: pulumi.Input[str] | None = None
    """Time of day it runs, an ISO date-time whose time part counts (recurring)."""
    trigger_month_and_day: pulumi.Input[str] | None = None
    """Month and day of a yearly run, as an ISO date-time (required when the unit is years;
    sent as the API's ``triger_month_and_day``)."""
    trigger_day_of_week: pulumi.Input[int] | None = None
    """Day of a weekly run, 0 = Sunday … 6 = Saturday (unit weeks)."""
    trigger_day_of_month: pulumi.Input[int] | None = None
    """Day of a monthly run, 1 to 31 (unit months)."""
    start_datetime: pulumi.Input[str] | None = None
    """When it starts (ISO 8601; no offset means UTC). Required for a one-time scheduler and then
    in the future; a recurring one left without starts when created."""
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
    A change of content is an update; state keeps their SHA-256, not their bytes. Dropping every
    file replaces the scheduler: the docs give no way to detach all files (docs/api-assumptions.md, I5)."""


# ---- provider ------------------------------------------------------------------------------------


def about(name: str | None, scheduler_id: str | None = None) -> str:
    """What an API error is about: ``scheduler 'name' (id)`` (see :func:`providers._http.error_context`)."""
    return "scheduler" + (f" '{name}'" if name else "") + (f" ({scheduler_id})" if scheduler_id else "")


def uploads(files: list[FileRef], root: Path) -> list[Upload]:
    """The files' bytes (under ``root``), checked against the hashes taken at preview."""
    out = []
    for index, ref in enumerate(files):
        if ref.path is None:
            raise ValueError(f"files[{index}]: '{ref.name}' has no local path to upload from")
        try:
            data = read_file(ref.path, root)
        except ValueError as exc:
            raise ValueError(f"files[{index}]: {exc}") from None
        if ref.sha256 and hashlib.sha256(data).hexdigest() != ref.sha256:
            raise ValueError(
                f"files[{index}]: '{ref.path}' changed since it was checked; run the update again"
            )
        out.append(Upload(ref.name, data))
    return out


def _files_changed(current: SchedulerRecord, old: SchedulerInputs, new: SchedulerInputs) -> bool:
    """Whether ``new``'s files must be uploaded: their content changed, or the API no longer
    holds files of their names and sizes."""
    if [(f.name, f.sha256) for f in old.files] != [(f.name, f.sha256) for f in new.files]:
        return True
    return [(f.name, f.size) for f in current.files] != [(f.name, f.size) for f in new.files]


class SchedulerProvider(ProviderBase[SchedulerInputs, ImbraceClient]):
    """Creates, reads, updates and deletes iMBRACE schedulers, with their files."""

    api = API
    settings_type = ImbraceSettings
    inputs_model = SchedulerInputs
    output_keys = frozenset(COMPUTED)

    def files_root(self) -> Path:
        """The directory ``files`` must lie under: ``imbrace:filesRoot``, else the program directory."""
        return files_root(FILES_ROOT_SETTING.read(self.settings_lookup()))

    def validation_context(self) -> dict[str, Any]:
        """Files are judged against this stack's files root."""
        return {FILES_ROOT: self.files_root()}

    # ---- preview ------------------------------------------------------------------------------
    def check_live(
        self, inputs: SchedulerInputs, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> list[CheckFailure]:
        """A one-time scheduler's start must be in the future (no call).

        Only when the start is new or changed: a start that was valid at create must not
        fail the previews of the following weeks. A scheduler being adopted (``import_``, not
        yet in state) is left to the API, which knows its current start.
        """
        adopting = bool(news.get(IMPORT_KEY)) and not olds
        if adopting or inputs.type != "non_recurring":
            return []
        try:
            start = iso_utc(inputs.start_datetime)
        except ValueError:
            return []  # not known yet at this preview
        if start != olds.get("start_datetime") and parse_datetime(start) <= datetime.now(UTC):
            reason = f"must be in the future for a one-time (non_recurring) scheduler; {start} has passed"
            return [CheckFailure("start_datetime", reason)]
        return []

    # ---- lifecycle ----------------------------------------------------------------------------
    def create_remote(self, client: ImbraceClient, inputs: SchedulerInputs) -> tuple[str, dict[str, Any]]:
        """Create with the JSON call, or the multipart one when there are files."""
        body = to_body(inputs)
        with error_context(about(inputs.name)):
            if inputs.files:
                record = client.create_scheduler_with_files(body, uploads(inputs.files, self.files_root()))
            else:
                record = client.create_scheduler(body)
        return record.id, computed(record)

    def find_created(
        self, client: ImbraceClient, inputs: SchedulerInputs, lost: LostCreate
    ) -> tuple[str, dict[str, Any]] | None:
        """The scheduler a lost create made: same name, event type, start (when given) and job,
        created since the create was sent, owned by no other resource; the newest wins.

        Names are not unique in iMBRACE: two alike schedulers made within the same minutes by
        different programs cannot be told apart (give them different names)."""
        # The list reads "a,b" and "contains:…" as filters of several types: then filter here only.
        plain = "," not in inputs.event_type and not inputs.event_type.startswith("contains:")
        exact = inputs.event_type if plain else None
        with error_context(about(inputs.name)):
            candidates = [
                r
                for r in client.iter_schedulers(exact)
                if r.name == inputs.name
                and r.id not in lost.taken
                and r.event_type == inputs.event_type
                and _created_since(r, lost.since)
                and _same_job(r, inputs.job)
                and (inputs.start_datetime is None or _start_of(r) == inputs.start_datetime)
            ]
        if not candidates:
            return None
        newest = max(candidates, key=lambda r: (r.created_at or "", r.id))
        client.listing.written(newest.id)  # what the lost create made: never read from a listing
        return newest.id, computed(newest)

    def read_live(self, id_: str, state: Mapping[str, Any]) -> Live | None:
        """Refresh: the live scheduler, from the process's one listing of the state's event type
        (I10) when the state has no files, else by id; None when it is gone."""
        event_type = state.get("event_type")
        listed = isinstance(event_type, str) and not state.get("files")
        return self._read(self.client(), id_, event_type if listed else None)

    def read_adopted(self, client: ImbraceClient, id_: str, inputs: SchedulerInputs) -> Live | None:
        """Import: as refresh, with the program's event type and files."""
        return self._read(client, id_, None if inputs.files else inputs.event_type)

    def read_remote(self, client: ImbraceClient, id_: str) -> Live | None:
        """The live scheduler by ``GET …/schedulers/{id}``, or None when it is gone."""
        return self._read(client, id_, None)

    def _read(self, client: ImbraceClient, id_: str, event_type: str | None) -> Live | None:
        """The live scheduler, from the listing of ``event_type`` (I10; the listing reads by id what
        it cannot serve) or, without one, by id (the files are verified against that record); a 404
        is read as gone by the base."""
        with error_context(about(None, id_)):
            if event_type is None:
                record = client.get_scheduler(id_)
            else:
                record = client.read_scheduler(id_, event_type)
        return from_record(record)

    def update_remote(
        self, client: ImbraceClient, id_: str, old: SchedulerInputs, new: SchedulerInputs
    ) -> dict[str, Any]:
        """Send the full body (the API replaces the scheduler); upload the files only when they changed.

        The current scheduler is read first: the update replaces it, so what the program
        leaves to the API (the start, a one-time type it never set) and the uploaded files
        (also ones added outside Pulumi) are sent back as they are now, not as the state last
        saw them. The outputs come from that read, what was sent and the answer
        (:func:`after_update`): no second read, unless the answer cannot tell the new uploads.
        """
        with error_context(about(new.name, id_)):
            current = client.get_scheduler(id_)
            body = update_body(current, old, new)
            if new.files and _files_changed(current, old, new):
                body["job"].pop("files", None)  # the uploads replace them
                answer = client.update_scheduler_with_files(id_, body, uploads(new.files, self.files_root()))
            else:
                answer = client.update_scheduler(id_, body)
            after = after_update(current, body, _json(answer), client.settings.user_id)
            return computed(after if after is not None else client.get_scheduler(id_))

    def delete_remote(self, client: ImbraceClient, id_: str, inputs: SchedulerInputs) -> None:
        """Delete the scheduler (the API drops its files with it)."""
        with error_context(about(inputs.name, id_)):
            client.delete_scheduler(id_)

    # ---- refresh and import -------------------------------------------------------------------
    def align(self, live: Live, reference: Mapping[str, Any]) -> Live:
        """Keep what only the state knows: the files' paths and hashes, once their content is
        verified (same name and size, then the downloaded bytes' hash); leave out the start /
        one-time type the API chose for a program that does not set them; and keep the weekly /
        monthly day the program set when the answer does not print it (docs/api-assumptions.md, I3)."""
        inputs, outputs = dict(live[0]), live[1]  # after the declared behaviours (models.py)
        wanted = [FileRef.model_validate(f) for f in reference.get("files") or []]
        uploaded = outputs.get("uploaded_files") or []
        if len(wanted) == len(uploaded):
            inputs["files"] = [
                want.model_dump(exclude_none=True) if self._holds(up, want) else remote
                for want, up, remote in zip(wanted, uploaded, inputs.get("files", []), strict=True)
            ]
        return inputs, outputs

    def _holds(self, uploaded: Mapping[str, Any], want: FileRef) -> bool:
        """Whether an uploaded file has ``want``'s content (checked by downloading it)."""
        if uploaded.get("name") != want.name or uploaded.get("size") != want.size or not want.sha256:
            return False
        url = uploaded.get("file_url")
        data = self.client().download(url) if isinstance(url, str) else None
        return data is not None and hashlib.sha256(data).hexdigest() == want.sha256


def _json(answer: requests.Response) -> Any:
    try:
        return answer.json()
    except ValueError:
        return None


def _start_of(record: SchedulerRecord) -> str | None:
    start = record.start_datetime or record.start_date
    try:
        return iso_utc(start)
    except ValueError:
        return None


def _same_job(record: SchedulerRecord, job: Job) -> bool:
    try:
        return Job.model_validate(job_inputs(record.job)) == job
    except ValidationError:
        return False


def _created_since(record: SchedulerRecord, since: datetime) -> bool:
    try:
        return parse_datetime(record.created_at) >= since
    except ValueError:
        return True  # an API that does not say when cannot rule it out


# ---- resource ------------------------------------------------------------------------------------


def _file_path(entry: Any) -> Any:
    # The engine would hash a FileAsset itself and fail with its own error on a missing
    # file; as a path, the provider's check reports it under files[i] instead.
    if isinstance(entry, pulumi.FileAsset):
        return entry.path
    if isinstance(entry, pulumi.Asset | pulumi.Archive):
        return {"unsupported": type(entry).__name__}  # fails the check, naming the entry
    return entry


class Scheduler(ResourceBase[SchedulerArgs], module="imbrace", name="Scheduler"):
    """An iMBRACE scheduler (``pulumi-python:dynamic/imbrace:Scheduler``), with file uploads.

    ``Scheduler(resource_name, SchedulerArgs(...), opts)`` or the same fields as keywords.
    Config: ``imbrace:accessToken`` (secret), ``imbrace:organizationId``, ``imbrace:userId``,
    ``imbrace:environment`` or ``imbrace:apiUrl``.

    Example::

        from providers.imbrace import JobArgs, Scheduler

        Scheduler(
            "weekly-offer",
            name="weekly offer",
            event_type="whatsapp",
            trigger_frequency_unit="weeks",
            trigger_frequency_value=1,
            trigger_day_of_week=1,
            job=JobArgs(type="kafka", topic="ROUTER.OUTGOING_MESSAGE", data={"text": "Hello"}),
        )

    Import (adopt an existing scheduler, which the next ``up`` makes match the program)::

        Scheduler("weekly-offer", ..., opts=pulumi.ResourceOptions(import_="<scheduler id>"))
    """

    provider_type = SchedulerProvider
    args_type = SchedulerArgs

    if TYPE_CHECKING:  # what type checkers and editors read (tests/unit/test_signatures.py)
        # fmt: off
        def __init__(self, resource_name: str, args: SchedulerArgs | None = None,
                     opts: pulumi.ResourceOptions | None = None, *, name: pulumi.Input[str] = ...,
                     event_type: pulumi.Input[str] = ...,
                     job: pulumi.Input[JobArgs] | pulumi.Input[Mapping[str, Any]] = ...,
                     type: pulumi.Input[SchedulerType] = ...,
                     trigger_frequency_unit: pulumi.Input[FrequencyUnit] | None = ...,
                     trigger_frequency_value: pulumi.Input[int] | None = ...,
                     trigger_time: pulumi.Input[str] | None = ...,
                     trigger_month_and_day: pulumi.Input[str] | None = ...,
                     trigger_day_of_week: pulumi.Input[int] | None = ...,
                     trigger_day_of_month: pulumi.Input[int] | None = ...,
                     start_datetime: pulumi.Input[str] | None = ...,
                     one_time_schedule_type: pulumi.Input[str] | None = ...,
                     description: pulumi.Input[str] = ..., channel_source: pulumi.Input[str] = ...,
                     paused: pulumi.Input[bool] = ...,
                     files: pulumi.Input[Sequence[pulumi.Input[str | pulumi.FileAsset]]] = ...) -> None: ...
        # fmt: on

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
    """The start the API keeps: the one given, or when a recurring scheduler without one was made."""
    one_time_schedule_type: pulumi.Output[str | None]
    description: pulumi.Output[str]
    channel_source: pulumi.Output[str]
    paused: pulumi.Output[bool]
    job: pulumi.Output[dict[str, Any]]
    files: pulumi.Output[list[dict[str, Any]]]
    """Attached files as ``{name, path, size, sha256}``."""
    is_finished: pulumi.Output[bool]
    """Whether the API considers the scheduler done (a one-time scheduler that ran)."""
    uploaded_files: pulumi.Output[list[dict[str, Any]]]
    """The API's record of the uploads: ``file_id``, ``name``, ``size``, ``file_type``, ``file_url``, …"""

    def prepare(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> dict[str, Any]:
        """A ``JobArgs`` as a dict; files as paths the provider's check can judge."""
        props = dict(props)
        job = props.get("job")
        if isinstance(job, JobArgs):
            props["job"] = {
                f.name: getattr(job, f.name) for f in fields(job) if getattr(job, f.name) is not None
            }
        files = props.get("files")
        props["files"] = pulumi.Output.from_input(files if files is not None else []).apply(
            lambda entries: [_file_path(e) for e in entries]
        )
        return props
