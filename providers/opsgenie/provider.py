"""The Opsgenie providers: the mapping between the input models and the API, and which calls to make.

Shared rules (see the README's Opsgenie section):

- Arguments left out are not managed: Opsgenie's value (its default time zone, the name
  it gives an unnamed rotation…) is kept and never shows as a diff.
- A participant, owner team or override rotation is kept the way the program names it
  (by id, username or name); the ids Opsgenie resolves are outputs.
- ``Schedule.rotations``, when given, is the schedule's complete list of rotations (a
  change replaces them all, with new ids); when left out, the schedule's rotations
  belong to ``ScheduleRotation`` resources and the Schedule neither reads nor writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeVar

import pulumi
from pulumi.dynamic import DiffResult
from pydantic import BaseModel

from providers._base import CannotTell, ConfigError, LostCreate, ProviderBase
from providers._http import ApiError, NotFoundError
from providers.opsgenie.client import OpsgenieClient, api_url, identifier_type_of
from providers.opsgenie.models import ScheduleInputs, ScheduleOverrideInputs, ScheduleRotationInputs
from providers.opsgenie.records import OverrideRecord, RotationRecord, ScheduleRecord

InputsT = TypeVar("InputsT", bound=BaseModel)
Live = tuple[dict[str, Any], dict[str, Any]]

# Optional schedule fields the program may stop managing; a description left out is cleared.
_SCHEDULE_OPTIONAL = ("description", "timezone", "enabled", "owner_team", "rotations")


# ---------------------------------------------------------------- mapping helpers


def body(inputs: BaseModel, *exclude: str) -> dict[str, Any]:
    """The API body (camelCase) of ``inputs`` without the fields in ``exclude`` (path parameters)."""
    return inputs.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=set(exclude))


def changes(old: BaseModel, new: BaseModel, cleared: Mapping[str, Any]) -> dict[str, Any]:
    """A partial-update body: the fields whose value changed; a field removed is sent as ``cleared``."""
    before, after = body(old), body(new)
    patch = {k: v for k, v in after.items() if before.get(k) != v}
    patch.update({k: v for k, v in cleared.items() if k in before and k not in after})
    return patch


def align_ref(live: dict[str, Any], ref: Any) -> dict[str, Any]:
    """An entity reference kept with only the keys (id, username, name) the program named it by."""
    if not isinstance(ref, Mapping) or ref.get("type") != live.get("type"):
        return live
    used = [key for key in ("id", "username", "name") if ref.get(key) is not None]
    if not used or any(key not in live for key in used):
        return live  # named differently now (drift), or the API no longer knows the entity
    return {**{k: live[k] for k in ("type",) if k in live}, **{k: live[k] for k in used}}


def read_back(
    what: str, id_: str, read: Callable[[], dict[str, Any]], blank: dict[str, Any]
) -> dict[str, Any]:
    """The outputs of an object just created, read back with ``read``; ``blank`` when that fails.

    The create reached the API, so its id must reach the state whatever fails after it (a
    throttled or lost GET): losing it would leave an object no state knows, and the next
    ``up`` would create it again. The outputs are then filled in by ``pulumi refresh``.
    """
    try:
        return read()
    except ApiError as exc:
        pulumi.log.warn(
            f"opsgenie: {what} {id_} was created, but reading it back failed ({exc}); "
            "its computed outputs are empty until `pulumi refresh`"
        )
        return blank


def _at(items: Any, index: int) -> Any:
    return items[index] if isinstance(items, list) and index < len(items) else None


def align_rotation(live: dict[str, Any], ref: Any) -> dict[str, Any]:
    """A live rotation in the program's terms: participants named as there, a name Opsgenie gave dropped."""
    if not isinstance(ref, Mapping):
        return live
    out = {k: v for k, v in live.items() if k != "name" or ref.get("name") is not None}
    refs = ref.get("participants")
    out["participants"] = [align_ref(p, _at(refs, i)) for i, p in enumerate(live.get("participants", []))]
    return out


def rotation_inputs(record: RotationRecord) -> dict[str, Any]:
    """A rotation record as rotation inputs (without its id)."""
    return record.model_dump(mode="json", exclude_none=True, exclude={"id"})


def split_id(id_: str, what: str) -> tuple[str, str]:
    """``<schedule id>/<rest>`` → ``(schedule id, rest)``."""
    schedule_id, sep, rest = id_.partition("/")
    if not sep or not schedule_id or not rest:
        raise ValueError(f"'{id_}' is not an id of the form '<schedule id>/<{what}>'")
    return schedule_id, rest


