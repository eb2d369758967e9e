"""The real stack program (stacks/) under the engine, with the project's policy pack."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from pulumi import automation as auto

from harness import REPO, Engine, EngineStack, SandboxServer
from tests.support.stacks_program import definitions_stack

PACK = str(REPO / "policies")
POLICY_CONFIG = str(REPO / "policies" / "config" / "sandbox.json")
SANDBOX_DEFINITIONS = REPO / "stacks" / "environments" / "sandbox.yaml"
ORDERS = "61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc"


def _stack(engine: Engine, sandbox: SandboxServer, definitions: Path) -> EngineStack:
    stack = definitions_stack(engine, sandbox.url, definitions, stack="sandbox")
    # Pulumi runs the providers in the program directory: the definitions' files live there.
    shutil.copytree(REPO / "stacks" / "files", stack.workdir / "files", dirs_exist_ok=True)
    return stack


def _sandbox_view(url: str) -> dict[str, Any]:
    """What a deployment could have changed in the sandbox."""
    opsgenie = requests.get(
        f"{url}/opsgenie/v2/schedules", headers={"Authorization": "GenieKey sandbox-opsgenie"}, timeout=10
    ).json()["data"]
    imbrace = requests.get(
        f"{url}/imbrace/3rd/organization/org_sandbox/users/u_sandbox/schedulers?limit=100",
        headers={"x-access-token": "sandbox-imbrace"},
        timeout=10,
    ).json()["data"]
    orders = requests.get(f"{url}/_sandbox/omni/schedules/{ORDERS}", timeout=10).json()
    return {
        "opsgenie": sorted(s["name"] for s in opsgenie),
        "imbrace": sorted(s["name"] for s in imbrace),
        "orders": {k: orders.get(k) for k in ("recipients", "disabledAt", "triggerCount")},
    }


def test_sandbox_stack_deploys_through_the_policies_and_is_idempotent(
    engine: Engine, sandbox_server: SandboxServer
) -> None:
    sandbox_server.reset()
    stack = _stack(engine, sandbox_server, SANDBOX_DEFINITIONS)
    up = stack.up(policy_packs=[PACK], policy_pack_configs=[POLICY_CONFIG])
    assert up.summary.resource_changes == {"create": 8}  # the stack and seven resources

    outputs = stack.outputs()
    assert set(outputs["opsgenie_schedules"]) == {"platform-oncall", "network-oncall"}
    assert outputs["omni_schedules"]["orders-report"] == {"id": ORDERS, "name": "Orders", "paused": False}
    week = outputs["oncall_next_7_days"]["platform-oncall"]
    assert week and all(" UTC → " in line for line in week)
    assert any("alice@example.com" in line or "bob@example.com" in line for line in week)
    view = _sandbox_view(sandbox_server.url)
    assert {"platform-oncall", "network-oncall"} <= set(view["opsgenie"])
    assert {"on-call digest", "launch announcement"} <= set(view["imbrace"])
    assert view["orders"]["triggerCount"] == 1, "the trigger runs once when created"

    stack.assert_no_changes(policy_packs=[PACK], policy_pack_configs=[POLICY_CONFIG])
    again = stack.up(policy_packs=[PACK], policy_pack_configs=[POLICY_CONFIG])
    assert again.summary.resource_changes == {"same": 8}
    assert _sandbox_view(sandbox_server.url)["orders"]["triggerCount"] == 1

    stack.destroy()
    view = _sandbox_view(sandbox_server.url)
    assert not {"platform-oncall", "network-oncall"} & set(view["opsgenie"])
    assert not {"on-call digest", "launch announcement"} & set(view["imbrace"])


def test_a_definition_violating_a_mandatory_policy_changes_nothing(
    engine: Engine, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    sandbox_server.reset()
    data = yaml.safe_load(SANDBOX_DEFINITIONS.read_text())
    del data["opsgenie"]["schedules"][0]["owner_team"]
    bad = tmp_path / "sandbox.yaml"
    bad.write_text(yaml.safe_dump(data))
    stack = _stack(engine, sandbox_server, bad)
    before = _sandbox_view(sandbox_server.url)

    with pytest.raises(auto.CommandError) as err:
        stack.preview(policy_packs=[PACK], policy_pack_configs=[POLICY_CONFIG])
    # `pulumi up` as users run it: it previews first, and a mandatory violation stops it before
    # any change. (The Automation API's up() always adds --skip-preview, which checks policies
    # resource by resource while deploying; see docs/stacks.md, "Policies".)
    up = stack.cli("up", "--yes", "--policy-pack", PACK, "--policy-pack-config", POLICY_CONFIG, check=False)
    assert up.returncode != 0
    violation = "[mandatory]  opsgenie-owner-team  (pulumi-python:dynamic/opsgenie:Schedule: platform-oncall)"
    for out in (str(err.value), up.stdout + up.stderr):
        assert violation in out
        assert "an Opsgenie schedule needs an owner team" in out
        assert "Traceback" not in out

    assert _sandbox_view(sandbox_server.url) == before
    assert stack.resources() == []


def test_an_invalid_definition_names_file_entry_and_field(
    engine: Engine, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    data = yaml.safe_load(SANDBOX_DEFINITIONS.read_text())
    data["omni"]["schedules"][0]["recipients"] = ["not-an-email"]
    bad = tmp_path / "sandbox.yaml"
    bad.write_text(yaml.safe_dump(data))
    stack = _stack(engine, sandbox_server, bad)
    with pytest.raises(auto.CommandError) as err:
        stack.preview()
    out = str(err.value)
    assert f"{bad}: omni.schedules[0] (orders-report): recipients[0]:" in out
    assert "Traceback" not in out
