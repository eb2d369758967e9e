"""``providers.opsgenie.mapping``: request bodies, partial updates and composite ids."""

from __future__ import annotations

import pytest

from providers.opsgenie.mapping import body, changes, split_id
from providers.opsgenie.models import (
    ScheduleInputs,
)
from tests.unit.test_opsgenie_models import rotation

pytestmark = pytest.mark.usefixtures("credentials")  # check() reads the provider settings


def test_body_is_camel_case_without_unset_fields() -> None:
    inputs = ScheduleInputs.model_validate(
        {
            "name": "s",
            "owner_team": {"name": "ops_team"},
            "rotations": [
                rotation(
                    time_restriction={
                        "type": "time-of-day",
                        "restriction": {"start_hour": 8, "start_min": 0, "end_hour": 18, "end_min": 0},
                    }
                )
            ],
        }
    )
    assert body(inputs) == {
        "name": "s",
        "ownerTeam": {"name": "ops_team"},
        "rotations": [
            {
                "startDate": "2024-01-01T09:00:00Z",
                "type": "weekly",
                "length": 1,
                "participants": [{"type": "user", "username": "alice@example.com"}],
                "timeRestriction": {
                    "type": "time-of-day",
                    "restriction": {"startHour": 8, "startMin": 0, "endHour": 18, "endMin": 0},
                },
            }
        ],
    }


def test_partial_update_sends_only_what_changed() -> None:
    old = ScheduleInputs.model_validate({"name": "s", "description": "d", "rotations": [rotation()]})
    new = ScheduleInputs.model_validate({"name": "s", "enabled": False, "rotations": [rotation()]})
    assert changes(old, new, cleared={"description": ""}) == {"enabled": False, "description": ""}
    renamed = ScheduleInputs.model_validate({"name": "t", "rotations": [rotation(length=2)]})
    patch = changes(old, renamed, cleared={})
    assert patch["name"] == "t" and patch["rotations"][0]["length"] == 2  # rotations go as a whole
    assert set(patch) == {"name", "rotations"}


def test_composite_ids() -> None:
    assert split_id("s1/r1", "rotation id") == ("s1", "r1")
    assert split_id("s1/a/b", "alias") == ("s1", "a/b")
    with pytest.raises(ValueError, match="<schedule id>/<alias>"):
        split_id("s1", "alias")
