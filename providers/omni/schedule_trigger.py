"""The Omni ``ScheduleTrigger``: its arguments, its provider (runs a schedule when created and
whenever its ``triggers`` change; nothing is created in Omni), and the resource.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pulumi
from pulumi.dynamic import CheckFailure

from providers._base import Live, LostCreate
from providers._http import ApiError
from providers._resource import ResourceBase
from providers.omni.client import OmniClient
from providers.omni.models import ApiVersion, ScheduleTriggerInputs
from providers.omni.schedule import OmniProviderBase


@dataclass
class ScheduleTriggerArgs:
    """The arguments of :class:`ScheduleTrigger`."""

    schedule_id: pulumi.Input[str]
    """The UUID of the schedule to run. A change replaces the trigger, which runs the new schedule."""
    triggers: pulumi.Input[Mapping[str, Any]] | None = None
    """Any values: the schedule runs again whenever one of them changes (as pulumi-command's ``triggers``)."""
    api_version: pulumi.Input[ApiVersion] | None = None
    """``v1`` (the default) or ``unstable`` (the beta trigger endpoint). A change alone runs nothing."""


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

    def check_live(
        self, inputs: ScheduleTriggerInputs, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> list[CheckFailure]:
        """Refuse a schedule Omni does not list (from the cached list)."""
        try:
            record, asked = self.lookup(inputs.schedule_id)
        except ApiError as exc:
            return [self.refused(exc)]
        if asked and record is None:
            return [CheckFailure("schedule_id", self.missing(inputs.schedule_id))]
        return []

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
            failed = TriggerError(exc.api, exc.method, exc.path, exc.status, exc.message, exc.request_id)
            raise failed.with_context(f"cannot trigger schedule {label}") from None
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

    def read_remote(self, client: OmniClient, id_: str) -> Live | None:
        """A trigger is not an object in Omni: there is nothing to read or import."""
        raise ValueError("omni: a ScheduleTrigger has nothing in Omni to import; remove the import_ option")

    def read_live(self, id_: str, state: Mapping[str, Any]) -> Live | None:
        """Refresh: nothing lives in Omni, so the state is the truth (no call)."""
        inputs = {k: v for k, v in state.items() if k in self.inputs_model.model_fields}
        return inputs, {k: state.get(k) for k in self.output_keys}

    def update_remote(
        self, client: OmniClient, id_: str, old: ScheduleTriggerInputs, new: ScheduleTriggerInputs
    ) -> dict[str, Any] | None:
        """Run again when ``triggers`` changed; otherwise only record the new inputs (None: the
        outputs in state stay)."""
        if old.triggers == new.triggers:
            return None
        try:
            return self._run(client, new)
        except ApiError as exc:
            if not exc.ambiguous:
                raise
            return self._lost(new)

    def delete_remote(self, client: OmniClient, id_: str, inputs: ScheduleTriggerInputs) -> None:
        """Nothing to delete in Omni: the run happened."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class ScheduleTrigger(ResourceBase[ScheduleTriggerArgs], module="omni", name="ScheduleTrigger"):
    """Runs an Omni schedule on demand: when created and whenever ``triggers`` change.

    ``ScheduleTrigger(resource_name, ScheduleTriggerArgs(...), opts)`` or the same fields as
    keywords. Nothing to import: a trigger is a run, not an object in Omni.

    Example::

        from providers.omni import ScheduleTrigger

        ScheduleTrigger(
            "rerun-after-release",
            schedule_id="6f1e3c9a-0d2b-4a57-9c1e-3b8f2a7d4e10",
            triggers={"release": "2026.01.1"},
        )

    Destroying it does nothing in Omni. When Omni's answer is lost (timeout, dropped
    connection) the run may have started, so it is not sent again: the trigger is recorded
    with ``confirmed`` false rather than risk a second delivery.
    """

    provider_type = OmniScheduleTriggerProvider
    args_type = ScheduleTriggerArgs

    if TYPE_CHECKING:  # what type checkers and editors read (tests/unit/test_signatures.py)
        # fmt: off
        def __init__(self, resource_name: str, args: ScheduleTriggerArgs | None = None,
                     opts: pulumi.ResourceOptions | None = None, *, schedule_id: pulumi.Input[str] = ...,
                     triggers: pulumi.Input[Mapping[str, Any]] | None = ...,
                     api_version: pulumi.Input[ApiVersion] | None = ...) -> None: ...
        # fmt: on

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
