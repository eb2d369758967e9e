"""Omni schedules with Pulumi: adopt a schedule, pause/resume it, manage recipients, trigger runs.

Omni's API (``https://<org>.omniapp.co/api/v1/schedules``) cannot create a schedule nor
get one by id, so :class:`Schedule` adopts an existing schedule by id and reads it through
one cached listing per provider process. See README, "Omni".
"""

from providers.omni.cron import CronError, next_runs, runs_between
from providers.omni.functions import (
    CronExplanation,
    explain_cron,
    explain_cron_output,
    find_schedule,
    find_schedule_output,
    list_schedules,
    list_schedules_output,
)
from providers.omni.models import OmniSchedule
from providers.omni.schedule import Schedule, ScheduleArgs
from providers.omni.schedule_trigger import ScheduleTrigger, ScheduleTriggerArgs
from providers.omni.settings import OmniSettings

__all__ = [
    "CronError",
    "CronExplanation",
    "OmniSchedule",
    "OmniSettings",
    "Schedule",
    "ScheduleArgs",
    "ScheduleTrigger",
    "ScheduleTriggerArgs",
    "explain_cron",
    "explain_cron_output",
    "find_schedule",
    "find_schedule_output",
    "list_schedules",
    "list_schedules_output",
    "next_runs",
    "runs_between",
]
