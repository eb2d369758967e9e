"""The Opsgenie ``Schedule``: its arguments, its provider (one call to create, the partial PATCH
to change), and the resource.

Arguments are the fields of :class:`ScheduleArgs`, given as that object or as keywords; nested
values are plain dicts typed by the ``*Args`` TypedDicts below (e.g. ``{"type": "user",
"username": "alice@example.com"}``); any of them may be a ``pulumi.Output``. Credentials come
from the stack config (``opsgenie:apiKey``, secret), never from arguments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Required, TypedDict

import pulumi

from providers._base import CannotTell, Live, LostCreate
from providers._http import NotFoundError
from providers._resource import ResourceBase
from providers.opsgenie.client import OpsgenieClient, identifier_type_of
from providers.opsgenie.mapping import align_ref, align_rotation, body, changes, item_at
from providers.opsgenie.models import ScheduleInputs, ScheduleRecord
from providers.opsgenie.provider import OpsgenieProvider, read_back
from providers.opsgenie.windows import Day

# ---------------------------------------------------------------- arguments


class ParticipantArgs(TypedDict, total=False):
    """A rotation participant or override user: by id, or by username (users) / name (teams, escalations)."""

    type: Required[pulumi.Input[Literal["user", "team", "escalation", "none"]]]
    """``user``, ``team``, ``escalation``, or ``none`` (a turn with nobody on call)."""
    id: pulumi.Input[str]
    """The user's, team's or escalation's id."""
    username: pulumi.Input[str]
    """A user's username (users only)."""
    name: pulumi.Input[str]
    """A team's or escalation's name (teams and escalations only)."""


class EntityRefArgs(TypedDict, total=False):
    """A team or rotation by id or name."""

    id: pulumi.Input[str]
    """Its id."""
    name: pulumi.Input[str]
    """Its name."""


class TimeOfDayRestrictionArgs(TypedDict):
    """A daily window in the schedule's time zone; minutes are rounded to 0 or 30."""

    start_hour: pulumi.Input[int]
    """Hour the window starts (0-23)."""
    start_min: pulumi.Input[int]
    """Minute the window starts; rounded to 0 or 30 as Opsgenie does."""
    end_hour: pulumi.Input[int]
    """Hour the window ends (0-23)."""
    end_min: pulumi.Input[int]
    """Minute the window ends; rounded to 0 or 30 as Opsgenie does."""


class WeekdayRestrictionArgs(TimeOfDayRestrictionArgs):
    """A weekly window: from ``start_day`` at the start time to ``end_day`` at the end time."""

    start_day: pulumi.Input[Day]
    """Day the window starts (monday … sunday)."""
    end_day: pulumi.Input[Day]
    """Day the window ends (monday … sunday)."""


class TimeRestrictionArgs(TypedDict, total=False):
    """When a rotation applies: ``time-of-day`` with ``restriction``, or the weekday form with a list."""

    type: Required[pulumi.Input[Literal["time-of-day", "weekday-and-time-of-day"]]]
    """``time-of-day`` (one daily window) or ``weekday-and-time-of-day`` (weekly windows)."""
    restriction: pulumi.Input[TimeOfDayRestrictionArgs]
    """The daily window (``time-of-day``)."""
    restrictions: pulumi.Input[Sequence[pulumi.Input[WeekdayRestrictionArgs]]]
    """1 to 15 weekly windows (``weekday-and-time-of-day``)."""


class RotationArgs(TypedDict, total=False):
    """A rotation: ``participants`` take turns of ``length`` hours/days/weeks from ``start_date``."""

    start_date: Required[pulumi.Input[str]]
    """Start of the first turn, ISO 8601 with offset; minutes rounded to :00/:30, kept in UTC."""
    type: Required[pulumi.Input[Literal["hourly", "daily", "weekly"]]]
    """Turn unit."""
    participants: Required[pulumi.Input[Sequence[pulumi.Input[ParticipantArgs]]]]
    """Who takes the turns, in order (at least one)."""
    name: pulumi.Input[str]
    """Rotation name (Opsgenie names an unnamed one "Rotation N"; that name is not managed)."""
    end_date: pulumi.Input[str]
    """End of the rotation, ISO 8601 with offset; none = never ends (removing it replaces the rotation)."""
    length: pulumi.Input[int]
    """Turn length in units of ``type`` (default 1)."""
    time_restriction: pulumi.Input[TimeRestrictionArgs]
    """Limits the rotation to daily or weekly windows (removing it replaces the rotation)."""


@dataclass
class ScheduleArgs:
    """Arguments of :class:`Schedule`; those left out are not managed (Opsgenie's values stay)."""

    name: pulumi.Input[str]
    """Unique schedule name (1-100 characters)."""
    description: pulumi.Input[str] | None = None
    """Description (at most 200 characters); removing it clears it."""
    timezone: pulumi.Input[str] | None = None
    """IANA time zone id, e.g. ``Europe/Berlin``."""
    enabled: pulumi.Input[bool] | None = None
    """Whether the schedule is enabled."""
    owner_team: pulumi.Input[EntityRefArgs] | None = None
    """Owner team by id or name."""
    rotations: pulumi.Input[Sequence[pulumi.Input[RotationArgs]]] | None = None
    """Every rotation of the schedule (replaced as a whole on change). Leave out to manage the
    rotations with :class:`~providers.opsgenie.ScheduleRotation` instead — never both on one schedule."""


