"""docs/ci.md's workflow, run step by step as GitHub Actions runs it, against the sandbox and a bucket.

A checkout of this repository (links to its files; the stack's config file of its own), the
workflow's ``env`` with the secrets filled in, ``GITHUB_PATH`` honoured between steps, each
``run:`` through ``bash -eo pipefail``; ``uses:`` steps (checkout, toolchains, cache) are the
runner's business and are what this machine already has. State lives in a real S3-compatible
bucket (SeaweedFS), credentials come only from environment variables.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import yaml

from harness import REPO, SandboxServer, engine_env, sandbox_settings
from tests.support.s3_server import BUCKET, S3Server
from tests.support.secrets import assert_no_traceback

DOC = REPO / "docs" / "ci.md"
STACK = "sandbox"  # the workflow's STACK: the sandbox's policy config allows its plain-HTTP hosts
SANDBOX_DEFINITIONS = REPO / "stacks" / "environments" / "sandbox.yaml"
VIOLATION = "[mandatory]  opsgenie-owner-team  (pulumi-python:dynamic/opsgenie:Schedule: platform-oncall)"


def workflow() -> dict[str, Any]:
    """The workflow in docs/ci.md."""
    match = re.search(r"```yaml\n(.*?)```", DOC.read_text(), re.S)
    assert match is not None, "docs/ci.md has no workflow"
    return dict(yaml.safe_load(match.group(1)))


@dataclass
class Runner:
    """Runs a job's ``run:`` steps the way GitHub Actions does, in one checkout."""

    checkout: Path
    env: dict[str, str]
    github_path: Path

    def job(self, name: str) -> tuple[int, str]:
        """Run the job's steps until one fails; its exit status and everything it printed."""
        out = ""
        for step in workflow()["jobs"][name]["steps"]:
            if "run" not in step:
                continue
            added = [p for p in self.github_path.read_text().splitlines() if p]
            env = {**self.env, "PATH": os.pathsep.join([*reversed(added), self.env["PATH"]])}
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=self.checkout,
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=900,
            )
            out += done.stdout + done.stderr
            if done.returncode != 0:
                return done.returncode, out
        return 0, out


def _checkout(root: Path, definitions: Path, sandbox: SandboxServer) -> Path:
    """This repository as a CI runner sees it, with the stack's config pointing at the sandbox."""
    checkout = root / "checkout"
    (checkout / "stacks").mkdir(parents=True)
    for name in (
        "Makefile",
        "pyproject.toml",
        "constraints.txt",
        "Pulumi.yaml",
        "policies",
        "providers",
        "scripts",
        "tools",
        ".venv",
        ".tools",
    ):
        (checkout / name).symlink_to(REPO / name)
    # scripts/install-engine builds the language host from the project's ../shared.
    (root / "shared").symlink_to(REPO.parent / "shared")
    for entry in (REPO / "stacks").iterdir():
        if entry.name == "files":  # attachments must really lie under the program directory
            shutil.copytree(entry, checkout / "stacks" / "files")
        elif not entry.name.startswith("Pulumi."):
            (checkout / "stacks" / entry.name).symlink_to(entry)
    config = {
        **sandbox_settings(sandbox.url)[0],
        "schedules:definitions": str(definitions),
    }
    (checkout / "stacks" / f"Pulumi.{STACK}.yaml").write_text(yaml.safe_dump({"config": config}))
    return checkout


