"""Issue 22's acceptance: the sandbox stack with one schedule that leaves the weekend uncovered.

`pulumi preview` of the real stacks program, through the policy pack with the sandbox stack's
policy config, fails on `oncall-coverage` naming the gap in local time; a weekend rotation
declared as a separate `ScheduleRotation` (joined to the schedule by the engine's property
dependencies) fills it, and the preview passes. stacks/environments/sandbox.yaml itself is
left as `make demo` deploys it: the definitions are a copy, in the test's directory.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from pulumi import automation as auto

from harness import REPO, Engine, SandboxServer
from tests.support.stacks_program import definitions_stack

PACK = str(REPO / "policies")
SANDBOX = REPO / "stacks" / "environments" / "sandbox.yaml"
FROM = "2026-12-07T09:00:00+01:00"  # Monday 09:00 in Berlin: the horizon starts here, not now
WEEKDAYS_ONLY = {
    "resource": "weekday-oncall",
    "name": "weekday-oncall",
    "timezone": "Europe/Berlin",
    "owner_team": {"name": "ops_team"},
    "rotations": [
        {
            "name": "weekdays",
            "type": "weekly",
            "start_date": "2026-01-05T09:00:00+01:00",
            "participants": [
                {"type": "user", "username": "alice@example.com"},
                {"type": "user", "username": "bob@example.com"},
            ],
            "time_restriction": {  # Monday 09:00 to Saturday 00:00: nobody on the weekend
                "type": "weekday-and-time-of-day",
                "restrictions": [
                    {"start_day": "monday", "start_hour": 9, "start_min": 0}
                    | {"end_day": "saturday", "end_hour": 0, "end_min": 0}
                ],
            },
        }
    ],
}
WEEKEND = {
    "resource": "weekend-cover",
    "schedule_id": "${opsgenie.schedules.weekday-oncall.id}",
    "name": "weekend",
    "type": "weekly",
    "start_date": "2026-01-03T00:00:00+01:00",
    "participants": [{"type": "user", "username": "carol@example.com"}],
    "time_restriction": {
        "type": "weekday-and-time-of-day",
        "restrictions": [
            {"start_day": "saturday", "start_hour": 0, "start_min": 0}
            | {"end_day": "monday", "end_hour": 9, "end_min": 0}
        ],
    },
}


def _policy_config(tmp_path: Path) -> str:
    """The sandbox stack's policy config, its horizon fixed."""
    config = json.loads((REPO / "policies" / "config" / "sandbox.json").read_text())
    config["oncall-coverage"]["from"] = FROM
    path = tmp_path / "policy-config.json"
    path.write_text(json.dumps(config))
    return str(path)


def test_a_weekend_gap_fails_the_preview_and_filling_it_passes(
    engine: Engine, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    data = yaml.safe_load(SANDBOX.read_text())
    data["opsgenie"]["schedules"].append(WEEKDAYS_ONLY)
    definitions = tmp_path / "sandbox.yaml"
    definitions.write_text(yaml.safe_dump(data))
    stack = definitions_stack(engine, sandbox_server.url, definitions, stack="sandbox")
    # Pulumi runs the providers in the program directory: the definitions' files live there.
    shutil.copytree(REPO / "stacks" / "files", stack.workdir / "files", dirs_exist_ok=True)
    policies = {"policy_packs": [PACK], "policy_pack_configs": [_policy_config(tmp_path)]}

    with pytest.raises(auto.CommandError) as err:
        stack.preview(**policies)
    out = str(err.value)
    assert "[mandatory]  oncall-coverage  (pulumi-python:dynamic/opsgenie:Schedule: weekday-oncall)" in out
    assert (
        "Opsgenie schedule 'weekday-oncall' leaves its required hours uncovered: "
        "Sat 2026-12-12 00:00 \u2013 Mon 2026-12-14 09:00 Europe/Berlin; "
        "Sat 2026-12-19 00:00 \u2013 Mon 2026-12-21 09:00 Europe/Berlin; "
    ) in out
    assert "(228.0 h uncovered in the 4 weeks from Mon 2026-12-07 09:00)" in out
    assert out.count("[mandatory]") == 1, "the sandbox stack's own schedules cover their required hours"
    assert "Traceback" not in out

    data["opsgenie"]["rotations"] = [WEEKEND]
    definitions.write_text(yaml.safe_dump(data))
    result = stack.preview(**policies)
    assert "[mandatory]" not in result.stdout and "oncall-coverage" not in result.stdout
