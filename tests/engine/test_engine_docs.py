"""docs/engine.md's "Running it by hand", from a plain shell in a copy of the repository.

The lines run as printed in ``bash`` with nothing but ``PATH``, ``HOME`` and the engine cache set;
the one change is where the sandbox listens: the copy's ``stacks/Pulumi.sandbox.yaml`` names this
test's sandbox instead of port 8787 (``make sandbox``'s).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from harness import SandboxServer
from tests.support.docs_examples import copy_repo, example, plain_shell_env
from tests.support.secrets import assert_no_traceback

DOCUMENTED_URL = "http://127.0.0.1:8787"


def test_running_it_by_hand(tmp_path: Path, sandbox_server: SandboxServer) -> None:
    repo, home = tmp_path / "repo", tmp_path / "home"
    repo.mkdir()
    home.mkdir()
    copy_repo(repo)
    config = repo / "stacks" / "Pulumi.sandbox.yaml"
    assert DOCUMENTED_URL in config.read_text()
    config.write_text(config.read_text().replace(DOCUMENTED_URL, sandbox_server.url))
    sandbox_server.reset()

    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", example("engine.md", "by-hand")],
        cwd=repo,
        env=plain_shell_env(home),
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    assert_no_traceback(output)
    # `pulumi about`: what the page's comment says it shows.
    assert re.search(r"^Version\s+3\.259\.0$", run.stdout, re.M), run.stdout
    assert re.search(r"^language\s+python\s+3\.259\.0$", run.stdout, re.M), run.stdout
    # The preview went through the policy pack and would create the sandbox stack.
    assert "Policies:" in run.stdout and "to create" in run.stdout, run.stdout[-3000:]
    assert (repo / ".state" / ".pulumi" / "stacks").is_dir()
