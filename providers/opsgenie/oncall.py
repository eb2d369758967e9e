"""Who is on call when, computed from a schedule's definition (no API call).

The prediction has the shape of Opsgenie's own timeline answer's ``finalTimeline``
(:class:`providers.opsgenie.models.Timeline`: per rotation, its periods, each with a
``recipient``; override periods have ``type == "override"``), so a prediction and
``get_schedule_timeline(...).final_timeline`` compare period for period (:func:`compare`).

The rules (from the docs; those they leave open are registered in ``docs/api-assumptions.md``):
participants take turns in order from ``start_date`` (a ``none`` turn has nobody on call) until
``end_date``; a time restriction keeps only the parts of each turn inside its windows
(:mod:`providers.opsgenie.windows`); an override puts its user (or nobody) on call for its whole
stretch in the rotations it names (all when it names none), whatever the rotation says then, a
later override winning over an earlier one; adjacent periods of the same recipient and type are
one period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from providers._base import field_path
from providers._fields import DefinitionError
from providers.opsgenie.models import (
    Participant,
    RotationInputs,
    ScheduleInputs,
    ScheduleOverrideInputs,
    ScheduleRotationInputs,
    Timeline,
    TimelinePeriod,
    TimelineRecipient,
    TimelineRotation,
)
from providers.opsgenie.windows import Span, Turns, intersect, merge, restriction_windows, subtract, utc


class PredictionError(DefinitionError):
    """A definition that cannot be predicted; ``field`` names the input (``rotations[0].end_date``)."""


@dataclass(frozen=True)
class Shift:
    """One stretch of on-call time of one recipient (adjacent periods of the same recipient merged)."""

    start: datetime
    """Start (aware, UTC)."""
    end: datetime
    """End (aware, UTC), exclusive."""
    recipient: str
    """Who: a user's username, a team's or escalation's name (or id when only the id is known)."""
    override: bool = False
    """Whether an override put them there."""


# ---------------------------------------------------------------- reading the inputs

_PLACEHOLDER_ID = "(schedule)"  # the schedule id of separate resources plays no part here


def _validate(model: type[Any], raw: Mapping[str, Any], prefix: str) -> Any:
    # Only the inputs: a state's outputs (ids, `__provider`) beside them are no definition.
    try:
        return model.model_validate({k: v for k, v in raw.items() if k in model.model_fields})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = field_path((prefix, *err["loc"])) if prefix else field_path(err["loc"])
        raise PredictionError(where or "(schedule)", err["msg"].removeprefix("Value error, ")) from None


@dataclass(frozen=True)
class _Rotation:
    inputs: RotationInputs
    id: str | None
    name: str
    order: int


def _rotations(
    schedule: Mapping[str, Any], separate: Sequence[Mapping[str, Any]]
) -> tuple[ZoneInfo, list[_Rotation]]:
    inline = list(schedule.get("rotations") or ())
    ids = [r.get("id") for r in inline]  # a rotation's id (an output) matches overrides naming it
    body = {"name": "(schedule)", **{k: v for k, v in schedule.items() if k != "rotations"}}
    if inline:
        body["rotations"] = [{k: v for k, v in r.items() if k in RotationInputs.model_fields} for r in inline]
    model: ScheduleInputs = _validate(ScheduleInputs, body, "")
    zone = ZoneInfo(model.timezone or "UTC")
    found: list[tuple[RotationInputs, str | None]] = list(zip(model.rotations or [], ids, strict=True))
    for i, raw in enumerate(separate):
        fields = {**raw, "schedule_id": _PLACEHOLDER_ID}
        found.append((_validate(ScheduleRotationInputs, fields, f"schedule_rotations[{i}]"), raw.get("id")))
    return zone, [
        _Rotation(inputs, id_, inputs.name or f"Rotation {n}", n) for n, (inputs, id_) in enumerate(found, 1)
    ]


def _recipient(participant: Participant) -> TimelineRecipient:
    return TimelineRecipient(
        id=participant.id, name=participant.username or participant.name, type=participant.type
    )