# ---------------------------------------------------------------- provider


def schedule_live(record: ScheduleRecord) -> Live:
    """A schedule record as ``(inputs, outputs)``; no rotations reads as rotations left out."""
    inputs = record.model_dump(
        mode="json", exclude_none=True, exclude={"id": True, "rotations": {"__all__": {"id"}}}
    )
    if not inputs.get("rotations"):
        inputs.pop("rotations", None)
    outputs = {
        "rotation_ids": [r.id for r in record.rotations],
        "participant_ids": [[p.id for p in r.participants] for r in record.rotations],
        "owner_team_id": record.owner_team.id if record.owner_team else None,
        "owner_team_name": record.owner_team.name if record.owner_team else None,
    }
    return inputs, outputs


def owner_overwritten(live: Any, wanted: Any) -> bool:
    """Whether the API keeps another owner team than the program names (doc: an integration that
    belongs to a team "automatically overwrite ownerTeam")."""
    if not isinstance(wanted, Mapping) or not isinstance(live, Mapping):
        return False
    return any(wanted.get(k) is not None and live.get(k) != wanted[k] for k in ("id", "name"))


_NO_OUTPUTS: dict[str, Any] = {
    "rotation_ids": [],
    "participant_ids": [],
    "owner_team_id": None,
    "owner_team_name": None,
}


class ScheduleProvider(OpsgenieProvider[ScheduleInputs]):
    """``Schedule``: created with its rotations in one call, changed with the partial PATCH."""

    inputs_model = ScheduleInputs
    output_keys = frozenset({"rotation_ids", "participant_ids", "owner_team_id", "owner_team_name"})
    unique_key = "name"

    def create_remote(self, client: OpsgenieClient, inputs: ScheduleInputs) -> tuple[str, dict[str, Any]]:
        """``POST /v2/schedules``, then the outputs."""
        meta = client.create_schedule(body(inputs))
        blank: dict[str, Any] = {**_NO_OUTPUTS}
        return meta.id, read_back("schedule", meta.id, lambda: self._outputs(client, meta.id, inputs), blank)

    def key_holder(self, client: OpsgenieClient, inputs: ScheduleInputs) -> str | None:
        """The id of the schedule named ``inputs.name`` (names are unique), if there is one: from
        the schedules the process listed once (one call for every new schedule of an operation).
        A name taken after that listing makes the create fail (409); a lost create adopts by
        name only what its own look-up by name finds (``find_created``)."""
        return client.name_holder(inputs.name)

    def find_created(
        self, client: OpsgenieClient, inputs: ScheduleInputs, lost: LostCreate
    ) -> tuple[str, dict[str, Any]] | None:
        """Names are unique: when no schedule had this name just before the create was sent
        (``lost.key_was_free``), the schedule with this name is the one the lost create made.
        Otherwise it may be somebody else's: CannotTell, never adopted."""
        record = client.find_schedule(inputs.name)
        if record is None or record.id in lost.taken:
            return None
        client.listing.written(record.id)  # what the lost create made: never read from a listing
        if not lost.key_was_free:
            raise CannotTell(f"a schedule named '{inputs.name}'", record.id, "name")
        return record.id, self.align_live(schedule_live(record), self.dump(inputs))[1]

    def read_remote(self, client: OpsgenieClient, id_: str) -> Live | None:
        """From the process's one listing of the schedules (refresh and import of N schedules: one
        call, O10), else ``GET /v2/schedules/{id}`` (a 404: gone, read by the base)."""
        return schedule_live(client.read_schedule(id_))

    def update_remote(
        self, client: OpsgenieClient, id_: str, old: ScheduleInputs, new: ScheduleInputs
    ) -> dict[str, Any]:
        """One partial PATCH with what changed (rotations, when changed, as a whole)."""
        patch = changes(old, new)
        if patch:
            client.update_schedule(id_, patch)
        return self._outputs(client, id_, new)

    def delete_remote(self, client: OpsgenieClient, id_: str, inputs: ScheduleInputs) -> None:
        """``DELETE /v2/schedules/{id}`` (its rotations and overrides go with it)."""
        client.delete_schedule(id_)

    def resolve_import(self, client: OpsgenieClient, import_id: str) -> str:
        """Opsgenie ids are UUIDs: anything else is a schedule name, looked up by name."""
        if identifier_type_of(import_id) == "id":
            return import_id
        record = client.find_schedule(import_id)
        if record is None:
            raise NotFoundError(self.api, "import", import_id, 404, f"no schedule is named '{import_id}'")
        return record.id

    def align(self, live: Live, reference: Mapping[str, Any]) -> Live:
        """Only what the program manages, named the way it names it.

        An owner team the API chose over the program's (an integration that belongs to a team
        overwrites it, doc line 31) is not drift: sending the program's again would be
        overwritten again, a diff on every ``up``. The program's stays in the inputs; the
        team the API keeps is in the outputs ``owner_team_id`` / ``owner_team_name``.
        """
        inputs = dict(live[0])  # without what the program leaves out (Behaviour(optional=True))
        outputs = dict(live[1])
        if "owner_team" in inputs:
            wanted = reference["owner_team"]
            live_owner = inputs["owner_team"]
            inputs["owner_team"] = (
                wanted if owner_overwritten(live_owner, wanted) else align_ref(live_owner, wanted)
            )
        else:
            outputs.update(owner_team_id=None, owner_team_name=None)
        if "rotations" in inputs:
            refs = reference["rotations"]
            inputs["rotations"] = [
                align_rotation(r, item_at(refs, i)) for i, r in enumerate(inputs["rotations"])
            ]
        elif reference.get("rotations") is None:
            outputs.update(rotation_ids=[], participant_ids=[])
        return inputs, outputs

    def _outputs(self, client: OpsgenieClient, id_: str, inputs: ScheduleInputs) -> dict[str, Any]:
        # The create and update answers hold only id, name and enabled: the resolved ids need a
        # GET, made only when the program manages something that has them.
        if inputs.rotations is None and inputs.owner_team is None:
            return {**_NO_OUTPUTS}
        live = schedule_live(client.get_schedule(id_))
        wanted = self.dump(inputs).get("owner_team")
        if owner_overwritten(live[0].get("owner_team"), wanted):
            pulumi.log.warn(
                f"opsgenie: schedule '{inputs.name}': Opsgenie made '{live[1]['owner_team_name']}' its "
                f"owner team instead of {wanted} (the API key's integration belongs to that team, and "
                "then Opsgenie overwrites ownerTeam). The outputs owner_team_id/owner_team_name show "
                "the owner it keeps; name that team in owner_team, or use a key of an integration "
                "without a team."
            )
        return self.align_live(live, self.dump(inputs))[1]


