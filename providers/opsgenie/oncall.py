"""Who is on call when, computed from a schedule's definition (no API call).

INTERFACE STUB (being implemented on branch ``time-core``): the signatures and return shapes
below are the contract that the policies, ``python -m stacks impact`` and ``stacks calendar``
code against.

The prediction has the shape of Opsgenie's own timeline answer's ``finalTimeline``
(:class:`providers.opsgenie.models.Timeline`: per rotation, its periods, each with a
``recipient``; override periods have ``type == "override"``), so a prediction and
``get_schedule_timeline(...).final_timeline`` compare period for period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from providers.opsgenie.models import Timeline


class PredictionError(ValueError):
    """A definition that cannot be predicted; ``field`` names the input (``rotations[0].time_restriction``)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


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
    resources of that schedule, ``overrides`` those of its ``ScheduleOverride`` resources.
    Raises :class:`PredictionError` naming the field for a definition that cannot be predicted.
    """
    raise NotImplementedError("providers.opsgenie.oncall.predict_timeline: see branch time-core")


def shifts(timeline: Timeline) -> list[Shift]:
    """The on-call shifts of a (predicted or live) final timeline, in time order."""
    raise NotImplementedError("providers.opsgenie.oncall.shifts: see branch time-core")


def gaps(timeline: Timeline, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The stretches of ``[start, end)`` when nobody is on call, in time order."""
    raise NotImplementedError("providers.opsgenie.oncall.gaps: see branch time-core")
