"""The import contract in pyproject.toml (``lint-imports`` in ``make lint``) fails on a violation.

Each case copies the project's packages and pyproject.toml to a temporary directory, adds one
module with a forbidden import, and runs ``lint-imports`` there: it must exit non-zero and name
the broken contract and the offending import. The unchanged copy passes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from harness import REPO

PACKAGES = ("providers", "sandbox", "stacks", "policies", "bench", "harness", "tests")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

INDEPENDENT = "The sandbox and the providers are two independent readings of the docs"
PROVIDERS_ALONE = "The providers depend on nothing of the project outside providers/"
SANDBOX_ALONE = "The sandbox (in the wheel) imports no repository tooling"
NO_TESTS = "The benchmarks and the harness do not import the tests"
PRIVATE = "Nothing outside providers/ imports a private providers module"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's Python packages and its pyproject.toml."""
    root = tmp_path_factory.mktemp("contract")
    for name in PACKAGES:
        skip = shutil.ignore_patterns("__pycache__", ".venv", "*.db")
        shutil.copytree(REPO / name, root / name, ignore=skip)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    # The copy comes first on the path, before the editable install of the real tree.
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_project_keeps_its_contract(project: Path) -> None:
    result = lint_imports(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("package", "source", "contract", "imported"),
    [
        ("sandbox", "import providers.opsgenie\n", INDEPENDENT, "providers.opsgenie"),
        ("providers", "import stacks.definitions\n", PROVIDERS_ALONE, "stacks.definitions"),
        ("providers", "import harness\n", PROVIDERS_ALONE, "harness"),
        ("sandbox", "import harness\n", SANDBOX_ALONE, "harness"),
        ("sandbox", "from stacks import definitions\n", SANDBOX_ALONE, "stacks.definitions"),
        ("bench", "from tests.support import omni\n", NO_TESTS, "tests.support.omni"),
        ("harness", "import tests.conftest\n", NO_TESTS, "tests.conftest"),
        ("stacks", "from providers._http import ApiError\n", PRIVATE, "providers._http"),
        ("bench", "from providers import _throttle\n", PRIVATE, "providers._throttle"),
    ],
)
def test_a_forbidden_import_breaks_the_contract(
    project: Path, package: str, source: str, contract: str, imported: str
) -> None:
    path = project / package / "violation.py"
    path.write_text(source)
    try:
        result = lint_imports(project)
    finally:
        path.unlink()
    assert result.returncode != 0, result.stdout
    assert f"{contract} BROKEN" in result.stdout, result.stdout
    assert f"{package}.violation -> {imported}" in result.stdout, result.stdout


def test_every_private_providers_module_is_forbidden_outside_providers() -> None:
    # import-linter's wildcards replace whole modules only, so the private modules are listed by
    # name: a new ``providers/_x.py`` must join the list, or the contract would not cover it.
    contracts = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    private = next(c for c in contracts if c["name"] == PRIVATE)
    on_disk = {f"providers.{p.stem}" for p in (REPO / "providers").glob("_*.py") if p.stem != "__init__"}
    assert on_disk <= set(private["forbidden_modules"])
