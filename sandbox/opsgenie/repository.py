"""Schedules in the store: look-up by id or name, the unique-name index, saving and deleting.

A schedule (with its rotations and overrides) is one document of kind
``opsgenie.schedule``. Names are unique per account: an index kind
``opsgenie.schedule-name`` maps each name to its schedule's id, so that the check
and the write of a create or rename happen in the caller's one transaction and two
concurrent writers can never both take a name. Names compare exactly (case matters).

Texts: an unknown schedule is a 404 "No schedule exists with id [x]" (or "with name
[x]"); a taken name is a 409 "Schedule with [name] [x] already exists." — 409 because
Opsgenie documents 409 for "ID or name conflicts with another entity", and the text
follows the one its API gives for a taken escalation name.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from sandbox.deps import StoreDep
from sandbox.opsgenie.errors import conflict, not_found, unprocessable
from sandbox.opsgenie.routing import ScheduleIdentifierType
from sandbox.store import Doc, Store, Tx

SCHEDULE = "opsgenie.schedule"
SCHEDULE_NAME = "opsgenie.schedule-name"
IDENTIFIER_TYPES = ("id", "name")


def identifier_type(value: str | None, param: str = "identifierType") -> str:
    """The ``identifierType`` query parameter (default ``id``), or a 422 for another value."""
    if value is None or value == "":
        return "id"
    if value not in IDENTIFIER_TYPES:
        raise unprocessable(f"Invalid {param} [{value}]: should be one of id, name")
    return value


@dataclass(frozen=True)
class Parent:
    """The schedule a rotation or override route names, by the path's ``identifier`` and its
    ``scheduleIdentifierType`` (:data:`ParentDep` reads both)."""

    store: Store
    identifier: str
    kind: str | None

    @contextmanager
    def read(self) -> Iterator[tuple[Tx, Doc]]:
        """A transaction and the schedule (a 404, or a 422 for a bad identifier type)."""
        with self.store.tx() as tx:
            yield tx, find_schedule(tx, self.identifier, identifier_type(self.kind, "scheduleIdentifierType"))

    @contextmanager
    def edit(self) -> Iterator[tuple[Tx, Doc]]:
        """As :meth:`read`; the schedule as the block left it is stored when the block ends without error."""
        with self.read() as (tx, schedule):
            yield tx, schedule
            save_schedule(tx, schedule, previous_name=schedule["name"])


async def _parent(store: StoreDep, identifier: str, kind: ScheduleIdentifierType = None) -> Parent:
    return Parent(store, identifier, kind)


ParentDep = Annotated[Parent, Depends(_parent)]


def find_schedule(tx: Tx, identifier: str, kind: str) -> Doc:
    """The schedule named by ``identifier`` (an id or a name, per ``kind``), or a 404."""
    schedule_id: str | None = identifier
    if kind == "name":
        entry = tx.get(SCHEDULE_NAME, identifier)
        schedule_id = entry["id"] if entry else None
    schedule = tx.get(SCHEDULE, schedule_id) if schedule_id else None
    if schedule is None:
        raise not_found(f"No schedule exists with {kind} [{identifier}]")
    return schedule


def save_schedule(tx: Tx, schedule: Doc, previous_name: str | None = None) -> None:
    """Store ``schedule``, claiming its name (a 409 when another schedule has it)."""
    name = schedule["name"]
    if name != previous_name:
        holder = tx.get(SCHEDULE_NAME, name)
        if holder is not None and holder["id"] != schedule["id"]:
            raise conflict(f"Schedule with [name] [{name}] already exists.")
        if previous_name is not None:
            tx.delete(SCHEDULE_NAME, previous_name)
        tx.put(SCHEDULE_NAME, name, {"id": schedule["id"]})
    tx.put(SCHEDULE, schedule["id"], schedule)


def delete_schedule(tx: Tx, schedule: Doc) -> None:
    """Remove ``schedule`` (with its rotations and overrides) and free its name."""
    tx.delete(SCHEDULE, schedule["id"])
    tx.delete(SCHEDULE_NAME, schedule["name"])


def list_schedules(tx: Tx) -> list[Doc]:
    """Every schedule, oldest first."""
    return tx.list(SCHEDULE)


def find_rotation(schedule: Doc, rotation_id: str) -> tuple[int, Doc]:
    """The position and record of a rotation of ``schedule``, or a 404."""
    for index, rotation in enumerate(schedule.get("rotations", [])):
        if rotation["id"] == rotation_id:
            return index, rotation
    raise not_found(f"No schedule rotation exists with id [{rotation_id}]")


def find_override(schedule: Doc, alias: str) -> tuple[int, Doc]:
    """The position and record of an override of ``schedule``, or a 404."""
    for index, override in enumerate(schedule.get("overrides", [])):
        if override["alias"] == alias:
            return index, override
    raise not_found(f"No schedule override exists with alias [{alias}]")
