"""The engine tests run the Pulumi users install: the official CLI, language host, exec shim and
dynamic-provider launcher, at the release pinned for the ``pulumi`` SDK (docs/engine.md)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from importlib.metadata import version
from pathlib import Path

import pytest

from harness import REPO, TOOLS, Engine

BIN = TOOLS / "bin"
SHARED_HOST = REPO.parent / "shared" / "pulumi-python-host"
SCRIPTS = ("pulumi-language-python-exec", "pulumi-resource-pulumi-python")
WANT = f"v{version('pulumi')}"


def test_cli_and_language_host_are_the_pinned_release(engine: Engine) -> None:
    cli = subprocess.run([str(BIN / "pulumi"), "version"], capture_output=True, text=True, check=True)
    assert cli.stdout.strip() == WANT
    stack = engine.project("import pulumi\npulumi.export('ok', 1)\n", name="chain")
    about = json.loads(stack.cli("about", "--json").stdout)
    language = [p for p in about["plugins"] if p["name"] == "python" and p["kind"] == "language"]
    assert language, about["plugins"]
    assert f"v{language[0]['version'].lstrip('v')}" == WANT, language


def test_exec_shim_and_provider_launcher_are_the_official_files() -> None:
    if SHARED_HOST.is_dir():
        # Built here: the scripts are installed unchanged from the official host's folder.
        for name in SCRIPTS:
            assert (BIN / name).read_bytes() == (SHARED_HOST / name).read_bytes(), name
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI needs {SHARED_HOST} (the official language host's source) beside the repository")
    # A user's Pulumi install: every program is linked from the one folder, the CLI's own.
    home = Path(os.path.realpath(BIN / "pulumi")).parent
    for name in ("pulumi-language-python", *SCRIPTS):
        assert Path(os.path.realpath(BIN / name)).parent == home, name


def test_nothing_routes_around_the_chain() -> None:
    # No variable that makes the host or the launcher run another Python than the project's venv.
    variable = "PULUMI_PYTHON" + "_CMD"  # spelled apart so that this file does not match itself
    grep = subprocess.run(["git", "grep", "-n", variable], cwd=REPO, capture_output=True, text=True)
    assert grep.stdout == "", grep.stdout
    assert sorted(p.name for p in BIN.iterdir() if not p.name.startswith(".")) == sorted(
        ["pulumi", "pulumi-language-python", *SCRIPTS]
    )
    launcher = (BIN / "pulumi-resource-pulumi-python").read_text()
    assert re.search(r"-m pulumi\.dynamic", launcher)
