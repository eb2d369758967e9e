"""``providers.core``: the public helpers stacks, policies and tools use (never ``providers._*``)."""

from __future__ import annotations

import pytest
from pulumi.output import Unknown

from providers.core import UNKNOWN, ApiError, NotFoundError, error_context, is_unknown, unknown_paths
from providers.imbrace.scheduler import SchedulerProvider
from providers.omni.schedule import OmniScheduleProvider
from providers.omni.schedule_trigger import OmniScheduleTriggerProvider
from providers.opsgenie.schedule import ScheduleProvider
from providers.opsgenie.schedule_override import ScheduleOverrideProvider
from providers.opsgenie.schedule_rotation import ScheduleRotationProvider


def test_unknown_values_anywhere_in_an_input() -> None:
    assert is_unknown(UNKNOWN) and is_unknown(Unknown())
    assert is_unknown({"job": {"url": UNKNOWN}}) and is_unknown([1, [UNKNOWN]])
    assert not is_unknown({"job": {"url": "https://x"}}) and not is_unknown(None)
    assert not is_unknown(UNKNOWN[:9])  # only the whole marker, not a look-alike prefix
    assert unknown_paths({"a": [0, UNKNOWN], "b": UNKNOWN}) == [("a", 1), ("b",)]


def test_context_is_added_one_way_and_keeps_the_error_what_it_was() -> None:
    with pytest.raises(NotFoundError) as raised, error_context("scheduler 'weekly' (s1)"):
        raise NotFoundError("imbrace", "GET", "/s/s1", 404, "Scheduler not found", "rid-1", timed_out=True)
    exc = raised.value
    assert exc.message == "scheduler 'weekly' (s1): Scheduler not found"
    where = "imbrace GET /s/s1 failed: HTTP 404"
    assert str(exc) == f"{where}: scheduler 'weekly' (s1): Scheduler not found (request id rid-1)"
    assert exc.args == (str(exc),) and exc.status == 404 and exc.timed_out
    noted = ApiError("omni", "PUT", "/p", 400, "System disabled").with_context(
        "cannot pause schedule x", " (why)"
    )
    assert noted.message == "cannot pause schedule x: System disabled (why)"


@pytest.mark.parametrize(
    ("provider", "olds", "news", "replaces"),
    [
        (ScheduleRotationProvider(), {"schedule_id": "a"}, {"schedule_id": "b"}, ["schedule_id"]),
        (ScheduleRotationProvider(), {"end_date": "2030-01-01T00:00:00Z"}, {}, ["end_date"]),
        (ScheduleOverrideProvider(), {"alias": "a"}, {"alias": "b"}, ["alias"]),
        (ScheduleProvider(), {"name": "a", "description": "d"}, {"name": "b"}, []),
        (SchedulerProvider(), {"files": [{"name": "a"}]}, {"files": []}, ["files"]),
        (SchedulerProvider(), {"files": []}, {"files": [{"name": "a"}]}, []),
        (OmniScheduleProvider(), {"schedule_id": "a"}, {"schedule_id": "b"}, ["schedule_id"]),
        (OmniScheduleTriggerProvider(), {"schedule_id": "a", "triggers": {"x": 1}}, {"schedule_id": "a"}, []),
    ],
)
def test_replacements_come_from_the_fields_declared_behaviour(
    provider: object, olds: dict[str, object], news: dict[str, object], replaces: list[str]
) -> None:
    result = provider.diff("id", olds, news)  # type: ignore[attr-defined]
    assert result.changes and result.replaces == replaces
