"""Request bodies → stored records (validated, resolved, rounded) → API bodies.

Stored participants and owner teams keep only ``type`` and ``id``; names are looked
up when a record is shown, so the answers always fill in both the id and the
username (users) or name (teams, escalations), whichever the request named them by.
"""

from __future__ import annotations

import uuid
from typing import Any

from sandbox.opsgenie import accounts
from sandbox.opsgenie.clock import (
    FORMAT_HINT,
    format_instant,
    is_zone,
    parse_instant,
    round_instant,
    round_minutes,
)
from sandbox.opsgenie.models import (
    EntityRef,
    RecipientIn,
    RestrictionIn,
    RotationIn,
    ScheduleIn,
    TimeRestrictionIn,
)
from sandbox.opsgenie.timeline import DAYS, Recipient
from sandbox.store import Doc, Tx

Errors = dict[str, str]

NAME_LIMIT = 100
DESCRIPTION_LIMIT = 200
RESTRICTIONS_LIMIT = 15  # OAS WeekdayTimeRestrictionInterval maxItems
# Opsgenie's default account time zone; a schedule created without one gets it.
DEFAULT_TIMEZONE = "America/New_York"
MISSING = "should be provided"
DATE_FORMAT = f"should be a date in {FORMAT_HINT} format"


def _at(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def described(ref_id: str | None, field: str, name: str | None) -> str:
    """How a not-found message names a reference: ``id [x]`` or ``<field> [x]``."""
    return f"id [{ref_id}]" if ref_id else f"{field} [{name}]"


def given(model: Any) -> set[str]:
    """The fields a request body set to something other than null."""
    return {name for name in model.model_fields_set if getattr(model, name) is not None}


# ---------------------------------------------------------------- references


def resolve_recipient(
    tx: Tx, recipient: RecipientIn, path: str, errors: Errors, allowed: tuple[str, ...]
) -> Doc:
    """A participant or override user as stored (``{"type", "id"}``, or ``{"type": "none"}``)."""
    if recipient.type not in allowed:
        errors[_at(path, "type")] = f"should be one of {', '.join(allowed)}"
        return {"type": recipient.type}
    if recipient.type == "none":
        return {"type": "none"}
    field = accounts.NAME_FIELD[recipient.type]
    name = recipient.username if recipient.type == "user" else recipient.name
    if not recipient.id and not name:
        errors[path] = f"id or {field} should be provided"
        return {"type": recipient.type}
    doc = accounts.find(tx, recipient.type, id=recipient.id, name=name)
    if doc is None:
        errors[path] = f"No {recipient.type} exists with {described(recipient.id, field, name)}"
        return {"type": recipient.type}
    return {"type": recipient.type, "id": doc["id"]}


def resolve_team(tx: Tx, ref: EntityRef, path: str, errors: Errors) -> Doc | None:
    """An owner team reference as stored (``{"id"}``)."""
    if not ref.id and not ref.name:
        errors[path] = "id or name should be provided"
        return None
    team = accounts.find(tx, "team", id=ref.id, name=ref.name)
    if team is None:
        errors[path] = f"No team exists with {described(ref.id, 'name', ref.name)}"
        return None
    return {"id": team["id"]}


def show_recipient(tx: Tx, stored: Doc) -> Doc:
    """A stored participant as the API shows it (OAS ``Recipient``)."""
    kind = stored["type"]
    if kind not in accounts.KIND_OF or "id" not in stored:
        return {"type": kind}
    shown = {"type": kind, "id": stored["id"]}
    doc = tx.get(accounts.KIND_OF[kind], stored["id"])
    if doc is not None:
        shown[accounts.NAME_FIELD[kind]] = accounts.display_name(doc, kind)
    return shown


def recipient_of(tx: Tx, stored: Doc) -> Recipient | None:
    """A stored participant as a timeline :class:`Recipient` (None for ``none``)."""
    shown = show_recipient(tx, stored)
    if "id" not in shown:
        return None
    name = shown.get("username", shown.get("name", ""))
    return Recipient(id=shown["id"], type=shown["type"], name=str(name))


# ---------------------------------------------------------------- time restrictions


def _clock(item: RestrictionIn, path: str, errors: Errors, side: str) -> tuple[int, int, int] | None:
    """``(hour, minute, carry_days)`` of the start or end of a restriction, rounded."""
    hour, minute = getattr(item, f"{side}Hour"), getattr(item, f"{side}Min")
    for name, value, top in ((f"{side}Hour", hour, 23), (f"{side}Min", minute, 59)):
        if value is None:
            errors[_at(path, name)] = MISSING
        elif not 0 <= value <= top:
            errors[_at(path, name)] = f"should be between 0 and {top}"
    if hour is None or minute is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    carry, minute = round_minutes(minute)
    hour += carry
    return hour % 24, minute, hour // 24


def _restriction(item: RestrictionIn, path: str, errors: Errors, weekday: bool) -> Doc | None:
    start, end = _clock(item, path, errors, "start"), _clock(item, path, errors, "end")
    if weekday:
        for name in ("startDay", "endDay"):
            if getattr(item, name) is None:
                errors[_at(path, name)] = MISSING
    if start is None or end is None:
        return None
    if not weekday:
        return {"startHour": start[0], "startMin": start[1], "endHour": end[0], "endMin": end[1]}
    if item.startDay is None or item.endDay is None:
        return None
    # A rounding past midnight (23:45 → 00:00) moves to the next day.
    return {
        "startDay": DAYS[(DAYS.index(item.startDay) + start[2]) % 7],
        "startHour": start[0],
        "startMin": start[1],
        "endDay": DAYS[(DAYS.index(item.endDay) + end[2]) % 7],
        "endHour": end[0],
        "endMin": end[1],
    }


def build_restriction(given_tr: TimeRestrictionIn, path: str, errors: Errors) -> Doc | None:
    """A time restriction as stored and shown: the OAS form of its type, minutes rounded.

    ``time-of-day`` takes ``restriction``; a ``restrictions`` list of one item (the
    form the docs' Get Schedule sample shows) is read the same way.
    """
    if given_tr.type == "time-of-day":
        items = [given_tr.restriction] if given_tr.restriction else list(given_tr.restrictions or [])
        if len(items) != 1:
            errors[_at(path, "restriction")] = MISSING if not items else "time-of-day takes one restriction"
            return None
        restriction = _restriction(items[0], _at(path, "restriction"), errors, weekday=False)
        return None if restriction is None else {"type": "time-of-day", "restriction": restriction}
    items = list(given_tr.restrictions or ([given_tr.restriction] if given_tr.restriction else []))
    if not 1 <= len(items) <= RESTRICTIONS_LIMIT:
        errors[_at(path, "restrictions")] = f"should hold 1 to {RESTRICTIONS_LIMIT} restrictions"
        return None
    shown = [
        _restriction(item, f"{_at(path, 'restrictions')}[{i}]", errors, weekday=True)
        for i, item in enumerate(items)
    ]
    if any(item is None for item in shown):
        return None
    return {"type": "weekday-and-time-of-day", "restrictions": shown}


# ---------------------------------------------------------------- rotations


def _date(value: str, path: str, errors: Errors) -> str | None:
    moment = parse_instant(value)
    if moment is None:
        errors[path] = DATE_FORMAT
        return None
    return format_instant(round_instant(moment))


def build_rotation(
    tx: Tx, body: RotationIn, path: str, errors: Errors, *, base: Doc | None = None, number: int = 1
) -> Doc:
    """A rotation as stored: ``body`` applied onto ``base`` (an update) or onto defaults (a create)."""
    fields = given(body)
    rotation: Doc = (
        dict(base) if base else {"id": str(uuid.uuid4()), "name": f"Rotation {number}", "length": 1}
    )
    if base is None:
        for required in ("startDate", "type", "participants"):
            if required not in fields:
                errors[_at(path, required)] = MISSING
    if "name" in fields:
        rotation["name"] = body.name
    if "type" in fields:
        rotation["type"] = body.type
    if "length" in fields:
        assert body.length is not None
        if body.length < 1:
            errors[_at(path, "length")] = "should be at least 1"
        rotation["length"] = body.length
    for name in ("startDate", "endDate"):
        if name in fields:
            rotation[name] = _date(getattr(body, name), _at(path, name), errors)
    if "endDate" in body.model_fields_set and "endDate" not in fields:
        rotation.pop("endDate", None)  # an explicit null removes the end date
    start, end = parse_instant(rotation.get("startDate")), parse_instant(rotation.get("endDate"))
    if start and end and end <= start:
        errors[_at(path, "endDate")] = "should be after startDate"
    if "participants" in fields:
        assert body.participants is not None
        if not body.participants:
            errors[_at(path, "participants")] = "should hold at least one participant"
        rotation["participants"] = [
            resolve_recipient(
                tx, p, f"{_at(path, 'participants')}[{i}]", errors, ("user", "team", "escalation", "none")
            )
            for i, p in enumerate(body.participants)
        ]
    if "timeRestriction" in fields:
        assert body.timeRestriction is not None
        rotation["timeRestriction"] = build_restriction(
            body.timeRestriction, _at(path, "timeRestriction"), errors
        )
    elif "timeRestriction" in body.model_fields_set:
        rotation.pop("timeRestriction", None)
    return {key: value for key, value in rotation.items() if value is not None}


def show_rotation(tx: Tx, rotation: Doc) -> Doc:
    """A stored rotation as the API shows it (OAS ``ScheduleRotation``)."""
    shown = {
        key: rotation[key]
        for key in ("id", "name", "startDate", "endDate", "type", "length")
        if key in rotation
    }
    shown["participants"] = [show_recipient(tx, p) for p in rotation.get("participants", [])]
    if "timeRestriction" in rotation:
        shown["timeRestriction"] = rotation["timeRestriction"]
    return shown


# ---------------------------------------------------------------- schedules


def apply_schedule(tx: Tx, body: ScheduleIn, schedule: Doc, errors: Errors) -> Doc:
    """``schedule`` with the fields ``body`` gives changed (validated); rotations given replace all."""
    fields = given(body)
    updated = dict(schedule)
    if "name" in fields:
        assert body.name is not None
        if not body.name.strip():
            errors["name"] = "should not be empty"
        elif len(body.name) > NAME_LIMIT:
            errors["name"] = f"should be at most {NAME_LIMIT} characters"
        updated["name"] = body.name
    if "description" in fields:
        assert body.description is not None
        if len(body.description) > DESCRIPTION_LIMIT:
            errors["description"] = f"should be at most {DESCRIPTION_LIMIT} characters"
        updated["description"] = body.description
    if "timezone" in fields:
        if not is_zone(body.timezone):
            errors["timezone"] = f"Invalid timezone [{body.timezone}]"
        updated["timezone"] = body.timezone
    if "enabled" in fields:
        updated["enabled"] = body.enabled
    if "ownerTeam" in fields:
        assert body.ownerTeam is not None
        updated["ownerTeam"] = resolve_team(tx, body.ownerTeam, "ownerTeam", errors)
    integration_team = tx.get_meta(accounts.INTEGRATION_TEAM)
    creating = "name" not in schedule
    if integration_team and ("ownerTeam" in fields or creating):
        # "If integration belongs to any team, it automatically overwrite ownerTeam object."
        updated["ownerTeam"] = {"id": integration_team}
    if "rotations" in fields:
        assert body.rotations is not None
        if not body.rotations:
            errors["rotations"] = "should hold at least one rotation"
        updated["rotations"] = [
            build_rotation(tx, rotation, f"rotations[{i}]", errors, number=i + 1)
            for i, rotation in enumerate(body.rotations)
        ]
    return updated


def new_schedule(tx: Tx, body: ScheduleIn, errors: Errors) -> Doc:
    """A schedule to create, with Opsgenie's defaults for what ``body`` leaves out."""
    if "name" not in given(body):
        errors["name"] = MISSING
    blank = {
        "id": str(uuid.uuid4()),
        "timezone": DEFAULT_TIMEZONE,
        "enabled": True,
        "rotations": [],
        "overrides": [],
    }
    return apply_schedule(tx, body, blank, errors)


def schedule_meta(schedule: Doc) -> Doc:
    """OAS ``ScheduleMeta``: id, name and enabled."""
    return {"id": schedule["id"], "name": schedule["name"], "enabled": schedule["enabled"]}


def show_schedule(tx: Tx, schedule: Doc, *, rotations: bool = True) -> Doc:
    """A stored schedule as the API shows it (OAS ``Schedule``)."""
    shown: Doc = {"id": schedule["id"], "name": schedule["name"]}
    if schedule.get("description") is not None:
        shown["description"] = schedule["description"]
    shown["timezone"] = schedule["timezone"]
    shown["enabled"] = schedule["enabled"]
    team = schedule.get("ownerTeam")
    if team:
        doc = tx.get(accounts.TEAM, team["id"])
        shown["ownerTeam"] = {"id": team["id"], "name": doc["name"]} if doc else {"id": team["id"]}
    if rotations:
        shown["rotations"] = [show_rotation(tx, r) for r in schedule.get("rotations", [])]
    return shown
