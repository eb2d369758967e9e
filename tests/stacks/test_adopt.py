"""``python -m stacks adopt`` against the real sandbox: entries that validate, named stably, and
equal to what the providers read back (so the next ``up`` adopts without changing anything).

The stack's config and state are given directly here (no engine); tests/engine/test_adopt_drift.py
runs the whole chain through the Pulumi CLI.
"""

from __future__ import annotations

import io
from contextlib import chdir
from pathlib import Path
from typing import Any

import pytest
import yaml

from providers.imbrace.scheduler import SchedulerProvider
from providers.opsgenie.schedule import ScheduleProvider
from providers.stackcli import Pulumi
from stacks import adopt
from stacks.definitions import load
from stacks.stack import Stack
from tests.adopt_support import seed
from tests.conftest import SandboxServer
from tests.engine.harness import sandbox_settings


class Given(Pulumi):
    """The stack's config and checkpoint as the CLI would answer them."""

    def __init__(self, config: dict[str, Any], deployment: dict[str, Any]) -> None:
        super().__init__("adopted", ".")
        self._config, self._deployment = config, deployment

    def config(self) -> dict[str, Any]:
        return self._config

    def deployment(self) -> dict[str, Any]:
        return self._deployment


def _stack(tmp_path: Path, url: str, deployment: dict[str, Any] | None = None) -> Stack:
    (tmp_path / "Pulumi.yaml").write_text("name: schedules\nruntime: python\n")
    config, secrets = sandbox_settings(url)
    given = Given({**config, **secrets, "schedules:definitions": "adopted.yaml"}, deployment or {})
    return Stack("adopted", tmp_path, given)


@pytest.fixture(scope="module")
def seeded(sandbox_server: SandboxServer) -> dict[str, list[str]]:
    sandbox_server.reset()
    return seed(sandbox_server.url, schedules=12, schedulers=12, with_files=2)


def test_adopt_writes_valid_entries_for_every_object(
    seeded: dict[str, list[str]], sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    stack = _stack(tmp_path, sandbox_server.url)
    progress = io.StringIO()
    doc, problems = adopt.adopt(stack, adopt.APIS, progress)
    assert problems == []
    assert (
        progress.getvalue().splitlines()[0] == "adopt: opsgenie: 12 read, 0 already in the stack, 12 to adopt"
    )

    path = tmp_path / "adopted.yaml"
    path.write_text(adopt.render(doc, "adopted"))
    defs = load(path, base=tmp_path)  # the providers' models accept every entry
    schedules = {e.import_id: e for e in defs.opsgenie.schedules}
    assert set(schedules) == set(seeded["opsgenie"])
    schedulers = {e.import_id: e for e in defs.imbrace.schedulers}
    assert set(schedulers) >= set(seeded["imbrace"])  # plus the sandbox's seeded one
    assert {e.args["schedule_id"] for e in defs.omni.schedules} and not defs.omni.triggers

    names = [e.resource for e in defs.opsgenie.schedules]
    assert "team-01-on-call" in names and "team-01-on-call-2" in names
    assert len(set(names)) == len(names)
    # Once in the definition file, nothing is adopted twice; the same account gives the same names.
    assert adopt.adopt(_stack(tmp_path, sandbox_server.url), adopt.APIS, io.StringIO())[0] == {}
    (tmp_path / "other").mkdir()
    assert adopt.adopt(_stack(tmp_path / "other", sandbox_server.url), adopt.APIS, io.StringIO())[0] == doc


def test_entries_equal_what_the_providers_read_back(
    seeded: dict[str, list[str]], sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    stack = _stack(tmp_path, sandbox_server.url)
    doc, _ = adopt.adopt(stack, ["opsgenie", "imbrace"], io.StringIO())
    opsgenie = stack.provider(ScheduleProvider())
    for entry in doc["opsgenie"]["schedules"]:
        args = {k: v for k, v in entry.items() if k not in ("resource", "import_id")}
        live = opsgenie.read_remote(opsgenie.client(), entry["import_id"])
        assert live is not None
        aligned = opsgenie.align_live(live, args)[0]
        assert opsgenie.dump(opsgenie.inputs_model.model_validate(aligned)) == args, entry["resource"]
    forms = {
        p["type"] for e in doc["opsgenie"]["schedules"] for r in e["rotations"] for p in r["participants"]
    }
    assert forms == {"user", "team", "escalation", "none"}

    imbrace = stack.provider(SchedulerProvider())
    units = set()
    with chdir(tmp_path):  # where Pulumi would run the providers: the files' paths are relative
        for entry in doc["imbrace"]["schedulers"]:
            units.add(entry.get("trigger_frequency_unit", entry["type"]))
            program = imbrace.dump(
                imbrace.parse({k: v for k, v in entry.items() if k not in ("resource", "import_id")})
            )
            live = imbrace.read_remote(imbrace.client(), entry["import_id"])
            assert live is not None
            aligned = imbrace.align_live(live, program)[0]
            assert imbrace.dump(imbrace.inputs_model.model_validate(aligned)) == program, entry["resource"]
    assert units == {"minutes", "days", "weeks", "months", "years", "non_recurring"}
    with_files = [e for e in doc["imbrace"]["schedulers"] if e.get("files")]
    assert len(with_files) == 2
    for entry in with_files:
        assert entry["files"][0].startswith(f"files/imbrace/{entry['import_id']}/")
        assert (tmp_path / entry["files"][0]).read_bytes().startswith(b"attachment of job")


def test_objects_in_state_or_definitions_are_left_out(
    seeded: dict[str, list[str]], sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    first, second = seeded["opsgenie"][:2]
    state = {
        "resources": [
            {"type": "pulumi-python:dynamic/opsgenie:Schedule", "id": first, "outputs": {"name": "x"}},
            {"type": "pulumi-python:dynamic/imbrace:Scheduler", "id": seeded["imbrace"][0], "outputs": {}},
        ]
    }
    (tmp_path / "adopted.yaml").write_text(
        yaml.safe_dump({"opsgenie": {"schedules": [{"resource": "team-01-on-call", "import_id": second}]}})
    )
    doc, _ = adopt.adopt(_stack(tmp_path, sandbox_server.url, state), ["opsgenie", "imbrace"], io.StringIO())
    ids = {e["import_id"] for e in doc["opsgenie"]["schedules"]}
    assert first not in ids and second not in ids and len(ids) == 10
    assert seeded["imbrace"][0] not in {e["import_id"] for e in doc["imbrace"]["schedulers"]}
    # A name already in the file is not given again.
    assert "team-01-on-call" not in {e["resource"] for e in doc["opsgenie"]["schedules"]}


def test_merge_appends_to_the_lists() -> None:
    current = {"description": "d", "opsgenie": {"schedules": [{"resource": "a"}]}}
    adopted = {"opsgenie": {"schedules": [{"resource": "b"}]}, "omni": {"schedules": [{"resource": "c"}]}}
    assert adopt.merge(current, adopted) == {
        "description": "d",
        "opsgenie": {"schedules": [{"resource": "a"}, {"resource": "b"}]},
        "omni": {"schedules": [{"resource": "c"}]},
    }


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Team 07 / Nights (EU)", "team-07-nights-eu"), ("Équipe été", "equipe-ete"), ("§§", "")],
)
def test_slug(name: str, slug: str) -> None:
    assert adopt.slug(name) == slug
