"""iMBRACE mapping both ways: inputs → the API's body, the API's record → inputs and outputs."""

from __future__ import annotations

from typing import Any

from providers.imbrace.mapping import after_update, computed, from_record, to_body, update_body
from providers.imbrace.models import SchedulerInputs, SchedulerRecord

# The docs' "Create Scheduler" body (a yearly scheduler, with the server's spelling).
DOCS_CREATE_BODY = {
    "type": "recurring",
    "name": "testing schedule",
    "event_type": "whatsapp",
    "channel_source": "",
    "description": "",
    "job": {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE", "workflow_id": "123"},
    "trigger_frequency_unit": "years",
    "trigger_frequency_value": 1,
    "triger_month_and_day": "1969-12-31T16:32:00.000Z",
    "trigger_time": "1969-12-31T16:00:00.000Z",
    "start_datetime": "2024-09-11T14:35:00.000Z",
    "is_paused": False,
}
# The docs' 201 answer to it.
DOCS_CREATE_ANSWER: dict[str, Any] = {
    **{k: v for k, v in DOCS_CREATE_BODY.items() if k != "start_datetime"},
    "options": None,
    "organization_id": "org_imbrace",
    "start_date": "2024-09-11T14:35:00.000Z",
    "start_time": "2024-09-11T14:35:00.000Z",
    "is_finished": False,
    "created_by": "u_ed1ffffc",
    "updated_by": "u_ed1ffffc",
    "_id": "66e1481283adbddb9ad6b8ff",
    "created_at": "2024-09-11T07:34:42.158Z",
    "updated_at": "2024-09-11T07:34:42.158Z",
}


def yearly() -> SchedulerInputs:
    return SchedulerInputs.model_validate(
        {
            "name": "testing schedule",
            "event_type": "whatsapp",
            "trigger_frequency_unit": "years",
            "trigger_frequency_value": 1,
            "trigger_month_and_day": "1969-12-31T16:32:00Z",
            "trigger_time": "1969-12-31T16:00:00Z",
            "start_datetime": "2024-09-11T14:35:00Z",
            "job": {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE", "workflow_id": 123, "data": {}},
        }
    )


def test_body_is_the_docs_create_body() -> None:
    assert to_body(yearly()) == DOCS_CREATE_BODY


def test_record_maps_back_to_the_same_inputs() -> None:
    inputs, outputs = from_record(SchedulerRecord.model_validate(DOCS_CREATE_ANSWER))
    assert SchedulerInputs.model_validate(inputs) == yearly()
    # The answer has no start_datetime: its start_date is the start.
    assert inputs["start_datetime"] == "2024-09-11T14:35:00.000Z"
    # Lean state: what the API computes and nothing diffs, reads or recomputes is not kept.
    assert outputs == {"is_finished": False, "uploaded_files": []}


def test_outputs_after_an_update_answered_as_the_docs_json_sample() -> None:
    before = SchedulerRecord.model_validate({**DOCS_CREATE_ANSWER, "_id": "664488701353f458e21ac2cd"})
    body = {
        **DOCS_CREATE_BODY,
        "name": "testing schedule updated",
        "start_datetime": "2024-09-19T15:36:00.000Z",
    }
    # "6. Update Scheduler"'s answer: some fields, camelCase times, no name.
    answer = {
        "schedule_id": "schedule_1",
        "organization_id": "org_imbrace",
        "start_date": "2024-09-19T15:36:00.000Z",
        "is_paused": False,
        "_id": "664488701353f458e21ac2cd",
        "createdAt": "2024-05-15T10:03:28.755Z",
        "updatedAt": "2024-09-19T10:00:00.000Z",
    }
    after = after_update(before, body, answer, "u_other")
    assert after is not None and after.name == "testing schedule updated"
    assert (after.start_date, after.updated_by, after.updated_at) == (
        "2024-09-19T15:36:00.000Z",
        "u_other",
        "2024-09-19T10:00:00.000Z",
    )
    assert computed(after) == computed(before)
    # The whole record as the answer (the multipart update's, the sandbox's): taken as it is.
    assert after_update(before, body, {**DOCS_CREATE_ANSWER, "_id": before.id}, "u_other") == before


def test_record_fields_that_do_not_apply_are_not_read() -> None:
    """The docs' "Update Scheduler with Files" answer: a one-time scheduler that kept its old frequency."""
    record = SchedulerRecord.model_validate(
        {
            "_id": "670f981690e5ee13019669e1",
            "type": "non_recurring",
            "name": "testing schedule",
            "event_type": "whatsapp",
            "job": {
                "type": "webhook",
                "method": "POST",
                "url": "https://org-imbrace.dev.imbrace.co/webhook/w",
                "scheduler_id": "670f981690e5ee13019669e1",
                "files": [
                    {"file_id": "1d1e", "name": "iphone13.jpg", "size": 15030, "file_url": "https://s3/x"}
                ],
            },
            "trigger_frequency_unit": "minutes",
            "trigger_frequency_value": 30,
            "start_datetime": "2024-10-16T14:45:15.463Z",
            "one_time_schedule_type": "exact",
        }
    )
    inputs, outputs = from_record(record)
    assert "trigger_frequency_unit" not in inputs and "trigger_frequency_value" not in inputs
    assert inputs["one_time_schedule_type"] == "exact"
    assert inputs["job"] == {
        "type": "webhook",
        "method": "POST",
        "url": "https://org-imbrace.dev.imbrace.co/webhook/w",
    }
    assert inputs["files"] == [{"name": "iphone13.jpg", "size": 15030}]
    assert outputs["uploaded_files"][0]["file_id"] == "1d1e"
    SchedulerInputs.model_validate(inputs)


def test_update_body_sends_everything_and_leaves_out_what_was_dropped() -> None:
    old = yearly()
    new = SchedulerInputs.model_validate(
        {
            **old.model_dump(),
            "trigger_frequency_unit": "days",
            "trigger_month_and_day": None,
            "trigger_time": None,
        }
        | {"start_datetime": None, "files": []}
    )
    current = SchedulerRecord.model_validate(
        {**DOCS_CREATE_ANSWER, "job": {**DOCS_CREATE_ANSWER["job"], "scheduler_id": "66e1", "files": []}}
    )
    body = update_body(current, old, new)
    assert body["trigger_frequency_unit"] == "days"
    # The update replaces the scheduler: a field left out is gone, and no null is ever sent.
    assert "triger_month_and_day" not in body and "trigger_time" not in body
    assert None not in body.values()
    assert body["start_datetime"] == "2024-09-11T14:35:00.000Z"  # left to the API: kept as it is
    assert body["job"]["scheduler_id"] == "66e1" and body["job"]["files"] == []
    assert {"name", "event_type", "type", "description", "channel_source", "is_paused"} <= set(body)


def test_update_body_keeps_a_one_time_type_the_api_chose() -> None:
    base = {"name": "n", "event_type": "e", "type": "non_recurring", "start_datetime": "2030-01-01T00:00:00Z"}
    inputs = SchedulerInputs.model_validate({**base, "job": {"type": "kafka", "topic": "T"}})
    current = SchedulerRecord.model_validate(
        {**base, "_id": "1", "job": {}, "one_time_schedule_type": "exact"}
    )
    assert update_body(current, inputs, inputs)["one_time_schedule_type"] == "exact"
    dropped = SchedulerInputs.model_validate({**inputs.model_dump(), "one_time_schedule_type": "exact"})
    assert "one_time_schedule_type" not in update_body(current, dropped, inputs)
