"""Every documented error row has a strict-mode test that sends its request and asserts its answer.

The rows are the sandbox's reading of the docs: each iMBRACE and Omni contract operation carries
the error rows its doc section lists (:class:`sandbox.contract.routes.ErrorRow`). The strict
tests that send them are the tables of ``test_omni_errors``, ``test_omni_list`` and
``test_imbrace_errors`` (their ids name the rows), plus a few single tests listed in
:data:`SINGLE_TESTS`. Here: every row is covered by one of them, every row's text is in the doc,
and docs/sandbox.md lists the test of each row. Opsgenie's doc has no error table; its OAS
answers (400/401/403/404/409/422/429/500) are tested in ``test_opsgenie_errors``,
``test_opsgenie_validation`` and ``test_strict``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from harness import REPO
from sandbox.contract import imbrace as imbrace_contract
from sandbox.contract import omni as omni_contract
from sandbox.contract.routes import ErrorRow, Operation
from tests.sandbox import test_imbrace_errors, test_omni_errors, test_omni_list
from tests.support.omni import ORDERS, UNSTABLE, V1
from tests.support.shared import SHARED, shared_missing


@dataclass(frozen=True)
class Case:
    """One strict test case that sends a documented error's request and asserts its answer."""

    test: str
    method: str
    path: str
    status: int
    text: str


def _table(module: str, test: str, rows: list[tuple[object, ...]], method_path: bool = True) -> list[Case]:
    cases = []
    for row in rows:
        if method_path:
            ident, method, path, *_, status, text = row
        else:  # (id, params, status, text) of the Omni list
            ident, _params, status, text = row
            method, path = "GET", test_omni_list.LIST
        cases.append(Case(f"{module}::{test}[{ident}]", str(method), str(path), int(str(status)), str(text)))
    return cases


OMNI_ERRORS = "tests/sandbox/test_omni_errors.py"
SINGLE_TESTS = [
    Case(
        f"{OMNI_ERRORS}::test_system_disabled_schedules_cannot_be_paused_or_resumed[{action}]",
        "PUT",
        f"{V1}/{ORDERS}/{action}",
        400,
        "Schedule is system disabled",
    )
    for action in ("pause", "resume")
] + [
    Case(
        f"tests/sandbox/test_omni_actions.py::test_trigger_dispatcher_error[{ident}]",
        "POST",
        f"{base}/{ORDERS}/trigger",
        500,
        "Failed to dispatch schedule job",
    )
    for ident, base in (("v1", V1), ("unstable", UNSTABLE))
]

OMNI_CASES = [
    *_table(OMNI_ERRORS, "test_documented_error_rows", test_omni_errors.ERROR_ROWS),
    *_table(OMNI_ERRORS, "test_unstable_trigger_errors_carry_scim_schemas", test_omni_errors.UNSTABLE_ROWS),
    *_table(
        "tests/sandbox/test_omni_list.py",
        "test_documented_list_errors",
        test_omni_list.LIST_ERRORS,
        method_path=False,
    ),
    *SINGLE_TESTS,
]
IMBRACE_CASES = _table(
    "tests/sandbox/test_imbrace_errors.py", "test_documented_error_rows", test_imbrace_errors.ERROR_ROWS
)
API = {
    "omni": (
        omni_contract.OPERATIONS,
        "/omni",
        OMNI_CASES,
        ["omni-schedules-v1.txt", "omni-schedules-trigger-unstable.txt"],
    ),
    "imbrace": (imbrace_contract.OPERATIONS, "/imbrace", IMBRACE_CASES, ["imbrace-schedulers.txt"]),
}


def _covers(case: Case, op: Operation, row: ErrorRow, prefix: str) -> bool:
    path = urlsplit(case.path).path.removeprefix(prefix)
    same_call = case.method == op.method or "method" in row.text
    return same_call and op.pattern.match(path) is not None and row.matches(case.status, case.text)


def rows_with_tests() -> list[tuple[str, str, ErrorRow, list[str]]]:
    """(API, operation, row, the tests that send it) for every documented error row."""
    found = []
    for name, (operations, prefix, cases, _docs) in API.items():
        for op in operations:
            for row in op.errors:
                tests = [c.test for c in cases if _covers(c, op, row, prefix)]
                found.append((name, op.name, row, tests))
    return found


@pytest.mark.parametrize(
    ("api", "operation", "row", "tests"),
    rows_with_tests(),
    ids=[f"{a}: {o}: {r.status} {r.text}" for a, o, r, _ in rows_with_tests()],
)
def test_every_documented_error_row_has_a_strict_test(
    api: str, operation: str, row: ErrorRow, tests: list[str]
) -> None:
    assert tests, f"no strict test sends {api}'s {operation} row {row.status} {row.text!r}"
    for test in tests:  # none of them is marked lenient (strict mode answers it as documented)
        module = {"test_omni_errors": test_omni_errors, "test_omni_list": test_omni_list}.get(
            test.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py"), test_imbrace_errors
        )
        function = getattr(module, test.split("::")[1].split("[")[0], None)
        marks = [m.name for m in getattr(function, "pytestmark", [])]
        assert "lenient" not in marks, test


@pytest.mark.parametrize("api", sorted(API))
def test_every_row_is_in_its_doc(api: str) -> None:
    operations, _prefix, _cases, docs = API[api]
    paths = [SHARED / "api-docs" / doc for doc in docs]
    if not all(p.is_file() for p in paths):
        shared_missing(f"{api}'s docs are not in {SHARED / 'api-docs'}")
    text = "\n".join(p.read_text() for p in paths)
    for op in operations:
        for row in op.errors:
            for part in re.split(r"\{\w+\}|<\w+>", row.text):
                assert part in text, (op.name, row.text)


def test_docs_page_lists_the_test_of_every_row() -> None:
    page = (REPO / "docs" / "sandbox.md").read_text()
    for api, operation, row, tests in rows_with_tests():
        line = f"| {api} | {operation} | {row.status} | `{row.text}` | `{tests[0] if tests else '-'}` |"
        assert line in page, line
