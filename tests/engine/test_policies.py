"""The policy pack under the real engine: each policy fails a preview with its message, and passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pulumi import automation as auto

from harness import REPO, Engine, EngineStack, SandboxServer, sandbox_settings

PACK = str(REPO / "policies")
FROM = "2026-12-07T09:00:00+01:00"  # the time rules' horizon starts here, not now
ORDERS = "61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc"  # an email schedule the sandbox starts with
PREAMBLE = f"""
import pulumi
from providers import imbrace, omni, opsgenie

USER = {{"type": "user", "username": "alice@example.com"}}
DAILY = {{"type": "daily", "start_date": "2026-01-05T09:00:00Z", "participants": [USER]}}
MON_TO_FRI = {{"type": "weekday-and-time-of-day", "restrictions": [{{"start_day": "monday", "start_hour": 9,
    "start_min": 0, "end_day": "saturday", "end_hour": 0, "end_min": 0}}]}}
WEEKDAYS = {{**DAILY, "start_date": "2026-01-05T09:00:00+01:00", "time_restriction": MON_TO_FRI}}
JOB = {{"type": "kafka", "topic": "T"}}
ORDERS = "{ORDERS}"
"""


def _stack(engine: Engine, sandbox: SandboxServer, name: str, program: str) -> EngineStack:
    config, secrets = sandbox_settings(sandbox.url)
    return engine.project(PREAMBLE + program, name=name, config=config, secrets=secrets)


def _preview(stack: EngineStack, policy_config: dict[str, object], tmp_path: Path) -> auto.PreviewResult:
    path = tmp_path / "policy-config.json"
    path.write_text(json.dumps(policy_config))
    return stack.preview(policy_packs=[PACK], policy_pack_configs=[str(path)])


FAILING = {
    "opsgenie-owner-team": (
        'opsgenie.Schedule("s", name="pol-owner", rotations=[DAILY])',
        {},
        "an Opsgenie schedule needs an owner team",
    ),
    "opsgenie-inline-rotations-have-people": (
        'opsgenie.Schedule("s", name="pol-none", owner_team={"name": "ops_team"},'
        ' rotations=[{**DAILY, "participants": [{"type": "none"}]}])',
        {},
        "every rotation of this schedule has only 'none' participants",
    ),
    "opsgenie-schedule-has-participant": (
        'opsgenie.Schedule("s", name="pol-empty", owner_team={"name": "ops_team"})',
        {},
        "Opsgenie schedule 's' has no rotation with a real participant",
    ),
    "canonical-timezones": (
        'opsgenie.Schedule("s", name="pol-tz", timezone="US/Eastern", owner_team={"name": "ops_team"},'
        " rotations=[DAILY])",
        {},
        "timezone 'US/Eastern' is a legacy alias of the canonical zone 'America/New_York'",
    ),
    "imbrace-webhooks-https": (
        'imbrace.Scheduler("w", imbrace.SchedulerArgs(name="pol-http", event_type="whatsapp",'
        ' trigger_frequency_unit="days", trigger_frequency_value=1,'
        ' job={"type": "webhook", "method": "POST", "url": "http://hooks.example.com/x"}))',
        {},
        "webhook url 'http://hooks.example.com/x' must use https",
    ),
    "imbrace-min-interval": (
        'imbrace.Scheduler("m", imbrace.SchedulerArgs(name="pol-often", event_type="whatsapp",'
        ' trigger_frequency_unit="minutes", trigger_frequency_value=30, job=JOB))',
        {"imbrace-min-interval": {"minIntervalMinutes": 60}},
        "runs every 30 minutes (30 min); this stack allows at most one run per 60 min",
    ),
    "omni-paused-needs-allowance": (
        'omni.Schedule("o", omni.ScheduleArgs(schedule_id=ORDERS, paused=True))',
        {},
        f"Omni schedule {ORDERS} would be left paused",
    ),
    "no-plaintext-credentials": (
        'imbrace.Scheduler("c", imbrace.SchedulerArgs(name="pol-cred", event_type="whatsapp",'
        ' trigger_frequency_unit="days", trigger_frequency_value=1,'
        ' job={**JOB, "data": {"api_token": "tok-123"}}))',
        {},
        "input 'job.data.api_token' looks like a credential",
    ),
    "oncall-coverage": (
        'opsgenie.Schedule("s", name="pol-weekdays", timezone="Europe/Berlin",'
        ' owner_team={"name": "ops_team"}, rotations=[WEEKDAYS])',
        {"oncall-coverage": {"from": FROM}},
        "Opsgenie schedule 'pol-weekdays' leaves its required hours uncovered: "
        "Sat 2026-12-12 00:00 \u2013 Mon 2026-12-14 09:00 Europe/Berlin",
    ),
    "oncall-load": (
        'opsgenie.Schedule("s", name="pol-alone", owner_team={"name": "ops_team"}, rotations=[DAILY])',
        {"oncall-load": {"from": FROM, "maxShiftHours": 24}},
        "Opsgenie schedule 'pol-alone': alice@example.com has a shift of ",
    ),
    "job-rate": (
        'imbrace.Scheduler("m", imbrace.SchedulerArgs(name="pol-5min", event_type="whatsapp",'
        ' trigger_frequency_unit="minutes", trigger_frequency_value=5,'
        ' start_datetime="2030-01-01T00:00:00Z", job=JOB))',
        {"job-rate": {"maxRunsPerDay": 100}},
        "iMBRACE scheduler 'pol-5min' runs 288 times on Tue 2030-01-01 (UTC), above maxRunsPerDay 100",
    ),
}


@pytest.mark.parametrize("policy", sorted(FAILING))
def test_each_policy_fails_a_preview_with_its_message(
    policy: str, engine: Engine, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    program, config, message = FAILING[policy]
    stack = _stack(engine, sandbox_server, f"fail-{policy}", program)
    with pytest.raises(auto.CommandError) as err:
        _preview(stack, config, tmp_path)
    out = str(err.value)
    # Every violation, a stack policy's too, is reported against its resource (by URN).
    assert f"[mandatory]  {policy}  (pulumi-python:dynamic/" in out and message in out
    assert "Traceback" not in out


PASSING = """
s = opsgenie.Schedule("inline", name="pol-ok", timezone="America/New_York",
                      owner_team={"name": "ops_team"}, rotations=[DAILY])
