"""The README's first stack, as a newcomer runs it: the program saved, the shell lines run as printed.

The lines run in ``bash`` from a directory shaped like the repository root (its ``.venv`` and
``.tools``, which ``make demo`` provides), with nothing but ``PATH`` and ``HOME`` set; the one
substitution is the sandbox's address (the page's port 8787 is ``make sandbox``'s).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from harness import REPO, TOOLS, SandboxServer
from tests.support.docs_examples import example
from tests.support.opsgenie import KEY, api
from tests.support.secrets import assert_no_traceback, assert_secret_absent

DOCUMENTED_URL = "http://127.0.0.1:8787"


def test_first_stack_runs_as_printed(tmp_path: Path, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    root, home = tmp_path / "repo", tmp_path / "home"
    (root / "first-stack").mkdir(parents=True)
    home.mkdir()
    (root / ".venv").symlink_to(REPO / ".venv")
    (root / ".tools").symlink_to(TOOLS)
    program = example("README.md", "first-stack-program")
    (root / "first-stack" / "__main__.py").write_text(program)
    script = example("README.md", "first-stack")
    assert DOCUMENTED_URL in script
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "PULUMI_SKIP_UPDATE_CHECK": "true"}

    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script.replace(DOCUMENTED_URL, sandbox_server.url)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    assert_no_traceback(output)

    # `pulumi stack output` printed the id of the schedule the sandbox now holds, with its rotation.
    schedule = api(sandbox_server).get_schedule("my-first-oncall", "name")
    assert run.stdout.strip().splitlines()[-1] == schedule.id
    assert [(r.name, r.start_date) for r in schedule.rotations] == [("weekly", "2026-01-05T08:00:00Z")]

    # What the README says next, in the same project: no changes; a participant changed is one
    # update; `pulumi destroy --yes` removes the schedule.
    project = root / "first-stack"
    user_env = {
        **env,
        "PATH": f"{TOOLS / 'bin'}{os.pathsep}{env['PATH']}",
        "PULUMI_CONFIG_PASSPHRASE": "first-stack",
        "PULUMI_BACKEND_URL": f"file://{project / '.state'}",
    }

    def pulumi(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(["pulumi", *args], cwd=project, env=user_env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    pulumi("preview", "--expect-no-changes")
    (project / "__main__.py").write_text(program.replace("bob@example.com", "carol@example.com"))
    changes = json.loads(pulumi("preview", "--json").stdout)["changeSummary"]
    assert changes == {"update": 1, "same": 1}
    pulumi("destroy", "--yes")
    assert [s.name for s in api(sandbox_server).list_schedules()] == []
    assert_secret_absent(KEY, texts=[output], roots=[project / ".state"])
