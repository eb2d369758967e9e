"""The Omni ``Schedule``: its arguments, its provider (adopts an existing schedule — Omni's API
cannot create one nor get one by id — and manages its paused state, recipients and deletion,
reading it through the process's cached list), and the resource.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import pulumi
from pulumi.dynamic import CheckFailure
from pydantic import BaseModel, ValidationError

from providers._base import IMPORT_KEY, Live, ProviderBase
from providers._http import ApiError
from providers._resource import ResourceBase
from providers.omni.client import API, OmniClient, ScheduleCache, shared_cache
from providers.omni.models import OmniSchedule, ScheduleInputs
from providers.omni.settings import OmniSettings

InputsT = TypeVar("InputsT", bound=BaseModel)

SCHEDULE_OUTPUTS = frozenset(OmniSchedule.model_fields) - OmniSchedule.NOT_OUTPUTS


def paused_mark() -> str:
    """A pause time for the process's copy of a schedule it paused (Omni's own is not known)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


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


@contextmanager
def acting_on(record: OmniSchedule, action: str) -> Iterator[None]:
    """Re-raise an API error naming the schedule and what was being done to it."""
    try:
        yield
    except ApiError as exc:
        note = ""
        if record.system_disabled_at and "system disabled" in exc.message.lower():
            note = f" ({record.system_disabled_note})"
        exc.with_context(f"cannot {action} schedule {record.label}", note)
        raise


class OmniProviderBase(ProviderBase[InputsT, OmniClient]):
    """Settings (settings.py) and the process's schedule list, for both Omni providers."""

    api = API
    settings_type = OmniSettings

    def cache(self) -> ScheduleCache:
        """The process's cached list of the organisation's schedules."""
        return shared_cache(self.client())

    def lookup(self, schedule_id: str) -> tuple[OmniSchedule | None, bool]:
        """For ``check``: the schedule, and whether Omni could be asked at all.

        Preview should not fail because Omni is unreachable (no answer, 429, 5xx): the
        operation itself will say so. Omni's refusal — a token it rejects (401/403) or a
        URL it does not serve (another 4xx) — is raised: a preview must not hide it.
        """
        try:
            return self.cache().get(schedule_id), True
        except ApiError as exc:
            if exc.status is not None and exc.status < 500 and exc.status != 429:
                raise
            return None, False

    def refused(self, exc: ApiError) -> CheckFailure:
        """The preview failure for Omni refusing the schedule list (see :meth:`lookup`)."""
        return CheckFailure(
            "",
            f"Omni refused to list the schedules: {exc}; check 'omni:apiToken' (or OMNI_API_TOKEN) "
            "and 'omni:baseUrl' (or OMNI_BASE_URL)",
        )

    def missing(self, schedule_id: str) -> str:
        """The message for a schedule Omni does not list."""
        return (
            f"Omni has no schedule with id {schedule_id}. Omni's API cannot create schedules: create it "
            "in Omni and adopt it by its id; if it was deleted, `pulumi refresh` drops it from the stack"
        )