def _runner(root: Path, checkout: Path, s3: S3Server) -> Runner:
    secrets = {
        "STATE_AWS_ACCESS_KEY_ID": "ci-key-id",
        "STATE_AWS_SECRET_ACCESS_KEY": "ci-secret-key",
        "PULUMI_CONFIG_PASSPHRASE": "ci-passphrase",
        "OPSGENIE_API_KEY": "sandbox-opsgenie",
        "IMBRACE_ACCESS_TOKEN": "sandbox-imbrace",
        "OMNI_API_TOKEN": "sandbox-omni",
    }
    env = {
        k: re.sub(r"\$\{\{ secrets\.(\w+) \}\}", lambda m: secrets[m.group(1)], str(v))
        for k, v in workflow()["env"].items()
    }
    assert env["PULUMI_BACKEND_URL"].startswith("s3://")
    # This runner's bucket instead of the doc's AWS one; its stack instead of prod.
    env["PULUMI_BACKEND_URL"] = (
        f"s3://{BUCKET}?endpoint={s3.endpoint}&disableSSL=true&s3ForcePathStyle=true&region=us-east-1"
    )
    env["STACK"] = STACK
    isolated = {k: v for k, v in engine_env(root).items() if k in ("PULUMI_HOME", "TMPDIR")}
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if ".tools" not in p)
    github_path = root / "github_path"
    github_path.write_text("")
    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "OPSGENIE_", "IMBRACE_", "OMNI_"))
    }
    return Runner(
        checkout, {**base, **isolated, **env, "PATH": path, "GITHUB_PATH": str(github_path)}, github_path
    )


def test_the_ci_workflow_previews_deploys_and_checks_drift(
    s3: S3Server, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    sandbox_server.reset()
    definitions = tmp_path / "sandbox.yaml"
    bad = yaml.safe_load(SANDBOX_DEFINITIONS.read_text())
    del bad["opsgenie"]["schedules"][0]["owner_team"]
    definitions.write_text(yaml.safe_dump(bad))
    ci = _runner(tmp_path, _checkout(tmp_path, definitions, sandbox_server), s3)

    # A change request that breaks a mandatory policy: the preview job fails, naming it.
    code, out = ci.job("preview")
    assert code != 0 and VIOLATION in out, out
    assert_no_traceback(out)
    # The fixed change request passes its preview; the merge deploys it, state in the bucket.
    shutil.copy(SANDBOX_DEFINITIONS, definitions)
    code, out = ci.job("preview")
    assert code == 0, out
    assert re.search(r"Policy Packs run:\s+Name\s+Version\s+schedules-policies\|local\|policies", out), out
    # Its time-impact comment: nothing is deployed yet, so every schedule and job is new.
    impact = (ci.checkout / "impact.md").read_text()
    assert "### Opsgenie schedule `platform-oncall` (added)" in impact, impact
    assert "| alice@example.com | 0 |" in impact and "### iMBRACE scheduler `oncall-digest` (added)" in impact
    code, out = ci.job("deploy")
    assert code == 0, out
    assert re.search(r"\+ 8 created|8 created", out), out
    assert f".pulumi/stacks/schedules/{STACK}.json" in s3.keys(BUCKET, ".pulumi/stacks/")

    # The nightly drift check: clean; then someone edits a schedule in the UI (here: curl).
    code, out = ci.job("drift")
    assert code == 0, out
    assert "No drift" in out
    schedules = requests.get(
        f"{sandbox_server.url}/opsgenie/v2/schedules/platform-oncall",
        params={"identifierType": "name"},
        headers={"Authorization": "GenieKey sandbox-opsgenie"},
        timeout=10,
    )
    schedule_id = schedules.json()["data"]["id"]
    patched = requests.patch(
        f"{sandbox_server.url}/opsgenie/v2/schedules/{schedule_id}",
        json={"description": "changed in the UI", "timezone": "Europe/Paris"},
        headers={"Authorization": "GenieKey sandbox-opsgenie"},
        timeout=10,
    )
    assert patched.status_code == 200, patched.text
    code, out = ci.job("drift")
    assert code == 1, out
    rows = [line for line in out.splitlines() if line.startswith("| platform-oncall |")]
    assert any("| description |" in r and "changed in the UI" in r for r in rows), out
    assert any("| timezone |" in r and "Europe/Paris" in r for r in rows), out
    assert (ci.checkout / "drift.md").read_text().count("| platform-oncall |") == 2

    # The next deploy puts the program's values back; the check is clean again.
    code, out = ci.job("deploy")
    assert code == 0, out
    code, out = ci.job("drift")
    assert code == 0, out