class OpsgenieProvider(ProviderBase[InputsT, OpsgenieClient]):
    """Config shared by the Opsgenie resources: ``opsgenie:apiKey``, ``apiUrl``, ``region``."""

    api = "opsgenie"

    def make_client(self) -> OpsgenieClient:
        """The client for ``opsgenie:apiKey`` at ``opsgenie:apiUrl`` (else the ``opsgenie:region``'s URL)."""
        key = self.setting("apiKey", "OPSGENIE_API_KEY", required=True)
        assert key is not None
        try:
            explicit = self.url_setting("apiUrl", "OPSGENIE_API_URL")
            url = api_url(explicit, self.setting("region", "OPSGENIE_REGION"))
        except ValueError as exc:
            raise ConfigError(f"opsgenie: {exc}") from None
        return OpsgenieClient(key, url, rate_limit=self.rate_limit())


# ---------------------------------------------------------------- Schedule


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
        """The id of the schedule named ``inputs.name`` (names are unique), if there is one."""
        record = client.find_schedule(inputs.name)
        return None if record is None else record.id

    def find_created(
        self, client: OpsgenieClient, inputs: ScheduleInputs, lost: LostCreate
    ) -> tuple[str, dict[str, Any]] | None:
        """Names are unique: when no schedule had this name just before the create was sent
        (``lost.key_was_free``), the schedule with this name is the one the lost create made.
        Otherwise it may be somebody else's: CannotTell, never adopted."""
        record = client.find_schedule(inputs.name)
        if record is None or record.id in lost.taken:
            return None
        if not lost.key_was_free:
            raise CannotTell(f"a schedule named '{inputs.name}'", record.id, "name")
        return record.id, self.align(schedule_live(record), self.dump(inputs))[1]

    def read_remote(self, client: OpsgenieClient, id_: str) -> Live | None:
        """``GET /v2/schedules/{id}``; None when it is gone."""
        try:
            return schedule_live(client.get_schedule(id_))
        except NotFoundError:
            return None

    def update_remote(
        self, client: OpsgenieClient, id_: str, old: ScheduleInputs, new: ScheduleInputs
    ) -> dict[str, Any]:
        """One partial PATCH with what changed (rotations, when changed, as a whole)."""
        patch = changes(old, new, cleared={"description": ""})
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
        inputs = {
            k: v for k, v in live[0].items() if k not in _SCHEDULE_OPTIONAL or reference.get(k) is not None
        }
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
            inputs["rotations"] = [align_rotation(r, _at(refs, i)) for i, r in enumerate(inputs["rotations"])]
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
        return self.align(live, self.dump(inputs))[1]


# ---------------------------------------------------------------- rotations and overrides

# Rotation inputs that cannot be removed in place (the OAS allows no null): removing one replaces.
_REMOVED_BY_REPLACING = ("end_date", "time_restriction")


class ScheduleChildProvider(OpsgenieProvider[InputsT]):
    """A rotation or override: its id is ``<schedule id>/<key>`` (the rotation id or the alias)."""

    key_name: ClassVar[str]

    def fetch(self, client: OpsgenieClient, schedule_id: str, key: str) -> Live:
        """The live ``(inputs, outputs)`` (a 404 raises ``NotFoundError``)."""
        raise NotImplementedError

    def read_remote(self, client: OpsgenieClient, id_: str) -> Live | None:
        """The live object; None when it (or its schedule) is gone."""
        try:
            return self.fetch(client, *split_id(id_, self.key_name))
        except NotFoundError:
            return None

    blank_outputs: ClassVar[dict[str, Any]]
    """The outputs of an object just made whose read-back failed (see :func:`read_back`)."""

    def made(self, client: OpsgenieClient, schedule_id: str, key: str) -> tuple[str, dict[str, Any]]:
        """Id and outputs of an object just made (a GET: the create answers hold no resolved ids)."""
        id_ = f"{schedule_id}/{key}"
        blank = {**self.blank_outputs, **({"rotation_id": key} if "rotation_id" in self.output_keys else {})}
        return id_, read_back(self.key_name, id_, lambda: self.fetch(client, schedule_id, key)[1], blank)


def rotation_live(schedule_id: str, record: RotationRecord) -> Live:
    """A rotation record as ``(inputs, outputs)`` of a ``ScheduleRotation``."""
    outputs = {"rotation_id": record.id, "participant_ids": [p.id for p in record.participants]}
    return {"schedule_id": schedule_id, **rotation_inputs(record)}, outputs


