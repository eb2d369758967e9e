"""The package as a user's project gets it (docs/using-in-your-project.md), outside the repository.

The wheel is built from a copy of what it packages; a Pulumi project in a temporary directory gets
its own virtualenv from the page's install lines, the page's program, ``conftest.py`` and test;
that test starts the sandbox from the project's install and deploys one resource of each API
through the official engine in .tools/bin. Once with the lowest Pulumi SDK that pyproject.toml
allows, once with the newest that PyPI serves (pip's cache is the user's, so a second run
downloads nothing new).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import REPO, TOOLS, VENV_PYTHON
from tests.support.docs_examples import example
from tests.support.opsgenie_oas import OAS_DIR

PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")


def lowest_pulumi() -> str:
    """The floor of the package's ``pulumi>=X,<4`` range."""
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    [floor] = [m.group(1) for d in dependencies if (m := re.fullmatch(r"pulumi>=([0-9.]+),<4", d))]
    return floor


def user_env(home: Path) -> dict[str, str]:
    """A user's shell: this Python and the engine on PATH, their own Pulumi home, pip's settings."""
    path = [str(TOOLS / "bin"), str(Path(sys.base_prefix) / "bin"), "/usr/local/bin", "/usr/bin", "/bin"]
    env = {k: v for k, v in os.environ.items() if k.startswith(("PIP_", "SSL_", "REQUESTS_CA"))}
    return {
        **env,
        "PATH": os.pathsep.join(path),
        "HOME": str(Path.home()),
        "PULUMI_HOME": str(home / ".pulumi"),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PIP_CACHE_DIR": PIP_CACHE,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> str:
    """Run a command in its own process group; kill the group (whatever it started) on the way out."""
    proc = subprocess.Popen(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == 0, f"{args} exited {proc.returncode}:\n{out[-8000:]}"
    return out


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of what it packages (the checkout stays untouched)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for name in ("providers", "sandbox"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    env = user_env(source)
    run(
        [str(VENV_PYTHON), "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(source)],
        source,
        env,
    )
    [built] = dist.glob("saas_schedules-*-py3-none-any.whl")
    return built


@pytest.fixture
def outside(tmp_path: Path) -> Iterator[Path]:
    """A directory outside the repository; afterwards, no process is left that runs from it."""
    assert not tmp_path.resolve().is_relative_to(REPO.resolve())
    yield tmp_path
    left = subprocess.run(["pgrep", "-af", str(tmp_path)], capture_output=True, text=True).stdout
    assert left == "", f"processes left running: {left}"


def installed(venv: Path, code: str) -> str:
    """What ``code`` prints in the venv's Python, run beside the venv (the repository is not on its path)."""
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code],
        cwd=venv.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_wheel_alone_has_the_providers_and_no_tooling(wheel: Path, outside: Path) -> None:
    env = user_env(outside)
    run([str(Path(sys.base_prefix) / "bin" / "python3"), "-m", "venv", "venv"], outside, env)
    run(["venv/bin/pip", "install", "--quiet", str(wheel)], outside, env)
    venv = outside / "venv"
    tops = installed(
        venv,
        "import importlib.metadata as m, json; "
        "print(json.dumps(sorted({str(f).split('/')[0] for f in m.files('saas-schedules')})))",
    )
    assert [t for t in json.loads(tops) if not t.endswith(".dist-info")] == ["providers", "sandbox"]
    found = installed(
        venv,
        "import importlib.util as u; print([n for n in ('bench', 'harness', 'stacks', 'policies', 'tests') "
        "if u.find_spec(n)])",
    )
    assert found == "[]"
    # Every providers module imports without the sandbox extra.
    count = installed(
        venv,
        "import importlib, pkgutil, providers; "
        "mods = [m.name for m in pkgutil.walk_packages(providers.__path__, 'providers.')]; "
        "[importlib.import_module(m) for m in mods]; print(len(mods))",
    )
    assert int(count) >= 20


@pytest.mark.parametrize("sdk", ["lowest", "newest"])
def test_a_project_outside_the_repository_deploys_through_its_own_install(
    wheel: Path, outside: Path, sdk: str
) -> None:
    env = user_env(outside)
    project = outside / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(example("using-in-your-project.md", "pulumi-yaml"))
    (project / "__main__.py").write_text(example("using-in-your-project.md", "program"))
    (project / "conftest.py").write_text(example("using-in-your-project.md", "conftest"))
    (project / "test_stack.py").write_text(example("using-in-your-project.md", "test"))

    # The page's install lines, as printed, with WHEEL set as it says.
    run(
        ["bash", "-euo", "pipefail", "-c", example("using-in-your-project.md", "install")],
        project,
        {**env, "WHEEL": str(wheel)},
    )
    venv = project / "venv"
    pip = [str(venv / "bin" / "pip"), "install", "--quiet"]
    if sdk == "lowest":
        run([*pip, f"pulumi=={lowest_pulumi()}", "pytest"], project, env)
        expected = lowest_pulumi()
    else:
        run([*pip, "--upgrade", "pulumi", "pytest"], project, env)
        index = run([str(venv / "bin" / "pip"), "index", "versions", "pulumi"], project, env)
        expected = re.search(r"pulumi \(([0-9.]+)\)", index).group(1)  # type: ignore[union-attr]
    assert installed(venv, "import importlib.metadata as m; print(m.version('pulumi'))") == expected
    assert installed(venv, "import providers; print(providers.__file__)").startswith(str(venv))

    # The newest run also gives the installed sandbox Opsgenie's OpenAPI, as the page says a user can.
    oas = sdk == "newest" and OAS_DIR.exists()
    if oas:
        env = {**env, "SANDBOX_OPSGENIE_OAS": str(OAS_DIR)}
    out = run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            f"--basetemp={outside / 't'}",
        ],
        project,
        env,
        timeout=900,
    )
    assert "1 passed" in out, out[-4000:]
    # The sandbox came from the project's install, and said what it checks Opsgenie requests against.
    assert "sandbox listening on http://127.0.0.1:" in out
    if oas:
        assert (
            f"sandbox: strict: Opsgenie requests are checked against Opsgenie's OpenAPI in {OAS_DIR}" in out
        )
    else:  # installed, the sandbox has no OpenAPI of its own: it says so, and what it checks instead
        assert (
            "sandbox: strict: Opsgenie's OpenAPI not found (SANDBOX_OPSGENIE_OAS is not set)" in out
            and "NOT checked against it" in out
        )
    assert "Traceback" not in out, out[-4000:]
