"""``providers.opsgenie.functions`` against the sandbox over real HTTP, with the settings of a program."""

from __future__ import annotations

import pytest

from providers.core import ConfigError
from providers.opsgenie import functions
from providers.opsgenie.schedule import ScheduleProvider
from tests.conftest import SandboxServer
from tests.unit.test_opsgenie_schedule import SCHEDULE, checked


@pytest.fixture
def sandbox(opsgenie_sandbox: SandboxServer) -> SandboxServer:
    return opsgenie_sandbox


def test_functions_read_settings_from_the_environment(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = ScheduleProvider()
    created = provider.create(checked(provider, SCHEDULE))
    assert functions.get_schedule("primary").id == created.id
    assert functions.get_schedule(created.id).name == "primary"
    listed = functions.list_schedules(expand_rotations=True)
    assert [len(s.rotations) for s in listed] == [1]
    assert functions.list_schedules()[0].rotations == []  # without expand the list has no rotations

    timeline = functions.get_schedule_timeline(
        "primary",
        interval=2,
        interval_unit="days",
        date="2024-01-10T00:00:00+01:00",
        expand=["base", "override"],
    )
    assert timeline.start_date.isoformat() == "2024-01-09T23:00:00+00:00"
    assert timeline.base_timeline is not None and timeline.forwarding_timeline is None
    periods = timeline.final_timeline.rotations[0].periods
    assert periods and all(p.recipient is not None for p in periods)
    assert {p.recipient.name for p in periods if p.recipient} == {"alice@example.com", "bob@example.com"}

    ics = functions.export_schedule_ics("primary")
    assert ics.startswith("BEGIN:VCALENDAR") and "X-WR-CALNAME:primary" in ics

    with pytest.raises(ValueError, match="interval_unit"):
        functions.get_schedule_timeline("primary", interval_unit="years")  # type: ignore[arg-type]
    monkeypatch.delenv("OPSGENIE_API_KEY")
    with pytest.raises(ConfigError, match="opsgenie:apiKey"):
        functions.list_schedules()
