"""``make demo`` converges whatever the sandbox holds: run, sandbox reset, run again — both green.

``scripts/demo up`` (what ``make demo`` runs) in a copy of the project's root (its own ``.state``),
pointed at the test's sandbox; between the two runs the sandbox is reset (``POST /_sandbox/reset``,
docs/sandbox.md), so every object the first run made is gone and the state still lists them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from harness import REPO, TOOLS, SandboxServer
from tests.support.opsgenie import api
from tests.support.secrets import assert_no_traceback


def demo_root(tmp_path: Path, port: int) -> Path:
    """The project's root as ``make demo`` needs it, its sandbox config on ``port``."""
    root = tmp_path / "repo"
    root.mkdir()
    skip = shutil.ignore_patterns("__pycache__", ".venv")
    for name in ("scripts", "stacks", "policies"):
        shutil.copytree(REPO / name, root / name, ignore=skip)
    shutil.copy(REPO / "Pulumi.yaml", root / "Pulumi.yaml")
    (root / ".venv").symlink_to(REPO / ".venv")
    (root / "stacks" / ".venv").symlink_to("../.venv")
    (root / ".tools").symlink_to(TOOLS)
    config = root / "stacks" / "Pulumi.sandbox.yaml"
    config.write_text(config.read_text().replace("127.0.0.1:8787", f"127.0.0.1:{port}"))
    return root


def test_demo_after_a_sandbox_reset_is_green(tmp_path: Path, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    root = demo_root(tmp_path, sandbox_server.port)
    env = {**os.environ, "SANDBOX_PORT": str(sandbox_server.port), "HOME": str(tmp_path)}

    def demo() -> str:
        run = subprocess.run(
            ["scripts/demo", "up"], cwd=root, env=env, capture_output=True, text=True, timeout=900
        )
        output = run.stdout + run.stderr
        assert run.returncode == 0, output[-6000:]
        assert_no_traceback(output)
        return output

    demo()
    made = sorted(s.name for s in api(sandbox_server).list_schedules())
    assert made, "the demo made no Opsgenie schedule"
    sandbox_server.reset()
    assert api(sandbox_server).list_schedules() == []
    demo()
    assert sorted(s.name for s in api(sandbox_server).list_schedules()) == made
