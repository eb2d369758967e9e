"""The Opsgenie ``ScheduleOverride``: someone else (or nobody) on call for a while — its
arguments, its provider (a PUT of the whole override to change it) and the resource. Its id is
``<schedule id>/<alias>``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi

from providers._base import CannotTell, Live, LostCreate
from providers._resource import ResourceBase
from providers.opsgenie.client import OpsgenieClient
from providers.opsgenie.mapping import align_ref, body, item_at, split_id
from providers.opsgenie.models import OverrideRecord, ScheduleOverrideInputs
from providers.opsgenie.provider import ScheduleChildProvider
from providers.opsgenie.schedule import EntityRefArgs, ParticipantArgs


@dataclass
class ScheduleOverrideArgs:
    """Arguments of :class:`ScheduleOverride`."""

    schedule_id: pulumi.Input[str]
    """Id of the schedule; changing it replaces the override."""
    user: pulumi.Input[ParticipantArgs]
    """Who is on call instead: a user by username or id, or ``{"type": "none"}``."""
    start_date: pulumi.Input[str]
    """Start, ISO 8601 with offset."""
    end_date: pulumi.Input[str]
    """End, ISO 8601 with offset."""
    alias: pulumi.Input[str] | None = None
    """Key of the override in its schedule (default: the resource name); changing it replaces it."""
    rotations: pulumi.Input[Sequence[pulumi.Input[EntityRefArgs]]] | None = None
    """Rotations overridden, by id or name (default: all)."""


def override_live(schedule_id: str, record: OverrideRecord) -> Live:
    """An override record as ``(inputs, outputs)`` of a ``ScheduleOverride``."""
    rotations = [r.model_dump(mode="json", exclude_none=True) for r in record.rotations]
    inputs = {
        "schedule_id": schedule_id,
        "alias": record.alias,
        "user": record.user.model_dump(mode="json", exclude_none=True),
        "start_date": record.start_date,
        "end_date": record.end_date,
        "rotations": rotations or None,
    }
    outputs = {"user_id": record.user.id, "rotation_ids": [r.id for r in record.rotations]}
    return inputs, outputs


class ScheduleOverrideProvider(ScheduleChildProvider[ScheduleOverrideInputs]):
    """``ScheduleOverride``: id ``<schedule id>/<alias>``; updated with a PUT of the whole override."""

    inputs_model = ScheduleOverrideInputs
    output_keys = frozenset({"user_id", "rotation_ids"})
    blank_outputs: ClassVar[dict[str, Any]] = {"user_id": None, "rotation_ids": []}
    key_name = "alias"
    unique_key = "alias"

    def fetch(self, client: OpsgenieClient, schedule_id: str, key: str) -> Live:
        """``GET /v2/schedules/{id}/overrides/{alias}``."""
        return override_live(schedule_id, client.get_override(schedule_id, key))

    def create_child(self, client: OpsgenieClient, schedule_id: str, body: dict[str, Any]) -> str:
        """``POST /v2/schedules/{id}/overrides``: the override's alias."""
        return client.create_override(schedule_id, body)

    def find_created(
        self, client: OpsgenieClient, inputs: ScheduleOverrideInputs, lost: LostCreate
    ) -> tuple[str, dict[str, Any]] | None:
        """Aliases are unique per schedule: when no override had this alias just before the create
        was sent (``lost.key_was_free``), the override with it is the one created."""
        if inputs.alias is None or f"{inputs.schedule_id}/{inputs.alias}" in lost.taken:
            return None
        found = self.made(client, inputs.schedule_id, inputs.alias)  # a 404: none (the base)
        if not lost.key_was_free:
            raise CannotTell(f"an override with alias '{inputs.alias}'", found[0], "alias")
        return found

    def key_holder(self, client: OpsgenieClient, inputs: ScheduleOverrideInputs) -> str | None:
        """``<schedule id>/<alias>`` when the schedule already has an override with this alias."""
        if inputs.alias is None:
            return None
        client.get_override(inputs.schedule_id, inputs.alias)  # a 404: none (the base)
        return f"{inputs.schedule_id}/{inputs.alias}"

    def update_remote(
        self, client: OpsgenieClient, id_: str, old: ScheduleOverrideInputs, new: ScheduleOverrideInputs
    ) -> dict[str, Any]:
        """``PUT`` the whole override (user and dates are mandatory there)."""
        schedule_id, alias = split_id(id_, self.key_name)
        client.update_override(schedule_id, alias, body(new, "schedule_id", "alias"))
        return self.fetch(client, schedule_id, alias)[1]

    def delete_remote(self, client: OpsgenieClient, id_: str, inputs: ScheduleOverrideInputs) -> None:
        """``DELETE /v2/schedules/{id}/overrides/{alias}``."""
        client.delete_override(*split_id(id_, self.key_name))

    def align(self, live: Live, reference: Mapping[str, Any]) -> Live:
        """The user and rotations named as in the program."""
        inputs = dict(live[0])
        inputs["user"] = align_ref(inputs["user"], reference.get("user"))
        if inputs.get("rotations"):
            refs = reference.get("rotations")
            inputs["rotations"] = [align_ref(r, item_at(refs, i)) for i, r in enumerate(inputs["rotations"])]
        return inputs, live[1]


