"""Typed keyword signatures: mypy and editors see each resource's fields, from its Args.

Every resource declares its constructor's typed signature (``tests/support/signatures.py``
renders it from the ``XArgs`` dataclass; here each class must hold exactly that), and the package
is marked typed (``providers/py.typed``), so a misspelt keyword or a value of the wrong type in a
user's program is a type error naming it, not only a failure at preview.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from harness import REPO
from providers.kinds import KINDS
from tests.support.signatures import declared_overloads, overloads, rendered_overloads


@pytest.mark.parametrize("registered", KINDS, ids=lambda k: k.key)
def test_each_resource_declares_the_signature_of_its_args(registered: Any) -> None:
    resource = registered.resource
    assert declared_overloads(resource) == rendered_overloads(resource.args_type), (
        f"{resource.__module__}.{resource.__name__} should declare, after `args_type`:\n\n"
        + overloads(resource.args_type)
    )


GOOD = """
import pulumi
from providers.imbrace import JobArgs, Scheduler
from providers.opsgenie import Schedule, ScheduleArgs, ScheduleRotation

s = Schedule("oncall", name="Ops", timezone="Europe/Berlin", opts=pulumi.ResourceOptions(protect=True))
Schedule("by-args", ScheduleArgs(name="Ops 2", enabled=True))
ScheduleRotation("turns", schedule_id=s.id, start_date="2026-01-05T09:00:00+01:00", type="weekly",
                 participants=[{"type": "user", "username": "alice@example.com"}])
Scheduler("offer", name="Offer", event_type="whatsapp", job=JobArgs(type="kafka", topic="T"))
"""
BAD = """
from providers.omni import ScheduleTrigger
from providers.opsgenie import Schedule

Schedule("oncall", name="Ops", time_zone="Europe/Berlin")
Schedule("typed", name="Ops 2", enabled="yes")
ScheduleTrigger("run", schedule_id="s-1", trigers={})
"""


def test_mypy_names_a_misspelt_keyword_and_a_wrong_type_and_passes_both_call_forms(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(textwrap.dedent(GOOD))
    (tmp_path / "bad.py").write_text(textwrap.dedent(BAD))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file=",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-error-summary",
            "--hide-error-context",
            "good.py",
            "bad.py",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if e.startswith("good.py")], run.stdout
    assert run.returncode == 1, run.stdout + run.stderr
    text = "\n".join(errors)
    assert 'bad.py:5: error: Unexpected keyword argument "time_zone" for "Schedule"' in text
    assert 'bad.py:6: error: Argument "enabled" to "Schedule" has incompatible type "str"' in text
    assert 'bad.py:7: error: Unexpected keyword argument "trigers" for "ScheduleTrigger"' in text
    assert len(errors) == 3, text
