"""Opsgenie on-call schedules as Pulumi resources, plus read-only look-ups.

Resources: :class:`Schedule` (with its rotations, or without them), :class:`ScheduleRotation`
and :class:`ScheduleOverride`, each taking its ``XArgs`` object or the same fields as keywords.
Functions: :func:`get_schedule`, :func:`list_schedules`,
:func:`get_schedule_timeline` and :func:`export_schedule_ics` (and their ``*_output``
variants). Who is on call when, from definitions (no API call): :func:`predict_timeline`,
:func:`shifts`, :func:`gaps`, :func:`hours_by_recipient`, :func:`compare`, :func:`clip`.
Config: ``opsgenie:apiKey`` (secret), ``opsgenie:apiUrl`` or ``opsgenie:region``.
"""

from providers.opsgenie.functions import (
    export_schedule_ics,
    export_schedule_ics_output,
    get_schedule,
    get_schedule_output,
    get_schedule_timeline,
    get_schedule_timeline_output,
    list_schedules,
)
from providers.opsgenie.models import (
    OverrideRecord,
    RotationRecord,
    ScheduleRecord,
    ScheduleTimeline,
    Timeline,
    TimelinePeriod,
    TimelineRecipient,
    TimelineRotation,
)
from providers.opsgenie.oncall import (
    PredictionError,
    Shift,
    clip,
    compare,
    gaps,
    hours_by_recipient,
    predict_timeline,
    shifts,
)
from providers.opsgenie.schedule import (
    EntityRefArgs,
    ParticipantArgs,
    RotationArgs,
    Schedule,
    ScheduleArgs,
    TimeOfDayRestrictionArgs,
    TimeRestrictionArgs,
    WeekdayRestrictionArgs,
)
from providers.opsgenie.schedule_override import ScheduleOverride, ScheduleOverrideArgs
from providers.opsgenie.schedule_rotation import ScheduleRotation, ScheduleRotationArgs
from providers.opsgenie.settings import OpsgenieSettings

__all__ = [
    "EntityRefArgs",
    "OpsgenieSettings",
    "OverrideRecord",
    "ParticipantArgs",
    "PredictionError",
    "RotationArgs",
    "RotationRecord",
    "Schedule",
    "ScheduleArgs",
    "ScheduleOverride",
    "ScheduleOverrideArgs",
    "ScheduleRecord",
    "ScheduleRotation",
    "ScheduleRotationArgs",
    "ScheduleTimeline",
    "Shift",
    "TimeOfDayRestrictionArgs",
    "TimeRestrictionArgs",
    "Timeline",
    "TimelinePeriod",
    "TimelineRecipient",
    "TimelineRotation",
    "WeekdayRestrictionArgs",
    "clip",
    "compare",
    "export_schedule_ics",
    "export_schedule_ics_output",
    "gaps",
    "get_schedule",
    "get_schedule_output",
    "get_schedule_timeline",
    "get_schedule_timeline_output",
    "hours_by_recipient",
    "list_schedules",
    "predict_timeline",
    "shifts",
]