class ScheduleOverride(ResourceBase[ScheduleOverrideArgs], module="opsgenie", name="ScheduleOverride"):
    """Someone else (or nobody) on call in a schedule for a while.

    ``ScheduleOverride(resource_name, ScheduleOverrideArgs(...), opts)`` or the same fields as
    keywords. Its id is ``<schedule id>/<alias>``; the alias defaults to the resource name.

    Example::

        from providers.opsgenie import Schedule, ScheduleOverride

        oncall = Schedule("oncall", name="Platform on-call", timezone="UTC")
        ScheduleOverride(
            "holiday-cover",
            schedule_id=oncall.id,
            user={"type": "user", "username": "bob@example.com"},
            start_date="2026-12-24T00:00:00Z",
            end_date="2026-12-27T00:00:00Z",
        )

    Import (adopt an existing override; the alias then defaults to the imported one)::

        ScheduleOverride("holiday-cover", ...,
                         opts=pulumi.ResourceOptions(import_="<schedule id>/<alias>"))
    """

    provider_type = ScheduleOverrideProvider
    args_type = ScheduleOverrideArgs

    if TYPE_CHECKING:  # what type checkers and editors read (tests/unit/test_signatures.py)
        # fmt: off
        def __init__(self, resource_name: str, args: ScheduleOverrideArgs | None = None,
                     opts: pulumi.ResourceOptions | None = None, *, schedule_id: pulumi.Input[str] = ...,
                     user: pulumi.Input[ParticipantArgs] = ..., start_date: pulumi.Input[str] = ...,
                     end_date: pulumi.Input[str] = ..., alias: pulumi.Input[str] | None = ...,
                     rotations: pulumi.Input[Sequence[pulumi.Input[EntityRefArgs]]] | None = ...) -> None: ...
        # fmt: on

    schedule_id: pulumi.Output[str]
    """The schedule's id."""
    alias: pulumi.Output[str]
    """The override's alias."""
    user_id: pulumi.Output[str | None]
    """The resolved id of the user (None for ``none``)."""
    rotation_ids: pulumi.Output[list[str]]
    """Ids of the rotations overridden (empty: all)."""

    def prepare(
        self, resource_name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None
    ) -> dict[str, Any]:
        """The alias defaults to the resource name (or, on import, to the imported one)."""
        if props.get("alias") is None:
            # A known alias lets a create whose answer was lost be found; an import keeps its own.
            imported = opts.import_ if opts is not None else None
            props = {**props, "alias": split_id(imported, "alias")[1] if imported else resource_name}
        return props
