"""docs/api-assumptions.md: every entry names a test, and every test it names exists."""

from __future__ import annotations

import ast
import re

from harness import REPO

REGISTER = REPO / "docs" / "api-assumptions.md"
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`?")


def defined_tests(path: str) -> set[str]:
    tree = ast.parse((REPO / path).read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_entry_names_a_test_that_exists() -> None:
    rows = [line for line in REGISTER.read_text().splitlines() if re.match(r"\| [A-Z]\d+ \|", line)]
    assert len(rows) >= 20
    for row in rows:
        refs = [(path, name) for path, name in TEST_REF.findall(row) if path or name]
        assert refs and refs[0][0], f"no test named: {row[:80]}"
        path = ""
        for given, name in refs:  # "`tests/x.py::a`, `::b`": b is in tests/x.py too
            path = given or path
            assert (REPO / path).is_file(), f"{path} does not exist ({row[:20]})"
            if name:
                assert name in defined_tests(path), f"{path}::{name} does not exist ({row[:20]})"
