"""Request bodies of the Schedule, Rotation and Override APIs (pydantic v2).

The models check shapes and types only (unknown fields are ignored, as Opsgenie
does). Which fields are mandatory differs between create and update, so every
field is optional here and :mod:`sandbox.opsgenie.records` enforces the rules with
the field paths Opsgenie reports (``rotations[0].participants[1].type``).
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from sandbox.opsgenie.errors import not_processable

Day = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class EntityRef(_Body):
    """A reference by id and/or name (owner team, override rotation)."""

    id: str | None = None
    name: str | None = None


class RecipientIn(_Body):
    """A rotation participant or override user: ``type`` plus id, username or name."""

    type: Literal["user", "team", "escalation", "none"]
    id: str | None = None
    username: str | None = None
    name: str | None = None


class RestrictionIn(_Body):
    """One restriction; ``startDay``/``endDay`` only in the weekday form."""

    startDay: Day | None = None
    startHour: int | None = None
    startMin: int | None = None
    endDay: Day | None = None
    endHour: int | None = None
    endMin: int | None = None


class TimeRestrictionIn(_Body):
    """``time-of-day`` with ``restriction`` (or a one-item ``restrictions``), or the weekday form."""

    type: Literal["time-of-day", "weekday-and-time-of-day"]
    restriction: RestrictionIn | None = None
    restrictions: list[RestrictionIn] | None = None


class RotationIn(_Body):
    """A rotation, in a schedule body or on its own (Rotation API)."""

    name: str | None = None
    startDate: str | None = None
    endDate: str | None = None
    type: Literal["daily", "weekly", "hourly"] | None = None
    length: int | None = None
    participants: list[RecipientIn] | None = None
    timeRestriction: TimeRestrictionIn | None = None


class ScheduleIn(_Body):
    """A schedule to create, or the fields of one to change."""

    name: str | None = None
    description: str | None = None
    timezone: str | None = None
    enabled: bool | None = None
    ownerTeam: EntityRef | None = None
    rotations: list[RotationIn] | None = None


class OverrideIn(_Body):
    """An override to create or replace."""

    alias: str | None = None
    user: RecipientIn | None = None
    startDate: str | None = None
    endDate: str | None = None
    rotations: list[EntityRef] | None = None


class UserIn(_Body):
    """An account user to add (admin route)."""

    username: str
    fullName: str = ""


class NamedIn(_Body):
    """A team or escalation to add (admin route)."""

    name: str


class IntegrationIn(_Body):
    """``PUT /_sandbox/opsgenie/integration``: the team the API key's integration belongs to."""

    team: str | None = None


def field_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as Opsgenie writes a field path: ``rotations[0].type``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], body: Any) -> M:
    """``body`` (parsed JSON, None when empty) as ``model``, or a 422 naming each bad field."""
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise not_processable({"body": "should be a JSON object"})
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            # Literal/union checks report the branch in the location; keep field names only.
            loc = tuple(
                p for p in error["loc"] if isinstance(p, int) or not p.startswith(("literal[", "function-"))
            )
            errors.setdefault(field_path(loc) or "body", str(error["msg"]))
        raise not_processable(errors) from exc
