"""Security and bad configuration under the real engine, against the sandbox.

- A stack missing any API's credential fails ``pulumi preview`` naming the config key and the
  environment variable, and no call writes anything (before, the preview passed and ``up``
  failed part-way with ``Exception calling application``).
- An iMBRACE ``files`` entry that is a symbolic link out of the program directory fails the
  preview under ``files[0]``, and nothing of the file is uploaded or shown.
- A hand-made Opsgenie schedule whose name the program also uses survives a create whose answer
  is lost, and a ``destroy`` (before, the lost create adopted it and the destroy deleted it).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
import requests
from pulumi import automation as auto

from harness import Engine, SandboxServer, sandbox_settings
from tests.support.imbrace import imbrace_stack, schedulers
from tests.support.opsgenie import api as opsgenie_api
from tests.support.opsgenie import opsgenie_stack, set_faults
from tests.support.secrets import assert_no_traceback

WRITES = ("POST", "PUT", "PATCH", "DELETE")
ORDERS = "61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc"  # a seeded Omni schedule
PROGRAMS = {
    "opsgenie": 'from providers.opsgenie import Schedule\nSchedule("s", name="sec-missing-key")\n',
    "imbrace": (
        "from providers.imbrace import JobArgs, Scheduler, SchedulerArgs\n"
        'Scheduler("s", SchedulerArgs(name="sec-missing-token", event_type="whatsapp",\n'
        '    trigger_frequency_unit="days", trigger_frequency_value=1,\n'
        '    job=JobArgs(type="kafka", topic="T")))\n'
    ),
    "omni": (
        "from providers.omni import Schedule, ScheduleArgs\n"
        f'Schedule("s", ScheduleArgs(schedule_id="{ORDERS}", paused=False))\n'
    ),
}
CREDENTIAL = {
    "opsgenie": ("opsgenie:apiKey", "OPSGENIE_API_KEY"),
    "imbrace": ("imbrace:accessToken", "IMBRACE_ACCESS_TOKEN"),
    "omni": ("omni:apiToken", "OMNI_API_TOKEN"),
}


def assert_no_traceback_of_ours(text: str) -> None:
    """No traceback at all (the program ends quietly when the engine cancels it, see
    ``providers._resource.exit_quietly_when_cancelled``), and no provider exception reaches the engine."""
    assert "Exception calling application" not in text
    assert_no_traceback(text)


def writes(server: SandboxServer) -> dict[str, int]:
    """Write requests the sandbox answered since its last reset, per route."""
    counts: Mapping[str, int] = requests.get(f"{server.url}/_sandbox/stats", timeout=10).json()["requests"]
    return {r: n for r, n in counts.items() if not r.startswith("sandbox ") and r.split(" ")[1] in WRITES}


@pytest.mark.parametrize("api", ["opsgenie", "imbrace", "omni"])
def test_a_missing_credential_fails_preview_naming_key_and_env_var(
    engine: Engine, sandbox_server: SandboxServer, monkeypatch: pytest.MonkeyPatch, api: str
) -> None:
    key, env = CREDENTIAL[api]
    monkeypatch.delenv(env, raising=False)  # the CLI's plugins inherit the test's environment
    sandbox_server.reset()
    config, secrets = sandbox_settings(sandbox_server.url)
    stack = engine.project(
        PROGRAMS[api],
        name=f"missing-{api}",
        config=config,
        secrets={k: v for k, v in secrets.items() if k != key},
    )
    with pytest.raises(auto.CommandError) as err:
        stack.preview()
    text = str(err.value)
    assert "missing setting" in text and f"'{key}'" in text and env in text, text[-2000:]
    assert "Exception calling application" not in text
    assert_no_traceback_of_ours(text)
    with pytest.raises(auto.CommandError):
        stack.up()  # the update's own check stops it the same way, before any create
    assert writes(sandbox_server) == {}
    assert stack.resources() == []


def test_a_symlink_in_files_pointing_outside_fails_preview(
    engine: Engine, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    sandbox_server.reset()
    secret = tmp_path / "outside" / "credentials"
    secret.parent.mkdir()
    secret.write_text("aws_secret_access_key = must-not-leave-this-machine\n")
    program = (
        "from providers.imbrace import JobArgs, Scheduler, SchedulerArgs\n"
        'Scheduler("leaky", SchedulerArgs(name="leaky", event_type="whatsapp",\n'
        '    trigger_frequency_unit="days", trigger_frequency_value=1,\n'
        '    job=JobArgs(type="kafka", topic="T"), files=["files/notes.md", "files/leak.md"]))\n'
    )
    stack = imbrace_stack(engine, sandbox_server, program, name="symlink")
    files = stack.workdir / "files"  # a temporary copy of a project's files/ folder
    files.mkdir()
    (files / "notes.md").write_text("launch notes\n")
    (files / "leak.md").symlink_to(secret)

    with pytest.raises(auto.CommandError) as err:
        stack.preview()
    text = str(err.value)
    assert "property files[1]" in text and "'files/leak.md' leads outside" in text, text[-2000:]
    assert "must-not-leave-this-machine" not in text
    assert_no_traceback_of_ours(text)
    with pytest.raises(auto.CommandError):
        stack.up()
    assert schedulers(sandbox_server, "leaky") == [] and writes(sandbox_server) == {}
    assert "must-not-leave-this-machine" not in stack.export_text()


TWIN_PROGRAM = """
from providers.opsgenie import Schedule

Schedule("oncall", name="sec-payments-oncall", description="made by the program", timezone="UTC")
Schedule("other", name="sec-other-oncall", timezone="UTC")
"""


def test_a_hand_made_opsgenie_twin_survives_a_lost_create_and_a_destroy(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    sandbox_server.reset()
    client = opsgenie_api(sandbox_server)
    twin = client.create_schedule(
        {"name": "sec-payments-oncall", "description": "made by hand", "timezone": "Europe/Berlin"}
    ).id
    stack = opsgenie_stack(engine, sandbox_server, TWIN_PROGRAM, "twin")
    # Every create's answer is lost after the API acted (or refused, for the twin's name).
    set_faults(sandbox_server, pdrop=1, methods=["POST"], drop_after_processing=True)

    with pytest.raises(auto.CommandError) as err:
        stack.up()
    text = str(err.value)
    assert "property name" in text and f"import_='{twin}'" in text, text[-2000:]
    assert twin not in {r.get("id") for r in stack.resources()}
    assert_no_traceback_of_ours(text)

    set_faults(sandbox_server)
    stack.destroy()
    record = client.get_schedule(twin)
    assert (record.name, record.description, record.timezone) == (
        "sec-payments-oncall",
        "made by hand",
        "Europe/Berlin",
    )
    assert [s.name for s in client.list_schedules()] == ["sec-payments-oncall"]
