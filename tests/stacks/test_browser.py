"""How stacks/browser.py starts and ends Chromium: its sandbox flag and its timeout error.

A shell script named ``chromium`` first on PATH records its arguments and pid, writes to stderr and
then hangs, as a stuck Chromium would; the real browser is tested in test_calendar_browser.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stacks import browser

FAKE = """#!/bin/sh
echo "$@" > "{log}"
echo $$ > "{pid}"
echo "[0101/000000.000:FATAL:zygote_host_impl_linux.cc] No usable sandbox!" >&2
sleep 60
"""


@pytest.fixture
def hanging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A hanging fake ``chromium`` on PATH and a one-second timeout; the folder holding its records."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "chromium"
    script.write_text(FAKE.format(log=tmp_path / "argv", pid=tmp_path / "pid"))
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(browser, "TIMEOUT", 1)
    return tmp_path


@pytest.mark.parametrize(("euid", "flagged"), [(0, True), (1000, False)])
def test_no_sandbox_only_as_root(
    hanging: Path, monkeypatch: pytest.MonkeyPatch, euid: int, flagged: bool
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: euid)
    page = hanging / "page.html"
    page.write_text("<p>hi</p>")
    with pytest.raises(browser.BrowserError):
        browser.screenshot(page, hanging / "shot.png")
    assert ("--no-sandbox" in (hanging / "argv").read_text().split()) is flagged


def test_a_timeout_keeps_chromiums_stderr_and_ends_it(hanging: Path) -> None:
    page = hanging / "page.html"
    page.write_text("<p>hi</p>")
    with pytest.raises(browser.BrowserError) as err:
        browser.screenshot(page, hanging / "shot.png")
    message = str(err.value)
    assert "wrote no screenshot" in message
    assert "no answer within 1 s" in message
    assert "No usable sandbox!" in message
    pid = int((hanging / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
