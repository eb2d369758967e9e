"""The Omni providers: the mapping between the resources' inputs and Omni's schedule calls.

Omni cannot create a schedule nor get one by id: ``Schedule`` adopts an existing schedule
and reads it through the process's cached list (:mod:`providers.omni.cache`).
``ScheduleTrigger`` runs a schedule when created and whenever its ``triggers`` change.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, ReadResult, UpdateResult
from pydantic import BaseModel, ValidationError

from providers._base import IMPORT_KEY, UNKNOWN, LostCreate, ProviderBase, api_url_setting
from providers._http import ApiError
from providers._throttle import RateLimit
from providers.omni.cache import ScheduleCache, shared_cache
from providers.omni.client import OmniClient
from providers.omni.models import OmniSchedule, ScheduleInputs, ScheduleTriggerInputs

InputsT = TypeVar("InputsT", bound=BaseModel)

SCHEDULE_OUTPUTS = frozenset(OmniSchedule.model_fields) - {"id"}


def connect(base_url: str, token: str, rate_limit: RateLimit | None = None) -> OmniClient:
    """A client for ``https://<org>.omniapp.co`` (or the sandbox's ``<url>/omni`` on loopback)."""
    url = api_url_setting("omni", "baseUrl", "OMNI_BASE_URL", base_url)
    return OmniClient(url, token, rate_limit=rate_limit)


def _has_unknown(value: Any) -> bool:
    if isinstance(value, Mapping):
        return any(_has_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_unknown(v) for v in value)
    return bool(value == UNKNOWN)


@contextmanager
def acting_on(record: OmniSchedule, action: str) -> Iterator[None]:
    """Re-raise an API error naming the schedule and what was being done to it."""
    try:
        yield
    except ApiError as exc:
        detail = exc.message
        if record.system_disabled_at and "system disabled" in detail.lower():
            detail += f" ({record.system_disabled_note})"
        message = f"cannot {action} schedule {record.label}: {detail}"
        facts = {"sent": exc.sent, "timed_out": exc.timed_out}
        raise type(exc)(exc.api, exc.method, exc.path, exc.status, message, exc.request_id, **facts) from None


