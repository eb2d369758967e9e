"""iMBRACE schedulers as code: the ``Scheduler`` resource (with file uploads) and the list/get functions;
:func:`next_firings` says when a scheduler fires, from its definition (no API call).

``Scheduler`` takes a ``SchedulerArgs`` object or the same fields as keywords.

Configuration (stack config, else environment variable): ``imbrace:accessToken`` (secret) /
``IMBRACE_ACCESS_TOKEN``, ``imbrace:organizationId`` / ``IMBRACE_ORGANIZATION_ID``,
``imbrace:userId`` / ``IMBRACE_USER_ID``, and the gateway: ``imbrace:environment`` (prod, demo
or dev) / ``IMBRACE_ENVIRONMENT``, or ``imbrace:apiUrl`` / ``IMBRACE_API_URL`` for any URL.
"""

from providers.imbrace.client import ImbraceClient
from providers.imbrace.firings import FiringError, next_firings
from providers.imbrace.functions import (
    get_scheduler,
    get_scheduler_file,
    get_scheduler_file_output,
    get_scheduler_output,
    list_schedulers,
    list_schedulers_output,
)
from providers.imbrace.models import SchedulerFile, SchedulerInputs, SchedulerRecord, UploadedFile
from providers.imbrace.scheduler import JobArgs, Scheduler, SchedulerArgs, SchedulerProvider
from providers.imbrace.settings import GATEWAYS, ImbraceSettings

__all__ = [
    "GATEWAYS",
    "FiringError",
    "ImbraceClient",
    "ImbraceSettings",
    "JobArgs",
    "Scheduler",
    "SchedulerArgs",
    "SchedulerFile",
    "SchedulerInputs",
    "SchedulerProvider",
    "SchedulerRecord",
    "UploadedFile",
    "get_scheduler",
    "get_scheduler_file",
    "get_scheduler_file_output",
    "get_scheduler_output",
    "list_schedulers",
    "list_schedulers_output",
    "next_firings",
]
