"""The Opsgenie ``ScheduleRotation``: one rotation through the Rotation API — its arguments, its
provider and the resource. Its id is ``<schedule id>/<rotation id>``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import pulumi

from providers._base import Live, LostCreate
from providers._resource import ResourceBase
from providers.opsgenie.client import OpsgenieClient
from providers.opsgenie.mapping import align_rotation, changes, rotation_inputs, split_id
from providers.opsgenie.models import RotationRecord, ScheduleRotationInputs
from providers.opsgenie.provider import ScheduleChildProvider
from providers.opsgenie.schedule import ParticipantArgs, TimeRestrictionArgs


@dataclass
class ScheduleRotationArgs:
    """Arguments of :class:`ScheduleRotation`: a rotation plus the schedule it belongs to."""

    schedule_id: pulumi.Input[str]
    """Id of the schedule (e.g. ``Schedule.id``); changing it replaces the rotation."""
    start_date: pulumi.Input[str]
    """Start of the first turn, ISO 8601 with offset; minutes rounded to :00/:30, kept in UTC."""
    type: pulumi.Input[Literal["hourly", "daily", "weekly"]]
    """Turn unit."""
    participants: pulumi.Input[Sequence[pulumi.Input[ParticipantArgs]]]
    """Who takes the turns, in order (at least one)."""
    name: pulumi.Input[str] | None = None
    """Rotation name (Opsgenie names an unnamed one "Rotation N"; that name is not managed)."""
    end_date: pulumi.Input[str] | None = None
    """End of the rotation, ISO 8601 with offset; none = never ends (removing it replaces the rotation)."""
    length: pulumi.Input[int] | None = None
    """Turn length in units of ``type`` (default 1)."""
    time_restriction: pulumi.Input[TimeRestrictionArgs] | None = None
    """Limits the rotation to daily or weekly windows (removing it replaces the rotation)."""


def rotation_live(schedule_id: str, record: RotationRecord) -> Live:
    """A rotation record as ``(inputs, outputs)`` of a ``ScheduleRotation``."""
    outputs = {"rotation_id": record.id, "participant_ids": [p.id for p in record.participants]}
    return {"schedule_id": schedule_id, **rotation_inputs(record)}, outputs


class ScheduleRotationProvider(ScheduleChildProvider[ScheduleRotationInputs]):
    """``ScheduleRotation``: one rotation through the Rotation API; id ``<schedule id>/<rotation id>``."""

    inputs_model = ScheduleRotationInputs
    output_keys = frozenset({"rotation_id", "participant_ids"})
    blank_outputs: ClassVar[dict[str, Any]] = {"participant_ids": []}
    key_name = "rotation id"

    def fetch(self, client: OpsgenieClient, schedule_id: str, key: str) -> Live:
        """``GET /v2/schedules/{id}/rotations/{rotationId}``."""
        return rotation_live(schedule_id, client.get_rotation(schedule_id, key))

    def create_child(self, client: OpsgenieClient, schedule_id: str, body: dict[str, Any]) -> str:
        """``POST /v2/schedules/{id}/rotations``: the new rotation's id."""
        return client.create_rotation(schedule_id, body)

    def find_created(
        self, client: OpsgenieClient, inputs: ScheduleRotationInputs, lost: LostCreate
    ) -> tuple[str, dict[str, Any]] | None:
        """The newest rotation of the schedule equal to the inputs (rotations are appended)."""
        want = self.dump(inputs)
        for record in reversed(client.list_rotations(inputs.schedule_id)):
            if f"{inputs.schedule_id}/{record.id}" in lost.taken:
                continue
            live = self.align_live(rotation_live(inputs.schedule_id, record), want)
            if self.dump(self.inputs_model.model_validate(live[0])) == want:
                return f"{inputs.schedule_id}/{record.id}", live[1]
        return None

    def update_remote(
        self, client: OpsgenieClient, id_: str, old: ScheduleRotationInputs, new: ScheduleRotationInputs
    ) -> dict[str, Any]:
        """A partial PATCH of the changed fields (removing ``end_date`` or ``time_restriction``
        replaces the rotation instead: the OAS types both as non-nullable, and a PATCH leaves out
        what it does not name; docs/api-assumptions.md)."""
        schedule_id, rotation_id = split_id(id_, self.key_name)
        patch = changes(old, new)
        if patch:
            client.update_rotation(schedule_id, rotation_id, patch)
        return self.fetch(client, schedule_id, rotation_id)[1]

    def delete_remote(self, client: OpsgenieClient, id_: str, inputs: ScheduleRotationInputs) -> None:
        """``DELETE /v2/schedules/{id}/rotations/{rotationId}``."""
        client.delete_rotation(*split_id(id_, self.key_name))

    def align(self, live: Live, reference: Mapping[str, Any]) -> Live:
        """Participants named as in the program; a name Opsgenie gave dropped."""
        return align_rotation(live[0], reference), live[1]


class ScheduleRotation(ResourceBase[ScheduleRotationArgs], module="opsgenie", name="ScheduleRotation"):
    """One rotation of a schedule whose ``rotations`` argument is left out (never both).

    ``ScheduleRotation(resource_name, ScheduleRotationArgs(...), opts)`` or the same fields as
    keywords. Its id is ``<schedule id>/<rotation id>``.

    Example::

        from providers.opsgenie import Schedule, ScheduleRotation

        oncall = Schedule("oncall", name="Platform on-call", timezone="UTC")
        ScheduleRotation(
            "weekdays",
            schedule_id=oncall.id,
            start_date="2026-01-05T09:00:00Z",
            type="weekly",
            participants=[{"type": "user", "username": "alice@example.com"}, {"type": "none"}],
        )

    Import (adopt an existing rotation)::

        ScheduleRotation("weekdays", ...,
                         opts=pulumi.ResourceOptions(import_="<schedule id>/<rotation id>"))
    """

    provider_type = ScheduleRotationProvider
    args_type = ScheduleRotationArgs

    if TYPE_CHECKING:  # what type checkers and editors read (tests/unit/test_signatures.py)
        # fmt: off
        def __init__(self, resource_name: str, args: ScheduleRotationArgs | None = None,
                     opts: pulumi.ResourceOptions | None = None, *, schedule_id: pulumi.Input[str] = ...,
                     start_date: pulumi.Input[str] = ...,
                     type: pulumi.Input[Literal["hourly", "daily", "weekly"]] = ...,
                     participants: pulumi.Input[Sequence[pulumi.Input[ParticipantArgs]]] = ...,
                     name: pulumi.Input[str] | None = ..., end_date: pulumi.Input[str] | None = ...,
                     length: pulumi.Input[int] | None = ...,
                     time_restriction: pulumi.Input[TimeRestrictionArgs] | None = ...) -> None: ...
        # fmt: on

    schedule_id: pulumi.Output[str]
    """The schedule's id."""
    rotation_id: pulumi.Output[str]
    """The rotation's own id."""
    participant_ids: pulumi.Output[list[str | None]]
    """The resolved id of each participant (None for ``none``)."""