# ---------------------------------------------------------------- resource


class Schedule(ResourceBase[ScheduleArgs], module="opsgenie", name="Schedule"):
    """An Opsgenie on-call schedule, with its rotations or without them.

    ``Schedule(resource_name, ScheduleArgs(...), opts)`` or the same fields as keywords.
    Config: ``opsgenie:apiKey`` (secret), ``opsgenie:apiUrl`` or ``opsgenie:region``.

    Example::

        import pulumi
        from providers.opsgenie import Schedule

        oncall = Schedule(
            "oncall",
            name="Platform on-call",
            timezone="Europe/Berlin",
            rotations=[{
                "name": "weekly",
                "start_date": "2026-01-05T09:00:00+01:00",
                "type": "weekly",
                "participants": [{"type": "user", "username": "alice@example.com"}],
            }],
        )
        pulumi.export("schedule_id", oncall.id)

    Import (adopt an existing schedule, which the next ``up`` makes match the program)::

        Schedule("oncall", name="Platform on-call",
                 opts=pulumi.ResourceOptions(import_="Platform on-call"))  # its id or its name
    """

    provider_type = ScheduleProvider
    args_type = ScheduleArgs

    if TYPE_CHECKING:  # what type checkers and editors read (tests/unit/test_signatures.py)
        # fmt: off
        def __init__(self, resource_name: str, args: ScheduleArgs | None = None,
                     opts: pulumi.ResourceOptions | None = None, *, name: pulumi.Input[str] = ...,
                     description: pulumi.Input[str] | None = ..., timezone: pulumi.Input[str] | None = ...,
                     enabled: pulumi.Input[bool] | None = ...,
                     owner_team: pulumi.Input[EntityRefArgs] | None = ...,
                     rotations: pulumi.Input[Sequence[pulumi.Input[RotationArgs]]] | None = ...) -> None: ...
        # fmt: on

    name: pulumi.Output[str]
    """The schedule's name."""
    description: pulumi.Output[str | None]
    """Its description (when managed)."""
    timezone: pulumi.Output[str | None]
    """Its time zone (when managed)."""
    enabled: pulumi.Output[bool | None]
    """Whether it is enabled (when managed)."""
    owner_team: pulumi.Output[dict[str, str] | None]
    """The owner team as given."""
    rotations: pulumi.Output[list[dict[str, Any]] | None]
    """The rotations as given (normalised: UTC dates, rounded minutes)."""
    rotation_ids: pulumi.Output[list[str]]
    """Ids of the rotations, in order (empty when ``rotations`` is left out)."""
    participant_ids: pulumi.Output[list[list[str | None]]]
    """Per rotation, the resolved id of each participant (None for ``none``)."""
    owner_team_id: pulumi.Output[str | None]
    """The id of the owner team Opsgenie keeps (when ``owner_team`` is given). An API key whose
    integration belongs to a team makes that team the owner, whatever ``owner_team`` says: then
    this differs from it, with a warning, and no diff follows (docs/api-assumptions.md, O7)."""
    owner_team_name: pulumi.Output[str | None]
    """The name of that owner team."""
