"""What the sandbox says at start about Opsgenie's OpenAPI (``sandbox.contract.opsgenie.source_note``)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from harness import VENV_PYTHON
from sandbox.contract import opsgenie
from tests.support.opsgenie_oas import MISSING_OAS, OAS_DIR
from tests.support.shared import shared_missing


def test_without_the_oas_it_says_what_is_not_checked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(opsgenie.OAS_ENV, str(tmp_path / "nowhere"))
    note = opsgenie.source_note()
    assert f"Opsgenie's OpenAPI not found (SANDBOX_OPSGENIE_OAS names {tmp_path / 'nowhere'}, " in note
    assert "NOT checked against it" in note and "may pass here" in note
    assert "SANDBOX_OPSGENIE_OAS" in note and "https://github.com/opsgenie/opsgenie-oas" in note


def test_with_the_oas_it_says_where_it_is_read_from(monkeypatch: pytest.MonkeyPatch) -> None:
    if not OAS_DIR.exists():
        shared_missing(MISSING_OAS)
    monkeypatch.setenv(opsgenie.OAS_ENV, str(OAS_DIR))
    assert opsgenie.source_note() == (
        f"Opsgenie requests are checked against Opsgenie's OpenAPI in {OAS_DIR}."
    )


def test_python_m_sandbox_prints_it_before_it_listens(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", opsgenie.OAS_ENV: str(tmp_path / "nowhere")}
    proc = subprocess.Popen(
        [str(VENV_PYTHON), "-m", "sandbox", "--port", "0", "--db", ":memory:"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first, second = proc.stdout.readline(), proc.stdout.readline()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert first.startswith("sandbox: strict: Opsgenie's OpenAPI not found (SANDBOX_OPSGENIE_OAS names ")
    assert second.startswith("sandbox listening on http://127.0.0.1:")
