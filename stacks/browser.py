"""Headless Chromium on a local HTML file: its DOM after rendering, a screenshot.

``python -m stacks calendar --png`` (and ``make calendar-screenshot``) takes its picture here, and
the calendar page's test reads the rendered DOM. Chromium is Debian's ``chromium`` (``make
chromium``). Each call is one browser process with a throwaway profile, ended with every process
it started before returning.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 120


class BrowserError(Exception):
    """Chromium is missing or failed; the message says which."""


def chromium() -> str:
    """The Chromium binary on PATH (BrowserError naming how to install it when there is none)."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise BrowserError("chromium is not installed: run `make chromium` (scripts/install-chromium)")


def _run(page: Path, *args: str) -> str:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        argv = [
            chromium(),
            "--headless",
            "--no-sandbox",  # as root (CI) Chromium refuses to start with its sandbox
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *args,
            page.resolve().as_uri(),
        ]
        proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            env={**os.environ, "HOME": profile},
        )
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            out, err = "", f"no answer within {TIMEOUT} s"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # its renderer and GPU helpers too
            proc.wait()
        if proc.returncode not in (0, -signal.SIGKILL) or (not out and "--dump-dom" in args):
            raise BrowserError(f"chromium failed on {page}: {err.strip()[-2000:]}")
        return out


def dump_dom(page: Path) -> str:
    """The page's DOM as Chromium serialises it after loading and rendering."""
    return _run(page, "--dump-dom")


def screenshot(page: Path, png: Path, width: int = 1500, height: int = 900) -> Path:
    """A PNG of the page in a ``width`` by ``height`` window."""
    png.parent.mkdir(parents=True, exist_ok=True)
    if png.exists():
        png.unlink()
    _run(page, f"--screenshot={png.resolve()}", f"--window-size={width},{height}")
    if not png.exists():
        raise BrowserError(f"chromium wrote no screenshot of {page}")
    return png


def print_pdf(page: Path, pdf: Path) -> Path:
    """The page as Chromium prints it (its print CSS), without header and footer."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    _run(page, f"--print-to-pdf={pdf.resolve()}", "--no-pdf-header-footer")
    if not pdf.exists():
        raise BrowserError(f"chromium printed no PDF of {page}")
    return pdf
