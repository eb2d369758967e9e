"""docs/deploying.md's commands, as a user runs them, against the sandbox.

A copy of the repository (what git tracks) gets the page's shell block run from its root in a
plain ``bash`` with nothing but ``PATH``, ``HOME``, the passphrase and the engine cache set:
``make deps``, the official Pulumi chain from ``.tools/bin``, ``pulumi login``, the prod stack's
secrets, then ``preview`` and ``up`` through the policy pack. Only what a user would change is
changed: the backend (a ``file://`` folder instead of a bucket), the placeholders for credentials,
the "edit stacks/Pulumi.prod.yaml" step, which points the three APIs at the sandbox, and the "yes"
a user types at ``pulumi up``'s prompt (``--yes``: there is no terminal here).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import requests
import yaml

from harness import SandboxServer, sandbox_settings
from tests.support.docs_examples import copy_repo, example, plain_shell_env
from tests.support.secrets import assert_no_traceback, assert_secret_absent

PASSPHRASE = "readme-deploy-passphrase"


def _script(lines: list[str], state: Path, sandbox_url: str) -> str:
    """The page's lines with a user's substitutions for the sandbox."""
    config, secrets = sandbox_settings(sandbox_url)
    out = ["set -euo pipefail"]
    for line in lines:
        command = line.split("  #", 1)[0].strip()
        if line.startswith("# edit stacks/Pulumi.prod.yaml"):
            # The user's edit: the API endpoints and identities of the sandbox.
            out += [f"pulumi config set {key} {value} --stack prod" for key, value in config.items()]
            continue
        if not command or command.startswith("#"):
            continue
        if command.startswith("pulumi login "):
            command = f"pulumi login file://{state}"
        for key, value in secrets.items():
            if f"--secret {key} " in command:
                command = re.sub(r"<[a-z]+>", value, command)
        if command.startswith("pulumi up "):
            command += " --yes"  # what a user answers to the prompt `pulumi up` shows in a terminal
        assert "<" not in command, f"unsubstituted placeholder in the docs' line: {line}"
        out.append(command)
    return "\n".join(out) + "\n"


def _seed_omni(sandbox: SandboxServer, definitions: Path) -> None:
    """The Omni schedules the prod definitions adopt exist in the account (here: the sandbox)."""
    entries = yaml.safe_load(definitions.read_text())["omni"]["schedules"]
    for entry in entries:
        schedule_id = str(entry["schedule_id"])
        if "${" not in schedule_id:
            body = {"id": schedule_id, "name": entry["resource"]}
            requests.post(f"{sandbox.url}/_sandbox/omni/schedules", json=body, timeout=10).raise_for_status()


def test_deploy_commands_work_from_a_plain_shell(tmp_path: Path, sandbox_server: SandboxServer) -> None:
    repo, state, home = tmp_path / "repo", tmp_path / "state", tmp_path / "home"
    for folder in (repo, state, home):
        folder.mkdir()
    copy_repo(repo)
    sandbox_server.reset()
    _seed_omni(sandbox_server, repo / "stacks" / "environments" / "prod.yaml")

    env = plain_shell_env(home, PULUMI_CONFIG_PASSPHRASE=PASSPHRASE)
    path = env["PATH"]
    script = _script(example("deploying.md", "deploy").splitlines(), state, sandbox_server.url)
    run = subprocess.run(
        ["bash", "-c", script], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, f"the docs' commands failed:\n{script}\n{output[-6000:]}"
    assert_no_traceback(output)

    # The update made what the prod definitions declare; a second preview changes nothing.
    user_env = {**env, "PATH": f"{repo / '.tools' / 'bin'}{os.pathsep}{path}"}

    def pulumi(*args: str) -> subprocess.CompletedProcess[str]:
        argv = ["pulumi", *args, "--stack", "prod", "--non-interactive"]
        return subprocess.run(argv, cwd=repo, env=user_env, capture_output=True, text=True)

    policies = ("--policy-pack", "policies", "--policy-pack-config", "policies/config/prod.json")
    again = pulumi("preview", "--expect-no-changes", *policies)
    assert again.returncode == 0, again.stdout + again.stderr
    exported = pulumi("stack", "export").stdout
    dynamic = re.findall(r'"type": "pulumi-python:dynamic/([a-z]+:[A-Za-z]+)"', exported)
    definitions = yaml.safe_load((repo / "stacks" / "environments" / "prod.yaml").read_text())
    assert dynamic.count("opsgenie:Schedule") == len(definitions["opsgenie"]["schedules"])
    assert dynamic.count("imbrace:Scheduler") == len(definitions["imbrace"]["schedulers"])
    _, secrets = sandbox_settings(sandbox_server.url)
    for secret in secrets.values():
        assert_secret_absent(secret, texts=[exported, output], roots=[state])
