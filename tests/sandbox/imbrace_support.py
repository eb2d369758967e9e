"""What the iMBRACE emulator's tests share: the sandbox's credentials, paths and the docs' bodies."""

from __future__ import annotations

from typing import Any

TOKEN = {"x-access-token": "sandbox-imbrace"}
ORG, USER = "org_sandbox", "u_sandbox"
BASE = f"/imbrace/3rd/organization/{ORG}/users/{USER}/schedulers"
SEEDED = "66e17484412c29cf84c39898"  # the docs' get-by-id example

# The docs' create body.
CREATE_BODY: dict[str, Any] = {
    "type": "recurring",
    "name": "testing schedule",
    "event_type": "whatsapp",
    "channel_source": "",
    "description": "",
    "job": {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE", "data": {}, "workflow_id": "123"},
    "trigger_frequency_unit": "years",
    "trigger_frequency_value": 1,
    "triger_month_and_day": "1969-12-31T16:32:00.000Z",
    "trigger_time": "1969-12-31T16:00:00.000Z",
    "start_datetime": "2024-09-11T14:35:00.000Z",
}
