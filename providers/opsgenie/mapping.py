"""What the three Opsgenie resources share: request bodies, references in the program's terms,
``<schedule id>/<key>`` ids (mapping only: the providers' bases are in ``providers.opsgenie.provider``).

Shared rules (see the README's Opsgenie section):

- Arguments left out are not managed: Opsgenie's value (its default time zone, the name
  it gives an unnamed rotation…) is kept and never shows as a diff (``Behaviour(optional=True)``
  on the models).
- A participant, owner team or override rotation is kept the way the program names it
  (by id, username or name); the ids Opsgenie resolves are outputs.
- ``Schedule.rotations``, when given, is the schedule's complete list of rotations (a
  change replaces them all, with new ids); when left out, the schedule's rotations
  belong to ``ScheduleRotation`` resources and the Schedule neither reads nor writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from providers._fields import cleared_on_removal
from providers.opsgenie.models import RotationRecord


def body(inputs: BaseModel, *exclude: str) -> dict[str, Any]:
    """The API body (camelCase) of ``inputs`` without the fields in ``exclude`` (path parameters)."""
    return inputs.model_dump(mode="json", by_alias=True, exclude_none=True, exclude=set(exclude))


def changes(old: BaseModel, new: BaseModel, cleared: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A partial-update body: the fields whose value changed; a field removed is sent as ``cleared``
    says (default: the value its model declares clears it, ``Behaviour(cleared_as=...)``), or left out."""
    before, after = body(old), body(new)
    if cleared is None:
        cleared = cleared_on_removal(type(new), by_alias=True)
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


def item_at(items: Any, index: int) -> Any:
    """``items[index]``, or None when ``items`` is no list that long (a reference the program lacks)."""
    return items[index] if isinstance(items, list) and index < len(items) else None


def align_rotation(live: dict[str, Any], ref: Any) -> dict[str, Any]:
    """A live rotation in the program's terms: participants named as there, a name Opsgenie gave dropped."""
    if not isinstance(ref, Mapping):
        return live
    out = {k: v for k, v in live.items() if k != "name" or ref.get("name") is not None}
    refs = ref.get("participants")
    out["participants"] = [align_ref(p, item_at(refs, i)) for i, p in enumerate(live.get("participants", []))]
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
