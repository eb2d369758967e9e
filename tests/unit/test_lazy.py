"""``providers._lazy``: each API package's exports, imported on first use, agree in all three places.

A package lists every export three times — under ``if TYPE_CHECKING`` (what mypy and editors
read), in its ``lazy_exports`` map (what runs) and in ``__all__`` — so a name added to one and
not the others would type-check yet fail for a user, or be importable yet undocumented.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys

import pytest

from harness import REPO

PACKAGES = ("providers.opsgenie", "providers.imbrace", "providers.omni")


def _type_checking_imports(package: str) -> dict[str, str]:
    """Name → module of the imports under ``if TYPE_CHECKING:`` in the package's ``__init__``."""
    tree = ast.parse((REPO / package.replace(".", "/") / "__init__.py").read_text())
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom) and stmt.module, ast.unparse(stmt)
                found.update({alias.name: stmt.module for alias in stmt.names})
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_all_names_the_typed_imports_and_each_resolves_from_its_module(package: str) -> None:
    typed = _type_checking_imports(package)
    module = importlib.import_module(package)
    assert sorted(module.__all__) == sorted(typed)
    for name, source in typed.items():
        assert getattr(module, name) is getattr(importlib.import_module(source), name), name


@pytest.mark.parametrize("package", PACKAGES)
def test_an_unknown_name_is_an_attribute_error(package: str) -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = importlib.import_module(package).Nope


@pytest.mark.parametrize("package", PACKAGES)
def test_importing_a_package_imports_none_of_its_modules(package: str) -> None:
    # A fresh interpreter: this test process has imported everything already.
    code = f"import sys, {package}; print(sorted(m for m in sys.modules if m.startswith('{package}.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"