class OmniScheduleProvider(OmniProviderBase[ScheduleInputs]):
    """Adopts an existing schedule; manages its paused state, recipients and deletion."""

    inputs_model = ScheduleInputs
    output_keys = SCHEDULE_OUTPUTS

    # ---- check: what the live schedule refuses, at preview --------------------------------
    def check_live(
        self, inputs: ScheduleInputs, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> list[CheckFailure]:
        """What Omni would refuse (from the cached list: no call per resource)."""
        return self._against_live(inputs, olds, news.get(IMPORT_KEY))

    def _against_live(
        self, inputs: ScheduleInputs, olds: Mapping[str, Any], import_id: Any
    ) -> list[CheckFailure]:
        if import_id and str(import_id).strip().lower() != inputs.schedule_id:
            return [CheckFailure("schedule_id", f"is {inputs.schedule_id} but import_ names {import_id}")]
        try:
            record, asked = self.lookup(inputs.schedule_id)
        except ApiError as exc:
            return [self.refused(exc)]
        if not asked:
            return []
        if record is None:
            return [CheckFailure("schedule_id", self.missing(inputs.schedule_id))]
        failures = []
        if inputs.recipients and record.destination_type != "email":
            failures.append(
                CheckFailure(
                    "recipients",
                    f"schedule {record.label} delivers to {record.destination_type}: Omni's API changes "
                    "recipients of email schedules only",
                )
            )
        toggles = inputs.paused is not None and inputs.paused != record.paused
        if toggles and record.system_disabled_at and olds.get("paused") != inputs.paused:
            failures.append(
                CheckFailure(
                    "paused",
                    f"schedule {record.label} is system-disabled ({record.system_disabled_note}): "
                    "Omni refuses to pause or resume it",
                )
            )
        return failures

    # ---- lifecycle -------------------------------------------------------------------------
    def read_remote(self, client: OmniClient, id_: str) -> Live | None:
        """The live schedule: its paused state (recipients cannot be read) and the list's fields."""
        record = self.cache().get(id_)
        if record is None:
            return None
        return {"schedule_id": record.id, "paused": record.paused}, record.outputs()

    def create_remote(self, client: OmniClient, inputs: ScheduleInputs) -> tuple[str, dict[str, Any]]:
        """Adopt the schedule named by ``schedule_id`` and apply the inputs to it."""
        live = self.read_remote(client, inputs.schedule_id)
        if live is None:
            raise ApiError(
                self.api, "adopt", inputs.schedule_id, 404, self.missing(inputs.schedule_id), advised=True
            )
        current = ScheduleInputs.model_validate(live[0])
        return inputs.schedule_id, self.update_remote(client, inputs.schedule_id, current, inputs)

    def read_live(self, id_: str, state: Mapping[str, Any]) -> Live | None:
        """Refresh: the live schedule, found with the help of the dashboard it delivered (state)."""
        record = self.cache().get(id_, identifier_hint=state.get("identifier"))
        if record is None:
            return None
        return {"schedule_id": record.id, "paused": record.paused}, record.outputs()

    def align(self, live: Live, reference: Mapping[str, Any]) -> Live:
        """The live schedule in the terms of the state (what Pulumi manages on it).

        The list shows ``recipientCount`` but not the recipients: when the count differs from
        the one recorded after Pulumi's last change, recipients were changed outside Pulumi
        and ``recipients`` is dropped from the state, so the next ``up`` applies them again.
        A state whose managed values no longer validate is read as managing nothing.
        """
        inputs, outputs = dict(live[0]), live[1]
        try:
            ScheduleInputs.model_validate(
                {k: v for k, v in reference.items() if k in ScheduleInputs.model_fields}
            )
        except ValidationError:
            return {"schedule_id": inputs["schedule_id"]}, outputs
        counted = reference.get("recipient_count")
        if counted is not None and counted != outputs.get("recipient_count"):
            inputs.pop("recipients", None)
        return inputs, outputs

    def update_remote(
        self, client: OmniClient, id_: str, old: ScheduleInputs, new: ScheduleInputs
    ) -> dict[str, Any]:
        """Pause/resume when the live state differs; add and remove the recipients' difference.

        Omni's answers carry no record. A pause or resume leaves the schedule as it was with
        the paused state flipped (Omni's pause time is not an output), so that state is derived
        and put into the process's copy: no read. A recipient change is read again (one list
        call filtered by its dashboard): the count Omni answers is 0 for a call sent again after
        its answer was lost, and ``recipient_count`` is what tells a refresh that recipients
        changed outside Pulumi (``tests/engine/test_faults_converge.py``).
        """
        cache = self.cache()
        record = cache.get(id_)
        if record is None:
            raise ApiError(self.api, "update", id_, 404, self.missing(id_), advised=True)
        if new.paused is not None and new.paused != record.paused:
            action = "pause" if new.paused else "resume"
            with acting_on(record, action):
                if new.paused:
                    client.pause(id_)
                else:
                    client.resume(id_)
            # Already paused/resumed (Omni's 400) ends the same way. The pause time only marks
            # the copy as paused: it is Omni's own, and not an output.
            record = record.model_copy(update={"disabled_at": paused_mark() if new.paused else None})
            cache.put(record)
        if new.recipients is not None:
            # Omni cannot list recipients: without a previous state (adoption, drift) the
            # declared ones are added (Omni ignores those already there) and none removed.
            before = set(old.recipients) if old.recipients is not None else set()
            gone = sorted(before - set(new.recipients))
            added = sorted(set(new.recipients) - before)
            # Removing first: replacing a user id by the same user's email must end with it present.
            if gone:
                with acting_on(record, "remove recipients from"):
                    client.remove_recipients(id_, gone)
            if added:
                with acting_on(record, "add recipients to"):
                    client.add_recipients(id_, added)
            if gone or added:
                cache.written(id_)
                record = cache.get(id_) or record
        return record.outputs()

    def delete_remote(self, client: OmniClient, id_: str, inputs: ScheduleInputs) -> None:
        """Delete the schedule when ``delete_on_destroy``; otherwise release it untouched."""
        if not inputs.delete_on_destroy:
            return
        record = self.cache().get(id_) or OmniSchedule(id=id_)
        try:
            with acting_on(record, "delete"):
                client.delete(id_)
        finally:
            self.cache().written(id_)


class Schedule(ResourceBase[ScheduleArgs], module="omni", name="Schedule"):
    """An existing Omni schedule, adopted by id: paused state, recipients, deletion.

    ``Schedule(resource_name, ScheduleArgs(...), opts)`` or the same fields as keywords. Omni's API
    cannot create schedules: every Schedule adopts one by ``schedule_id`` (or ``opts.import_``).
    Config: ``omni:apiToken`` (secret), ``omni:baseUrl``.

    Example::

        from providers.omni import Schedule

        Schedule(
            "weekly-report",
            schedule_id="6f1e3c9a-0d2b-4a57-9c1e-3b8f2a7d4e10",
            paused=False,
            recipients=["ops@example.com"],
        )

    Its outputs are the fields Omni's list shows. Omni never returns the recipient list,
    only ``recipient_count``: a refresh sees recipients changed outside Pulumi as a count
    different from the one after Pulumi's last change, and the next ``up`` adds the
    declared recipients again (ones added outside Pulumi cannot be identified, so stay).
    """

    provider_type = OmniScheduleProvider
    args_type = ScheduleArgs

    if TYPE_CHECKING:  # what type checkers and editors read (tests/unit/test_signatures.py)
        # fmt: off
        def __init__(self, resource_name: str, args: ScheduleArgs | None = None,
                     opts: pulumi.ResourceOptions | None = None, *,
                     schedule_id: pulumi.Input[str] | None = ..., paused: pulumi.Input[bool] | None = ...,
                     recipients: pulumi.Input[Sequence[pulumi.Input[str]]] | None = ...,
                     delete_on_destroy: pulumi.Input[bool] | None = ...) -> None: ...
        # fmt: on

    schedule_id: pulumi.Output[str]
    """The schedule's UUID."""
    paused: pulumi.Output[bool | None]
    """The paused state Pulumi manages (None when not managed)."""
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
    system_disabled_at: pulumi.Output[str | None]
    """When Omni disabled it (Omni then refuses pause and resume)."""
    system_disabled_reason: pulumi.Output[str | None]
    """Why Omni disabled it."""
    slack_recipient_type: pulumi.Output[str | None]
    """For Slack schedules, the kind of recipients."""
    alert: pulumi.Output[Any]
    """The alert condition of an alert, None for a plain schedule."""

    def prepare(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> dict[str, Any]:
        """``schedule_id`` defaults to the schedule ``import_`` names."""
        if props.get("schedule_id") is None and opts is not None and opts.import_:
            props = {**props, "schedule_id": opts.import_}
        return props