bare = opsgenie.Schedule("separate", name="pol-ok-separate", owner_team={"name": "ops_team"})
opsgenie.ScheduleRotation("separate-rotation", schedule_id=bare.id, **DAILY)
imbrace.Scheduler("hourly", imbrace.SchedulerArgs(
    name="pol-ok-hourly", event_type="whatsapp", trigger_frequency_unit="minutes", trigger_frequency_value=60,
    job={"type": "webhook", "method": "POST", "url": "http://127.0.0.1:9/hook", "data": {"team": "ops"}}))
omni.Schedule("paused-allowed", omni.ScheduleArgs(schedule_id=ORDERS, paused=True))
"""


def test_a_compliant_stack_passes_every_policy(
    engine: Engine, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    config = {
        "imbrace-min-interval": {"minIntervalMinutes": 60},
        "imbrace-webhooks-https": {"allowedHttpHosts": ["127.0.0.1"]},
        "omni-paused-needs-allowance": {"allowPaused": [ORDERS]},
    }
    stack = _stack(engine, sandbox_server, "pass-all", PASSING)
    result = _preview(stack, config, tmp_path)
    assert "[mandatory]" not in result.stdout
    # The one advisory line: job-rate's note that the adopted Omni schedule's cron is not read yet.
    advisory = [line for line in result.stdout.splitlines() if "[advisory]" in line]
    assert advisory == ["        - [advisory]  job-rate  (pulumi:pulumi:Stack: pass-all-test)"], result.stdout
    assert "Schedule 'paused-allowed' skipped: schedule (read from Omni" in result.stdout
    assert result.change_summary.get(auto.OpType.CREATE) == 6  # the stack and five resources
