"""``stacks impact`` and the stack's time plan without the engine: how state and definitions are read,
joined and compared, the report's forms and the command's exit codes.

The engine test (tests/engine/test_impact.py) runs the command on a real stack on the sandbox.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from harness import REPO
from stacks import cli, impact
from stacks.definitions import load
from stacks.timing import FIRINGS_LIMIT, Job, OnCallSchedule, Plan, TimeError, from_program, from_state

T0 = datetime(2030, 3, 4, tzinfo=UTC)
SANDBOX = REPO / "stacks" / "environments" / "sandbox.yaml"
WEEKLY = {
    "name": "weekly",
    "type": "weekly",
    "start_date": "2030-03-04T00:00:00Z",
    "participants": [
        {"type": "user", "username": "alice@example.com"},
        {"type": "user", "username": "bob@example.com"},
    ],
}


def _res(
    kind: str, name: str, id_: str, inputs: dict[str, object], outputs: dict[str, object] | None = None
) -> dict[str, object]:
    type_ = f"pulumi-python:dynamic/{kind}"
    return {
        "type": type_,
        "urn": f"urn:pulumi:prod::schedules::{type_}::{name}",
        "id": id_,
        "inputs": {**inputs, "__provider": "blob"},
        "outputs": outputs or {},
    }


CHECKPOINT = {
    "resources": [
        {
            "type": "pulumi:pulumi:Stack",
            "urn": "urn:pulumi:prod::schedules::pulumi:pulumi:Stack::schedules-prod",
        },
        _res("opsgenie:Schedule", "ops", "s-1", {"name": "ops", "timezone": "Europe/Berlin"}),
        _res("opsgenie:ScheduleRotation", "ops-weekly", "s-1/r-1", {"schedule_id": "s-1", **WEEKLY}),
        _res("opsgenie:ScheduleRotation", "stray", "s-9/r-1", {"schedule_id": "s-9", **WEEKLY}),
        _res("imbrace:Scheduler", "digest", "j-1", {"name": "digest", "trigger_frequency_unit": "days"}),
        _res(
            "omni:Schedule",
            "report",
            "o-1",
            {"schedule_id": "o-1", "paused": None},
            {"name": "Report", "schedule": "0 9 ? * MON-FRI *", "timezone": "UTC", "paused": True},
        ),
    ]
}


def test_the_state_joins_rotations_to_their_schedule_and_reads_omni_crons() -> None:
    plan = from_state(CHECKPOINT)
    ops = plan.schedules["ops"]
    assert (ops.id, ops.timezone, ops.name) == ("s-1", "Europe/Berlin", "ops")
    assert [r["name"] for r in ops.rotations] == ["weekly"] and ops.overrides == ()
    assert "__provider" not in ops.inputs
    assert plan.notes == ["opsgenie rotations stray: its schedule is not in this stack; left out"]
    assert plan.jobs["digest"].api == "imbrace"
    report = plan.jobs["report"]
    assert report.inputs == {
        "cron": "0 9 ? * MON-FRI *",
        "timezone": "UTC",
        "paused": True,
        "schedule_id": "o-1",
    }
    assert report.firings(T0, T0 + timedelta(days=7)) == []  # paused
    assert plan.timezone == "Europe/Berlin"


def test_the_program_joins_by_reference_and_takes_omni_crons_from_the_state(tmp_path: Path) -> None:
    raw = yaml.safe_load(SANDBOX.read_text())
    raw["opsgenie"]["rotations"] = [
        {"resource": "extra", "schedule_id": "${opsgenie.schedules.network-oncall.id}", **WEEKLY}
    ]
    path = tmp_path / "defs.yaml"
    path.write_text(yaml.safe_dump(raw))
    state = from_state(
        {
            "resources": [
                _res(
                    "omni:Schedule",
                    "orders-report",
                    "o-1",
                    {"schedule_id": "o-1", "paused": True},
                    {"name": "Orders", "schedule": "0 9 ? * MON-FRI *", "timezone": "UTC"},
                )
            ]
        }
    )
    plan = from_program(load(path, base=REPO / "stacks"), state)
    assert list(plan.schedules) == ["platform-oncall", "network-oncall"]
    assert [r["name"] for r in plan.schedules["network-oncall"].rotations] == ["weekly"]
    assert set(plan.jobs) == {"oncall-digest", "launch-announcement", "orders-report"}
    assert plan.jobs["orders-report"].inputs["paused"] is False  # the program resumes it
    assert plan.jobs["orders-report"].inputs["cron"] == "0 9 ? * MON-FRI *"
    assert plan.notes == ["Omni schedule web-traffic-report: its cron is Omni's, known once it is adopted"]


def test_a_time_field_that_refers_to_another_resource_is_left_out_with_a_note(tmp_path: Path) -> None:
    raw = yaml.safe_load(SANDBOX.read_text())
    team = {"type": "team", "name": "${opsgenie.schedules.platform-oncall.owner_team_name}"}
    raw["opsgenie"]["rotations"] = [
        {
            "resource": "owners",
            "schedule_id": "${opsgenie.schedules.network-oncall.id}",
            **WEEKLY,
            "participants": [team],
        }
    ]
    path = tmp_path / "defs.yaml"
    path.write_text(yaml.safe_dump(raw))
    plan = from_program(load(path, base=REPO / "stacks"), Plan())
    assert "network-oncall" not in plan.schedules and "platform-oncall" in plan.schedules
    assert "opsgenie schedule network-oncall: a time field refers to another resource; left out" in plan.notes


def _report() -> impact.Impact:
    end = T0 + timedelta(weeks=1)
    found = impact.Impact("prod", T0, end)
    found.schedules.append(
        impact.ScheduleImpact(
            "ops",
            "ops",
            "Europe/Berlin",
            "changed",
            [impact.Hours("alice@example.com", 168, 120), impact.Hours("bob@example.com", 0, 48)],
            opened=[(T0 + timedelta(days=5), T0 + timedelta(days=7, hours=8))],
            closed=[],
        )
    )
    found.jobs.append(
        impact.JobImpact("imbrace", "digest", "digest", "changed", 1, 24, [T0], [T0, T0 + timedelta(hours=1)])
    )
    return found


def test_the_markdown_names_hours_gaps_and_firings() -> None:
    text = impact.markdown(_report())
    assert "| alice@example.com | 168 | 120 | \u221248 |" in text
    assert "| bob@example.com | 0 | 48 | +48 |" in text
    assert "  - Sat 2030-03-09 01:00 \u2013 Mon 2030-03-11 09:00 Europe/Berlin (56 h)" in text
    assert "- gaps closed: none" in text
    assert "| firings per day | 1 | 24 |" in text
    assert (
        "| next 3 | Mon 2030-03-04 00:00 UTC | Mon 2030-03-04 00:00 UTC, Mon 2030-03-04 01:00 UTC |" in text
    )
    quiet = impact.markdown(impact.Impact("prod", T0, T0 + timedelta(weeks=1)))
    assert "No change in time" in quiet


def test_the_json_is_plain() -> None:
    data = json.loads(impact.as_json(_report()))
    assert data["changed"] is True
    assert data["schedules"][0]["hours"][0] == {
        "participant": "alice@example.com",
        "before": 168,
        "after": 120,
    }
    assert data["schedules"][0]["opened"] == [["2030-03-09T00:00:00Z", "2030-03-11T08:00:00Z"]]
    assert data["jobs"][0]["next_after"][1] == "2030-03-04T01:00:00Z"


def test_an_unchanged_job_and_a_removed_one() -> None:
    paused = Job("omni", "r", "r", {"cron": "0 9 ? * MON-FRI *", "timezone": "UTC", "paused": True})
    assert impact.job_impact(paused, paused, T0, T0 + timedelta(days=7)) is None
    gone = impact.job_impact(paused, None, T0, T0 + timedelta(days=7))
    assert gone is not None and gone.status == "removed" and gone.per_day_after == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["impact", "--stack", "prod", "--weeks", "0"],
            "expected a whole number of weeks from 1 to 52, not '0'",
        ),
        (["impact", "--stack", "prod", "--from", "soon"], "expected a date like 2026-12-07"),
        (
            ["calendar", "--stack", "prod", "--out", "x.html", "--timezone", "Mars/Olympus"],
            "unknown time zone",
        ),
        (["calendar", "--stack", "prod", "--out", "x.html", "--live", "--predicted"], "not allowed with"),
    ],
)
def test_bad_options_exit_2_with_a_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_a_stack_that_cannot_be_read_exits_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["impact", "--stack", "prod", "--cwd", str(tmp_path), "--pulumi", str(tmp_path / "nope")])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err


def test_a_schedule_owner_is_named_when_it_cannot_be_predicted() -> None:
    broken = OnCallSchedule(
        "ops", "ops", "UTC", {"name": "ops", "timezone": "Mars/Olympus", "rotations": [WEEKLY]}
    )
    with pytest.raises(TimeError, match=r"^opsgenie schedule ops: "):
        broken.predict(T0, T0 + timedelta(days=1))


def test_no_module_of_the_program_directory_shadows_the_standard_library() -> None:
    """Pulumi runs the program and the providers in stacks/ (first on sys.path): a stacks/calendar.py
    would be imported as the standard library's calendar by everything the providers load."""
    modules = {p.stem for p in (REPO / "stacks").glob("*.py")} | {
        p.name for p in (REPO / "stacks").iterdir() if (p / "__init__.py").exists()
    }
    assert modules & set(sys.stdlib_module_names) == set()


def test_firings_per_day_of_a_list_cut_at_the_limit_count_the_stretch_it_covers() -> None:
    every_minute = Job("omni", "r", "r", {"cron": "* * ? * * *", "timezone": "UTC", "paused": False})
    end = T0 + timedelta(weeks=4)
    firings = every_minute.firings(T0, end)
    assert len(firings) == FIRINGS_LIMIT  # 40,320 minutes in the window
    assert impact.per_day(firings, T0, end) == pytest.approx(1440, rel=0.01)
    assert impact.per_day(firings[:24], T0, T0 + timedelta(days=1)) == 24
