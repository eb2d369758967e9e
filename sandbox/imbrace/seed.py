"""iMBRACE starting data: the two schedulers of the docs' examples, moved into the sandbox's organisation."""

from __future__ import annotations

from sandbox.context import Credentials
from sandbox.imbrace.models import SCHEDULER_KIND, Scheduler
from sandbox.store import Tx


def seed(tx: Tx, credentials: Credentials) -> None:
    """Store the list example (``66e40060…``) and the get-by-id example (``66e17484…``).

    Their fields are the docs' own, except ``organization_id`` (the sandbox's) and the
    get example's ``created_by``/``updated_by`` (the sandbox user); the get example,
    which shows no ``start_datetime``, gets its ``start_date``.
    """
    org, user = credentials.imbrace_org, credentials.imbrace_user
    board = Scheduler.model_validate(
        {
            "_id": "66e400607c85c0dc11b46f21",
            "type": "recurring",
            "name": "Board Automation - Jane - Facebook 16 days ",
            "event_type": "board_automation",
            "description": "",
            "options": None,
            "job": {
                "type": "kafka",
                "topic": "ROUTER.OUTGOING_CRM_EVENT",
                "data": {
                    "board_id": "brd_67c3766a-bedc-48dc-9a17-84551435cea6",
                    "id": "662f175874c8ca8d00a1d30d",
                },
                "workflow_id": "1336",
            },
            "organization_id": org,
            "internal_id": "662f175874c8ca8d00a1d30d",
            "trigger_frequency_unit": "days",
            "trigger_frequency_value": 1,
            "trigger_time": "2024-04-29T01:00:00.000Z",
            "start_date": "2024-04-29T01:30:00.000Z",
            "start_time": "2024-04-29T01:30:00.000Z",
            "start_datetime": "2024-04-29T01:30:00.000Z",
            "is_paused": True,
            "is_finished": False,
            "channel_source": "",
            "created_by": None,
            "updated_by": None,
            "created_at": "2024-09-13T09:05:36.286Z",
            "updated_at": "2024-09-13T09:05:36.286Z",
        }
    )
    whatsapp = Scheduler.model_validate(
        {
            "_id": "66e17484412c29cf84c39898",
            "type": "recurring",
            "name": "testing schedule",
            "event_type": "whatsapp",
            "description": "",
            "options": None,
            "job": {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE", "workflow_id": "123"},
            "organization_id": org,
            "trigger_frequency_unit": "minutes",
            "trigger_frequency_value": 1,
            "start_date": "2024-09-11T17:50:00.000Z",
            "start_time": "2024-09-11T17:50:00.000Z",
            "start_datetime": "2024-09-11T17:50:00.000Z",
            "is_paused": False,
            "is_finished": False,
            "channel_source": "",
            "created_by": user,
            "updated_by": user,
            "created_at": "2024-09-11T10:44:20.637Z",
            "updated_at": "2024-09-11T10:44:20.637Z",
        }
    )
    for record in (whatsapp, board):
        tx.put(SCHEDULER_KIND, record.id, record.to_doc())