# ---------------------------------------------------------------- the prediction


# A period while it is computed: (start, end, type, the participant's index or an override's).
_Piece = tuple[datetime, datetime, str, int]


def _base_periods(rotation: _Rotation, zone: ZoneInfo, start: datetime, end: datetime) -> list[_Piece]:
    inputs = rotation.inputs
    lo = max(start, datetime.fromisoformat(inputs.start_date))
    hi = min(end, datetime.fromisoformat(inputs.end_date)) if inputs.end_date else end
    if lo >= hi:
        return []
    windows = restriction_windows(inputs.time_restriction, zone, lo, hi) if inputs.time_restriction else None
    periods: list[_Piece] = []
    count = len(inputs.participants)
    for k, span in Turns(inputs, zone).spans(lo, hi):
        if inputs.participants[k % count].type == "none":
            continue
        periods += [
            (a, b, "default", k % count) for a, b in ([span] if windows is None else intersect(span, windows))
        ]
    return periods


def _applies(override: ScheduleOverrideInputs, rotation: _Rotation) -> bool:
    if override.rotations is None:
        return True
    return any(
        (ref.id is not None and ref.id == rotation.id) or (ref.name is not None and ref.name == rotation.name)
        for ref in override.rotations
    )


def _check_references(overrides: list[ScheduleOverrideInputs], rotations: list[_Rotation]) -> None:
    for i, override in enumerate(overrides):
        for j, ref in enumerate(override.rotations or ()):
            if not any((r.id is not None and r.id == ref.id) or r.name == ref.name for r in rotations):
                which = (
                    f"named {ref.name!r}" if ref.name else f"of id {ref.id} (a rotation's id is its `id` key)"
                )
                raise PredictionError(
                    f"overrides[{i}].rotations[{j}]", f"the schedule has no rotation {which}"
                )


def _override_periods(
    overrides: list[ScheduleOverrideInputs], rotation: _Rotation, start: datetime, end: datetime
) -> tuple[list[_Piece], list[Span]]:
    """The override periods of a rotation and the stretches overrides take (a later one wins)."""
    taken: list[Span] = []
    periods: list[_Piece] = []
    for n, override in reversed(list(enumerate(overrides))):
        if not _applies(override, rotation):
            continue
        span = (
            max(start, datetime.fromisoformat(override.start_date)),
            min(end, datetime.fromisoformat(override.end_date)),
        )
        free = subtract(merge([span]), taken)
        taken = merge([*taken, *free])
        if override.user.type != "none":
            periods += [(a, b, "override", n) for a, b in free]
    return periods, taken


def _joined(pieces: list[_Piece], who: dict[tuple[str, int], TimelineRecipient]) -> list[TimelinePeriod]:
    """The periods in time order, adjacent pieces of the same recipient and type joined."""
    out: list[tuple[datetime, datetime, str, TimelineRecipient]] = []
    for a, b, kind, n in sorted(pieces):
        recipient = who[kind, n]
        if out and out[-1][1] == a and out[-1][2] == kind and out[-1][3] == recipient:
            out[-1] = (out[-1][0], b, kind, recipient)
        else:
            out.append((a, b, kind, recipient))
    return [TimelinePeriod(start_date=a, end_date=b, type=kind, recipient=r) for a, b, kind, r in out]