class OmniProviderBase(ProviderBase[InputsT, OmniClient]):
    """Settings and the shared schedule list for both Omni providers."""

    api: ClassVar[str] = "omni"

    def make_client(self) -> OmniClient:
        """The client from ``omni:baseUrl``/``OMNI_BASE_URL`` and ``omni:apiToken``/``OMNI_API_TOKEN``."""
        base_url = self.setting("baseUrl", "OMNI_BASE_URL", required=True)
        token = self.setting("apiToken", "OMNI_API_TOKEN", required=True)
        return connect(str(base_url), str(token), self.rate_limit())

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
    replace_on = frozenset({"schedule_id"})

    # ---- check: what the live schedule refuses, at preview --------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate the inputs, then what Omni would refuse (cached list: no call per resource)."""
        result = super().check(olds, news)
        if result.failures or _has_unknown(self.user_inputs(news)):
            return result
        inputs = self.parse(result.inputs)
        failures = self._against_live(inputs, olds, news.get(IMPORT_KEY))
        return CheckResult(news if failures else result.inputs, failures)

    def _against_live(
        self, inputs: ScheduleInputs, olds: dict[str, Any], import_id: Any
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
    def read_remote(self, client: OmniClient, id_: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The live schedule: its paused state (recipients cannot be read) and the list's fields."""
        record = self.cache().get(id_)
        if record is None:
            return None
        return {"schedule_id": record.id, "paused": record.paused}, record.outputs()

    def create_remote(self, client: OmniClient, inputs: ScheduleInputs) -> tuple[str, dict[str, Any]]:
        """Adopt the schedule named by ``schedule_id`` and apply the inputs to it."""
        live = self.read_remote(client, inputs.schedule_id)
        if live is None:
            raise ApiError(self.api, "adopt", inputs.schedule_id, 404, self.missing(inputs.schedule_id))
        current = ScheduleInputs.model_validate(live[0])
        return inputs.schedule_id, self.update_remote(client, inputs.schedule_id, current, inputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: the live schedule in the terms of the state (what Pulumi manages on it).

        The list shows ``recipientCount`` but not the recipients: when the count differs from
        the one recorded after Pulumi's last change, recipients were changed outside Pulumi
        and ``recipients`` is dropped from the state, so the next ``up`` applies them again.
        """
        record = self.cache().get(id_, identifier_hint=props.get("identifier"))
        if record is None:
            return ReadResult("", {})
        try:
            state = self.parse(props)
        except ValidationError:
            state = ScheduleInputs(schedule_id=record.id)
        counted = props.get("recipient_count")
        recipients_drifted = counted is not None and counted != record.recipient_count
        live = ScheduleInputs(
            schedule_id=record.id,
            paused=None if state.paused is None else record.paused,
            recipients=None if recipients_drifted else state.recipients,
            delete_on_destroy=state.delete_on_destroy,
        )
        inputs = {**self.dump(live), **{k: v for k, v in props.items() if k == IMPORT_KEY}}
        return ReadResult(id_, {**inputs, **record.outputs()}, inputs=inputs)

    def update_remote(
        self, client: OmniClient, id_: str, old: ScheduleInputs, new: ScheduleInputs
    ) -> dict[str, Any]:
        """Pause/resume when the live state differs; add and remove the recipients' difference."""
        cache = self.cache()
        record = cache.get(id_)
        if record is None:
            raise ApiError(self.api, "update", id_, 404, self.missing(id_))
        wrote = False
        if new.paused is not None and new.paused != record.paused:
            action = "pause" if new.paused else "resume"
            with acting_on(record, action):
                if new.paused:
                    client.pause(id_)
                else:
                    client.resume(id_)
            wrote = True
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
            wrote = wrote or bool(gone or added)
        if wrote:
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


class TriggerError(ApiError):
    """Omni answered the trigger with an error: the run was not dispatched (never ambiguous)."""

    @property
    def ambiguous(self) -> bool:
        """A documented error answer (e.g. the 500 "Dispatcher error") means nothing ran."""
        return False


class OmniScheduleTriggerProvider(OmniProviderBase[ScheduleTriggerInputs]):
    """Runs a schedule on create and whenever ``triggers`` change; delete does nothing remote."""

    inputs_model = ScheduleTriggerInputs
    output_keys = frozenset({"triggered_at", "confirmed"})
    replace_on = frozenset({"schedule_id"})

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate the inputs; refuse a schedule Omni does not list (from the cached list)."""
        result = super().check(olds, news)
        if result.failures or _has_unknown(self.user_inputs(news)):
            return result
        schedule_id = self.parse(result.inputs).schedule_id
        try:
            record, asked = self.lookup(schedule_id)
        except ApiError as exc:
            return CheckResult(news, [self.refused(exc)])
        if asked and record is None:
            return CheckResult(news, [CheckFailure("schedule_id", self.missing(schedule_id))])
        return result

    def _run(self, client: OmniClient, inputs: ScheduleTriggerInputs) -> dict[str, Any]:
        try:
            client.trigger(inputs.schedule_id, inputs.api_version)
        except ApiError as exc:
            if exc.status is None or exc.status in (502, 503, 504):
                raise  # no answer from Omni itself: the base decides (see find_created)
            try:
                record = self.lookup(inputs.schedule_id)[0] if exc.status != 404 else None
            except ApiError:
                record = None  # only for the message: the trigger's own error is the one to report
            label = record.label if record else inputs.schedule_id
            message = f"cannot trigger schedule {label}: {exc.message}"
            raise TriggerError(exc.api, exc.method, exc.path, exc.status, message, exc.request_id) from None
        return {"triggered_at": _now(), "confirmed": True}

    def create_remote(self, client: OmniClient, inputs: ScheduleTriggerInputs) -> tuple[str, dict[str, Any]]:
        """Run the schedule; the trigger's id is a fresh UUID (nothing is created in Omni)."""
        return str(uuid.uuid4()), self._run(client, inputs)

    def find_created(
        self, client: OmniClient, inputs: ScheduleTriggerInputs, lost: LostCreate
    ) -> tuple[str, dict[str, Any]] | None:
        """The trigger's answer was lost: Omni may have started the run, so it is not repeated."""
        return str(uuid.uuid4()), self._lost(inputs)

    def _lost(self, inputs: ScheduleTriggerInputs) -> dict[str, Any]:
        pulumi.log.warn(
            f"omni: the answer to the trigger of schedule {inputs.schedule_id} was lost; Omni may "
            "have started the run, so it is not sent again (a duplicate delivery is worse than "
            "none). The trigger is recorded with confirmed=false."
        )
        return {"triggered_at": _now(), "confirmed": False}

    def read_remote(self, client: OmniClient, id_: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """A trigger is not an object in Omni: there is nothing to read or import."""
        raise ValueError("omni: a ScheduleTrigger has nothing in Omni to import; remove the import_ option")

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: nothing lives in Omni, so the state is the truth (no call)."""
        return ReadResult(id_, {k: v for k, v in props.items() if k != "__provider"})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Run again when ``triggers`` changed; otherwise only record the new inputs."""
        fields = self.inputs_model.model_fields
        old = ScheduleTriggerInputs.model_validate({k: v for k, v in olds.items() if k in fields})
        new = self.parse(news)
        computed = {k: olds.get(k) for k in self.output_keys}
        if old.triggers != new.triggers:
            try:
                computed = self._run(self.client(), new)
            except ApiError as exc:
                if not exc.ambiguous:
                    raise
                computed = self._lost(new)
        return UpdateResult({**self.dump(new), **computed})

    def delete_remote(self, client: OmniClient, id_: str, inputs: ScheduleTriggerInputs) -> None:
        """Nothing to delete in Omni: the run happened."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
