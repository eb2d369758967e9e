"""``providers.opsgenie.schedule_rotation`` and ``schedule_override``: their providers against the sandbox."""

from __future__ import annotations

import pytest

from providers.opsgenie.schedule_override import ScheduleOverrideProvider
from providers.opsgenie.schedule_rotation import ScheduleRotationProvider
from tests.conftest import SandboxServer
from tests.opsgenie_support import lose_next_create
from tests.unit.test_opsgenie_schedule import SCHEDULE, checked, client

BOB_ID = "c9d6332a-75fc-42b5-b067-62a750a5f4e9"


@pytest.fixture
def sandbox(opsgenie_sandbox: SandboxServer) -> SandboxServer:
    return opsgenie_sandbox


def test_rotation_and_override_lifecycle_with_lost_answers(sandbox: SandboxServer) -> None:
    schedule_id = client(sandbox).create_schedule({"name": "bare"}).id
    rotations = ScheduleRotationProvider()
    rotation = {"schedule_id": schedule_id, **SCHEDULE["rotations"][0]}  # type: ignore[index]
    lose_next_create(sandbox, "/rotations$")
    made = rotations.create(checked(rotations, rotation))
    assert made.outs is not None
    assert [r.id for r in client(sandbox).list_rotations(schedule_id)] == [made.outs["rotation_id"]]
    assert made.id == f"{schedule_id}/{made.outs['rotation_id']}"
    assert rotations.read(made.id, made.outs).inputs == checked(rotations, rotation)

    overrides = ScheduleOverrideProvider()
    override = {
        "schedule_id": schedule_id,
        "alias": "vacation",
        "user": {"type": "user", "username": "bob@example.com"},
        "start_date": "2024-01-02T00:00:00+01:00",
        "end_date": "2024-01-03T00:00:00+01:00",
        "rotations": [{"name": "Rotation 1"}],
    }
    lose_next_create(sandbox, "/overrides$")
    o = overrides.create(checked(overrides, override))
    assert o.id == f"{schedule_id}/vacation"
    assert (
        o.outs is not None
        and o.outs["user_id"] == BOB_ID
        and o.outs["rotation_ids"] == [made.outs["rotation_id"]]
    )
    assert overrides.read(o.id, o.outs).inputs == checked(overrides, override, o.outs)
    assert len(client(sandbox).list_overrides(schedule_id)) == 1

    later = {**override, "end_date": "2024-01-04T00:00:00Z"}
    overrides.update(o.id, o.outs, checked(overrides, later, o.outs))
    assert client(sandbox).get_override(schedule_id, "vacation").end_date == "2024-01-04T00:00:00Z"

    with_end = checked(rotations, {**rotation, "end_date": "2025-01-01T00:00:00Z"})
    rotations.update(made.id, made.outs, with_end)
    assert client(sandbox).get_rotation(schedule_id, made.outs["rotation_id"]).end_date is not None
    # Removing it again is a replacement (the OAS allows no null end date in a PATCH).
    assert rotations.diff(made.id, with_end, checked(rotations, rotation)).replaces == ["end_date"]
    assert rotations.diff(made.id, with_end, checked(rotations, rotation)).changes

    overrides.delete(o.id, o.outs)
    rotations.delete(made.id, made.outs)
    assert client(sandbox).list_rotations(schedule_id) == []
    assert overrides.read(o.id, o.outs).id == ""