def predict_timeline(
    schedule: Mapping[str, Any],
    start: datetime,
    end: datetime,
    *,
    rotations: Sequence[Mapping[str, Any]] = (),
    overrides: Sequence[Mapping[str, Any]] = (),
) -> Timeline:
    """The final timeline of a schedule over ``[start, end)``.

    ``schedule`` is a ``Schedule`` resource's inputs as the program gives them (snake_case:
    ``timezone``, ``rotations``, …); ``rotations`` are the inputs of separate ``ScheduleRotation``
    resources of that schedule, ``overrides`` those of its ``ScheduleOverride`` resources, in the
    order they were made (a later override wins where two overlap). Keys that are no input (a
    state's outputs) are ignored, except a rotation's ``id``, which overrides naming rotations by
    id match. A schedule without a ``timezone`` is predicted in UTC. Raises
    :class:`PredictionError` naming the field for a definition that cannot be predicted.

    Calls no API: computed from the definition alone.
    """
    start, end = utc(start), utc(end)
    if end < start:
        raise PredictionError("end", f"{end:%Y-%m-%dT%H:%M:%SZ} is before start {start:%Y-%m-%dT%H:%M:%SZ}")
    zone, rotation_list = _rotations(schedule, rotations)
    override_list: list[ScheduleOverrideInputs] = [
        _validate(ScheduleOverrideInputs, {**raw, "schedule_id": _PLACEHOLDER_ID}, f"overrides[{i}]")
        for i, raw in enumerate(overrides)
    ]
    _check_references(override_list, rotation_list)
    timeline = Timeline()
    override_who = {("override", n): _recipient(o.user) for n, o in enumerate(override_list)}
    for rotation in rotation_list:
        taken_periods, taken = _override_periods(override_list, rotation, start, end)
        base = [
            (a, b, kind, n)
            for start_, end_, kind, n in _base_periods(rotation, zone, start, end)
            for a, b in (subtract([(start_, end_)], taken) if taken else [(start_, end_)])
        ]
        who = {("default", n): _recipient(p) for n, p in enumerate(rotation.inputs.participants)}
        timeline.rotations.append(
            TimelineRotation(
                id=rotation.id,
                name=rotation.name,
                order=rotation.order,
                periods=_joined(base + taken_periods, {**who, **override_who}),
            )
        )
    return timeline


# ---------------------------------------------------------------- reading a timeline


def _label(recipient: TimelineRecipient | None, names: Mapping[str, str] | None = None) -> str:
    if recipient is None:
        return "(nobody)"
    if recipient.name:
        return recipient.name
    return (names or {}).get(recipient.id or "", recipient.id or "(unnamed)")


def _who(period: TimelinePeriod) -> TimelineRecipient | None:
    if period.recipient is None and period.flattened_recipients:
        return period.flattened_recipients[0]  # a historical period names them here
    return period.recipient


def shifts(timeline: Timeline) -> list[Shift]:
    """The on-call shifts of a (predicted or live) final timeline, in time order.

    The same recipient's periods that touch or overlap (in one rotation or several) are one
    shift, separately for override and rotation periods.

    Calls no API: computed from the definition alone.
    """
    spans: dict[tuple[str, bool], list[Span]] = {}
    for rotation in timeline.rotations:
        for period in rotation.periods:
            key = (_label(_who(period)), period.type == "override")
            spans.setdefault(key, []).append((utc(period.start_date), utc(period.end_date)))
    out = [
        Shift(start=a, end=b, recipient=who, override=override)
        for (who, override), items in spans.items()
        for a, b in merge(items)
    ]
    return sorted(out, key=lambda s: (s.start, s.end, s.recipient))


def clip(timeline: Timeline, start: datetime, end: datetime) -> Timeline:
    """The timeline within ``[start, end)``: periods cut at the edges, those outside dropped.

    For comparing a prediction with a live answer that starts at another moment (the docs'
    sample answer starts its final timeline at the request's moment): clip both to one window.

    Calls no API: computed from the definition alone.
    """
    lo, hi = utc(start), utc(end)
    return Timeline(
        rotations=[
            rotation.model_copy(
                update={
                    "periods": [
                        p.model_copy(
                            update={
                                "start_date": max(utc(p.start_date), lo),
                                "end_date": min(utc(p.end_date), hi),
                            }
                        )
                        for p in rotation.periods
                        if utc(p.start_date) < hi and utc(p.end_date) > lo
                    ]
                }
            )
            for rotation in timeline.rotations
        ]
    )


