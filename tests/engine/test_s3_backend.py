"""Team state on an S3-compatible bucket (docs/deploying.md, "Sharing state"), against a real object store.

SeaweedFS (``weed server -s3``, built by scripts/install-s3) on loopback ports; the page's
commands run as printed in a throwaway ``PULUMI_HOME``: ``pulumi login s3://…``, the sandbox
stack deployed with its state in the bucket; then two ``pulumi up`` of the stack at once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from harness import REPO, TOOLS, SandboxServer, engine_env, sandbox_settings
from tests.support.docs_examples import example
from tests.support.s3_server import BUCKET, S3Server

CHECKPOINT = ".pulumi/stacks/schedules/sandbox.json"
LOCKED = "the stack is currently locked by 1 lock(s)"


def _project(root: Path, sandbox: SandboxServer) -> Path:
    """The sandbox stack's project: the repo's program and definitions, the sandbox's URLs."""
    workdir = root / "project"
    workdir.mkdir(parents=True)
    (workdir / "Pulumi.yaml").write_text(
        f"name: schedules\nruntime:\n  name: python\n  options:\n    virtualenv: {REPO / '.venv'}\n"
    )
    (workdir / "__main__.py").write_text(
        f"import runpy\nrunpy.run_path({str(REPO / 'stacks')!r}, run_name='__main__')\n"
    )
    shutil.copytree(REPO / "stacks" / "files", workdir / "files")
    config = {
        **sandbox_settings(sandbox.url)[0],
        "schedules:definitions": str(REPO / "stacks" / "environments" / "sandbox.yaml"),
    }
    (workdir / "Pulumi.sandbox.yaml").write_text(json.dumps({"config": config}))
    return workdir


def _env(root: Path, s3: S3Server) -> dict[str, str]:
    """A throwaway PULUMI_HOME logged in nowhere yet; credentials as CI gives them: env vars."""
    env = {k: v for k, v in engine_env(root).items() if k != "PULUMI_BACKEND_URL"}
    return {
        **{k: v for k, v in os.environ.items() if k != "PULUMI_BACKEND_URL"},
        **env,
        "S3_ENDPOINT": s3.endpoint,
        "AWS_ACCESS_KEY_ID": "team-key-id",
        "AWS_SECRET_ACCESS_KEY": "team-secret-key",
        "OPSGENIE_API_KEY": "sandbox-opsgenie",
        "IMBRACE_ACCESS_TOKEN": "sandbox-imbrace",
        "OMNI_API_TOKEN": "sandbox-omni",
    }


def _pulumi(
    workdir: Path, env: dict[str, str], *args: str, on_stack: bool = True
) -> subprocess.CompletedProcess[str]:
    stack = ("--stack", "sandbox") if on_stack else ()
    return subprocess.run(
        [str(TOOLS / "bin" / "pulumi"), *args, *stack, "--non-interactive"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def _resources(deployment: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((r["urn"], r.get("id", "")) for r in deployment.get("resources", []))


def test_the_sandbox_stack_lives_in_the_bucket_and_one_update_runs_at_a_time(
    s3: S3Server, sandbox_server: SandboxServer, tmp_path: Path
) -> None:
    sandbox_server.reset()
    workdir, env = _project(tmp_path, sandbox_server), _env(tmp_path, s3)

    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", example("deploying.md", "sharing-state")],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    whoami = _pulumi(workdir, env, "whoami", "--verbose", on_stack=False)
    assert f"s3://{BUCKET}?endpoint={s3.endpoint}" in whoami.stdout
    assert CHECKPOINT in s3.keys(BUCKET, ".pulumi/stacks/")
    in_bucket = json.loads(s3.get(BUCKET, CHECKPOINT))["checkpoint"]["latest"]
    backup = json.loads((workdir / "sandbox-checkpoint.json").read_text())["deployment"]
    deployed = _resources(in_bucket)
    assert len([urn for urn, _ in deployed if "pulumi-python:dynamic" in urn]) == 7
    assert deployed == _resources(backup)

    # Two updates of the stack at once: the bucket's lock lets at most one run. The DIY lock is
    # written, then checked again (pkg/backend/diy/lock.go): two that start within the same
    # instant may both see the other's lock and both stop — never both run. Such a tie is
    # retried; every stop must be the lock's message and leave the state as it was.
    outcomes: list[tuple[int, int]] = []
    for _ in range(3):
        first = subprocess.Popen(
            [str(TOOLS / "bin" / "pulumi"), "up", "--yes", "--stack", "sandbox", "--non-interactive"],
            cwd=workdir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        second = subprocess.Popen(
            [str(TOOLS / "bin" / "pulumi"), "up", "--yes", "--stack", "sandbox", "--non-interactive"],
            cwd=workdir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        results = [(p.wait(timeout=600), (p.stdout.read() if p.stdout else "")) for p in (first, second)]
        codes = sorted(code for code, _ in results)
        outcomes.append((codes[0], codes[1]))
        assert codes != [0, 0], "two updates of one stack ran at once"
        for code, out in results:
            if code != 0:
                assert LOCKED in out, out
                assert "Traceback" not in out
        assert s3.keys(BUCKET, ".pulumi/locks/") == [], "a lock was left in the bucket"
        if codes[0] == 0:
            break
    assert outcomes[-1][0] == 0, f"no update ran in {len(outcomes)} tries: {outcomes}"

    # The state in the bucket is intact: it exports, it holds the same resources, nothing pending.
    export = _pulumi(workdir, env, "stack", "export")
    assert export.returncode == 0, export.stderr
    after = json.loads(export.stdout)["deployment"]
    assert _resources(after) == deployed
    assert not after.get("pending_operations")
    preview = _pulumi(workdir, env, "preview", "--expect-no-changes")
    assert preview.returncode == 0, preview.stdout + preview.stderr
