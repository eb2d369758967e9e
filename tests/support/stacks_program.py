"""The repository's stacks program (``stacks/__main__.py``) as the real engine runs it, on the sandbox."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from harness import REPO, Engine, EngineStack, sandbox_settings

PROGRAM = f"""
import runpy
runpy.run_path({str(REPO / "stacks")!r}, run_name="__main__")
"""


def definitions_stack(engine: Engine, url: str, definitions: Path, *, stack: str) -> EngineStack:
    """A stack of project ``schedules`` running the stacks program on ``definitions``, with all three
    providers pointed at the sandbox at ``url`` (credentials as secrets)."""
    config, secrets = sandbox_settings(url)
    return engine.project(
        PROGRAM,
        name="schedules",
        stack=stack,
        config={**config, "schedules:definitions": str(definitions)},
        secrets=secrets,
    )


def stacks_tool(stack: EngineStack, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m stacks …`` in the project directory, on the stack, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "stacks", *args, "--stack", stack.stack.name],
        cwd=stack.workdir,
        env=stack.cli_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
