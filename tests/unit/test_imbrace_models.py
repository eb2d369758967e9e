"""iMBRACE Scheduler inputs: each bad field fails check naming it; normalisation as the API stores."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from providers.core import IMPORT_KEY, UNKNOWN
from providers.imbrace.models import SchedulerInputs, clean_job_data, iso_utc
from providers.imbrace.scheduler import SchedulerProvider

pytestmark = pytest.mark.usefixtures("credentials")  # check() reads the provider settings
KAFKA = {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE", "workflow_id": "123"}
WEBHOOK = {"type": "webhook", "url": "https://hooks.example.com/x", "method": "POST"}


def recurring(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "daily report",
        "event_type": "whatsapp",
        "trigger_frequency_unit": "days",
        "trigger_frequency_value": 1,
        "job": dict(KAFKA),
    }
    return {**base, **over}


def one_time(**over: Any) -> dict[str, Any]:
    start = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    base: dict[str, Any] = {
        "name": "launch",
        "event_type": "whatsapp",
        "type": "non_recurring",
        "start_datetime": start,
        "job": dict(WEBHOOK),
    }
    return {**base, **over}


def failures(news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, str]:
    result = SchedulerProvider().check(olds or {}, news)
    return {f.property: f.reason for f in result.failures}


def checked(news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, Any]:
    result = SchedulerProvider().check(olds or {}, news)
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


@pytest.mark.parametrize(
    ("news", "field", "reason"),
    [
        (recurring(name="  "), "name", "must not be empty"),
        (recurring(event_type=""), "event_type", "must not be empty"),
        ({k: v for k, v in recurring().items() if k != "job"}, "job", "Field required"),
        (recurring(type="weekly"), "type", "'recurring' or 'non_recurring'"),
        (recurring(trigger_frequency_unit=None), "trigger_frequency_unit", "required for a recurring"),
        (recurring(trigger_frequency_unit="hours"), "trigger_frequency_unit", "'minutes', 'days'"),
        (recurring(trigger_frequency_value=None), "trigger_frequency_value", "required for a recurring"),
        (recurring(trigger_frequency_value=0), "trigger_frequency_value", "at least 1"),
        (recurring(trigger_frequency_unit="years"), "trigger_month_and_day", "required when"),
        (recurring(trigger_month_and_day="2024-03-01T00:00:00Z"), "trigger_month_and_day", "yearly"),
        (recurring(trigger_day_of_week=2), "trigger_day_of_week", "weekly"),
        (
            recurring(trigger_frequency_unit="weeks", trigger_day_of_week=7),
            "trigger_day_of_week",
            "0 (Sunday)",
        ),
        (recurring(trigger_day_of_month=3), "trigger_day_of_month", "monthly"),
        (
            recurring(trigger_frequency_unit="months", trigger_day_of_month=32),
            "trigger_day_of_month",
            "1 to 31",
        ),
        (recurring(trigger_time="9 am"), "trigger_time", "not an ISO 8601"),
        (recurring(start_datetime="tomorrow"), "start_datetime", "not an ISO 8601"),
        (recurring(one_time_schedule_type="exact"), "one_time_schedule_type", "one-time"),
        (recurring(colour="red"), "colour", "Extra inputs"),
        (recurring(job={"type": "sms"}), "job.type", "'kafka' or 'webhook'"),
        (recurring(job={"type": "kafka"}), "job.topic", "required for a kafka job"),
        (recurring(job={**KAFKA, "url": "https://x.example"}), "job.url", "webhook jobs"),
        (recurring(job={"type": "webhook", "method": "POST"}), "job.url", "required for a webhook job"),
        (recurring(job={**WEBHOOK, "url": "ftp://x"}), "job.url", "not an http(s) URL"),
        (
            recurring(job={"type": "webhook", "url": "https://x.example"}),
            "job.method",
            "required for a webhook",
        ),
        (recurring(job={**WEBHOOK, "method": "FETCH"}), "job.method", "not one of GET"),
        (recurring(job={**WEBHOOK, "topic": "T"}), "job.topic", "kafka jobs"),
        (recurring(job={**KAFKA, "data": [1]}), "job.data", "object"),
        (recurring(files=["does/not/exist.pdf"]), "files[0]", "file 'does/not/exist.pdf' not found"),
        (recurring(files=[{"unsupported": "StringAsset"}]), "files[0]", "a StringAsset cannot be attached"),
        (one_time(start_datetime=None), "start_datetime", "required for a one-time"),
        (one_time(trigger_frequency_unit="days"), "trigger_frequency_unit", "recurring scheduler"),
        (one_time(start_datetime="2020-01-01T00:00:00Z"), "start_datetime", "must be in the future"),
    ],
)
def test_each_bad_field_fails_check_naming_it(news: dict[str, Any], field: str, reason: str) -> None:
    found = failures(news)
    assert field in found, found
    assert reason in found[field]


def test_several_bad_fields_are_all_reported_at_once() -> None:
    found = failures(recurring(name="", trigger_frequency_value=-1, job={"type": "webhook"}))
    assert set(found) == {"name", "trigger_frequency_value", "job.url", "job.method"}


def test_values_unknown_at_preview_are_not_judged() -> None:
    assert failures(recurring(name=UNKNOWN, trigger_frequency_unit=UNKNOWN)) == {}
    assert failures(recurring(files=UNKNOWN)) == {}


def test_normalises_as_the_api_stores() -> None:
    inputs = checked(
        recurring(
            trigger_frequency_unit="years",
            trigger_frequency_value=1.0,  # the engine sends numbers as floats
            trigger_month_and_day="1969-12-31T16:32:00-00:00",
            trigger_time="2024-04-29T09:00:00+08:00",
            start_datetime="2024-09-11T14:35:00",
            description=None,
            job={**KAFKA, "workflow_id": 1336, "data": {}},
        )
    )
    assert inputs["trigger_frequency_value"] == 1
    assert inputs["trigger_month_and_day"] == "1969-12-31T16:32:00.000Z"
    assert inputs["trigger_time"] == "2024-04-29T01:00:00.000Z"
    assert inputs["start_datetime"] == "2024-09-11T14:35:00.000Z"  # no offset: UTC
    assert inputs["description"] == "" and inputs["channel_source"] == ""
    assert inputs["type"] == "recurring" and inputs["paused"] is False
    assert inputs["job"] == {"type": "kafka", "topic": "ROUTER.OUTGOING_MESSAGE", "workflow_id": "1336"}
    assert inputs["files"] == []


def test_webhook_method_upper_case_and_browser_file_objects_dropped() -> None:
    data = {"message": "hi", "files": [{"id": "u-0", "file": {}, "name": "a.jpg", "isValid": True}]}
    inputs = checked(recurring(job={**WEBHOOK, "method": "post", "data": data}))
    assert inputs["job"]["method"] == "POST"
    assert inputs["job"]["data"] == {
        "message": "hi",
        "files": [{"id": "u-0", "name": "a.jpg", "isValid": True}],
    }
    assert data["files"][0]["file"] == {}, "the program's own dict is not changed"
    assert clean_job_data({}) is None and clean_job_data(None) is None


def test_files_are_hashed_not_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "menu.pdf").write_bytes(b"%PDF menu")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG logo")
    inputs = checked(recurring(files=["docs/menu.pdf", "logo.png"]))
    assert inputs["files"] == [
        {
            "name": "menu.pdf",
            "path": "docs/menu.pdf",
            "size": 9,
            "sha256": hashlib.sha256(b"%PDF menu").hexdigest(),
        },
        {
            "name": "logo.png",
            "path": "logo.png",
            "size": 9,
            "sha256": hashlib.sha256(b"\x89PNG logo").hexdigest(),
        },
    ]
    assert "PDF menu" not in repr(inputs)
    # A change of content is a change of the input (hence an update).
    (tmp_path / "docs" / "menu.pdf").write_bytes(b"%PDF new menu")
    changed = checked(recurring(files=["docs/menu.pdf", "logo.png"]))
    diff = SchedulerProvider().diff("id", inputs, changed)
    assert diff.changes and diff.replaces == [] and "files" not in diff.stables


def test_state_entries_are_trusted_without_the_file() -> None:
    """Old inputs read back from state must parse although the file has left the disk."""
    entry = {"name": "gone.pdf", "path": "gone.pdf", "size": 3, "sha256": "ab" * 32}
    model = SchedulerInputs.model_validate(recurring(files=[entry]))
    assert model.files[0].sha256 == "ab" * 32


def test_future_start_is_only_required_when_the_start_changes() -> None:
    past = "2024-10-16T14:45:15.463Z"
    old = checked(one_time(), {})
    old["start_datetime"] = past  # created back then, when it was in the future
    # Unchanged start (any spelling of it): a re-preview months later stays clean.
    assert failures(one_time(start_datetime="2024-10-16T14:45:15.463+00:00"), old) == {}
    assert failures(one_time(start_datetime="2024-10-16T14:45:15.000Z"), old) == {
        "start_datetime": "must be in the future for a one-time (non_recurring) scheduler; "
        "2024-10-16T14:45:15.000Z has passed"
    }
    # Adoption of an existing one-time scheduler is left to the API, which knows its start.
    assert failures({**one_time(start_datetime=past), IMPORT_KEY: "66e1"}) == {}
    # Once adopted (in state), the usual rule applies again.
    adopted = {**old, IMPORT_KEY: "66e1"}
    assert failures({**one_time(start_datetime=past), IMPORT_KEY: "66e1"}, adopted) == {}
    moved = {**one_time(start_datetime="2024-10-17T00:00:00Z"), IMPORT_KEY: "66e1"}
    assert "start_datetime" in failures(moved, adopted)
    # A recurring scheduler may start in the past (the docs' list shows one).
    assert failures(recurring(start_datetime=past)) == {}


def test_iso_utc_matches_javascript_to_iso_string() -> None:
    assert iso_utc("2024-09-11T14:35:00.123456Z") == "2024-09-11T14:35:00.123Z"
    assert iso_utc(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2024-01-02T03:04:05.000Z"