class ScheduleRotationProvider(ScheduleChildProvider[ScheduleRotationInputs]):
    """``ScheduleRotation``: one rotation through the Rotation API; id ``<schedule id>/<rotation id>``."""

    inputs_model = ScheduleRotationInputs
    output_keys = frozenset({"rotation_id", "participant_ids"})
    blank_outputs: ClassVar[dict[str, Any]] = {"participant_ids": []}
    replace_on = frozenset({"schedule_id"})
    key_name = "rotation id"

    def fetch(self, client: OpsgenieClient, schedule_id: str, key: str) -> Live:
        """``GET /v2/schedules/{id}/rotations/{rotationId}``."""
        return rotation_live(schedule_id, client.get_rotation(schedule_id, key))

    def create_remote(
        self, client: OpsgenieClient, inputs: ScheduleRotationInputs
    ) -> tuple[str, dict[str, Any]]:
        """``POST /v2/schedules/{id}/rotations``."""
        rotation_id = client.create_rotation(inputs.schedule_id, body(inputs, "schedule_id"))
        return self.made(client, inputs.schedule_id, rotation_id)

    def find_created(
        self, client: OpsgenieClient, inputs: ScheduleRotationInputs, lost: LostCreate
    ) -> tuple[str, dict[str, Any]] | None:
        """The newest rotation of the schedule equal to the inputs (rotations are appended)."""
        want = self.dump(inputs)
        for record in reversed(client.list_rotations(inputs.schedule_id)):
            if f"{inputs.schedule_id}/{record.id}" in lost.taken:
                continue
            live = self.align(rotation_live(inputs.schedule_id, record), want)
            if self.dump(self.inputs_model.model_validate(live[0])) == want:
                return f"{inputs.schedule_id}/{record.id}", live[1]
        return None

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """As the base, but removing the end date or the time restriction replaces the rotation.

        The OAS types both as non-nullable, and a PATCH leaves out what it does not name: the
        documented way to drop one is a new rotation without it (docs/api-assumptions.md).
        """
        result = super().diff(_id, olds, news)
        removed = [k for k in _REMOVED_BY_REPLACING if olds.get(k) is not None and news.get(k) is None]
        if not removed:
            return result
        return DiffResult(
            changes=True,
            replaces=sorted({*(result.replaces or []), *removed}),
            stables=[k for k in (result.stables or []) if k not in removed],
            delete_before_replace=self.delete_before_replace,
        )

    def update_remote(
        self, client: OpsgenieClient, id_: str, old: ScheduleRotationInputs, new: ScheduleRotationInputs
    ) -> dict[str, Any]:
        """A partial PATCH of the changed fields (a removal never gets here: see :meth:`diff`)."""
        schedule_id, rotation_id = split_id(id_, self.key_name)
        patch = changes(old, new, cleared={})
        if patch:
            client.update_rotation(schedule_id, rotation_id, patch)
        return self.fetch(client, schedule_id, rotation_id)[1]

    def delete_remote(self, client: OpsgenieClient, id_: str, inputs: ScheduleRotationInputs) -> None:
        """``DELETE /v2/schedules/{id}/rotations/{rotationId}``."""
        client.delete_rotation(*split_id(id_, self.key_name))

    def align(self, live: Live, reference: Mapping[str, Any]) -> Live:
        """Participants named as in the program; a name Opsgenie gave dropped."""
        return align_rotation(live[0], reference), live[1]


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
    replace_on = frozenset({"schedule_id", "alias"})
    key_name = "alias"
    unique_key = "alias"

    def fetch(self, client: OpsgenieClient, schedule_id: str, key: str) -> Live:
        """``GET /v2/schedules/{id}/overrides/{alias}``."""
        return override_live(schedule_id, client.get_override(schedule_id, key))

    def create_remote(
        self, client: OpsgenieClient, inputs: ScheduleOverrideInputs
    ) -> tuple[str, dict[str, Any]]:
        """``POST /v2/schedules/{id}/overrides``."""
        alias = client.create_override(inputs.schedule_id, body(inputs, "schedule_id"))
        return self.made(client, inputs.schedule_id, alias)

    def find_created(
        self, client: OpsgenieClient, inputs: ScheduleOverrideInputs, lost: LostCreate
    ) -> tuple[str, dict[str, Any]] | None:
        """Aliases are unique per schedule: when no override had this alias just before the create
        was sent (``lost.key_was_free``), the override with it is the one created."""
        if inputs.alias is None or f"{inputs.schedule_id}/{inputs.alias}" in lost.taken:
            return None
        try:
            found = self.made(client, inputs.schedule_id, inputs.alias)
        except NotFoundError:
            return None
        if not lost.key_was_free:
            raise CannotTell(f"an override with alias '{inputs.alias}'", found[0], "alias")
        return found

    def key_holder(self, client: OpsgenieClient, inputs: ScheduleOverrideInputs) -> str | None:
        """``<schedule id>/<alias>`` when the schedule already has an override with this alias."""
        if inputs.alias is None:
            return None
        try:
            client.get_override(inputs.schedule_id, inputs.alias)
        except NotFoundError:
            return None
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
            inputs["rotations"] = [align_ref(r, _at(refs, i)) for i, r in enumerate(inputs["rotations"])]
        return inputs, live[1]