def gaps(timeline: Timeline, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The stretches of ``[start, end)`` when nobody is on call, in time order.

    Calls no API: computed from the definition alone.
    """
    covered = merge([(utc(p.start_date), utc(p.end_date)) for r in timeline.rotations for p in r.periods])
    return subtract([(utc(start), utc(end))], covered) if utc(start) < utc(end) else []


def hours_by_recipient(timeline: Timeline, start: datetime, end: datetime) -> dict[str, float]:
    """Hours on call per recipient within ``[start, end)`` (overlapping periods counted once).

    Calls no API: computed from the definition alone.
    """
    spans: dict[str, list[Span]] = {}
    for shift in shifts(timeline):
        spans.setdefault(shift.recipient, []).append((shift.start, shift.end))
    window = [(utc(start), utc(end))]
    return {
        who: sum(((b - a) for a, b in merge(intersect_all(items, window))), timedelta()) / timedelta(hours=1)
        for who, items in sorted(spans.items())
    }


def intersect_all(spans: list[Span], windows: list[Span]) -> list[Span]:
    """The parts of ``spans`` inside ``windows``."""
    return [part for span in spans for part in intersect(span, windows)]


# ---------------------------------------------------------------- prediction against the live answer


def _fmt(moment: datetime) -> str:
    return utc(moment).strftime("%Y-%m-%d %H:%M:%SZ").replace(":00Z", "Z")


def _describe(period: TimelinePeriod, names: Mapping[str, str]) -> str:
    return (
        f"{_fmt(period.start_date)} - {_fmt(period.end_date)} {_label(_who(period), names)} ({period.type})"
    )


def compare(predicted: Timeline, live: Timeline) -> list[str]:
    """The differences between a predicted and a live final timeline, period by period (none: equal).

    Rotations are paired by order and name, else by name alone (a renamed rotation shows as one
    predicted, not live, and one live, not predicted); periods by position. A recipient matches by id
    when both sides have one, else by name (the live answer's ids name the predicted ones); a
    live ``historical`` period matches a predicted period of any type.

    Calls no API: computed from the definition alone.
    """
    names = {
        r.id: r.name
        for rot in live.rotations
        for p in rot.periods
        for r in [p.recipient, *p.flattened_recipients]
        if r is not None and r.id and r.name
    }
    out: list[str] = []
    live_rotations = list(live.rotations)
    for rot in predicted.rotations:
        twin = next((r for r in live_rotations if r.order == rot.order and r.name == rot.name), None) or next(
            (r for r in live_rotations if r.name == rot.name), None
        )
        title = f"rotation {rot.name!r}"
        if twin is None:
            out.append(f"{title}: predicted, but not in the live timeline")
            continue
        live_rotations.remove(twin)
        for n, (mine, theirs) in enumerate(zip(rot.periods, twin.periods, strict=False), 1):
            if not _same(mine, theirs, names):
                mine_text, theirs_text = _describe(mine, names), _describe(theirs, names)
                out.append(f"{title}, period {n}: predicted {mine_text}, live {theirs_text}")
        for n, extra in enumerate(rot.periods[len(twin.periods) :], len(twin.periods) + 1):
            out.append(f"{title}, period {n}: predicted {_describe(extra, names)}, not live")
        for n, extra in enumerate(twin.periods[len(rot.periods) :], len(rot.periods) + 1):
            out.append(f"{title}, period {n}: live {_describe(extra, names)}, not predicted")
    out += [f"rotation {r.name!r}: live, but not predicted" for r in live_rotations]
    return out


def _same(mine: TimelinePeriod, theirs: TimelinePeriod, names: Mapping[str, str]) -> bool:
    if utc(mine.start_date) != utc(theirs.start_date) or utc(mine.end_date) != utc(theirs.end_date):
        return False
    if theirs.type != "historical" and mine.type != theirs.type:
        return False
    a, b = _who(mine), _who(theirs)
    if a is None or b is None:
        return a is b
    if a.type and b.type and a.type != b.type:
        return False
    if a.id and b.id:
        return a.id == b.id
    return _label(a, names) == _label(b, names)
