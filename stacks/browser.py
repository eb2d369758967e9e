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


def _kill(proc: subprocess.Popen[str]) -> None:
    """End Chromium's whole process group (it was started in a session of its own)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def _leftovers(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """What a killed Chromium wrote before it died (nothing if a helper still holds its pipes)."""
    try:
        return proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        return "", ""


def _run(page: Path, *args: str) -> tuple[str, str]:
    """Chromium's stdout and the tail of its stderr (or why it gave no answer) on ``page``.

    A timeout is no error here: a screenshot or PDF may be written before Chromium hangs, so the
    callers check their file and put this stderr in their message when it is missing.
    """
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        # As root (CI containers) Chromium refuses to start with its sandbox; as anyone else it keeps it.
        sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []
        argv = [
            chromium(),
            "--headless",
            *sandbox,
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
        why = ""
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            why = f"no answer within {TIMEOUT} s; "
            _kill(proc)
            out, err = _leftovers(proc)
        finally:
            _kill(proc)  # its renderer and GPU helpers too, even when it answered
            proc.wait()
        err = why + (err.strip()[-2000:] or "(nothing on stderr)")
        if proc.returncode not in (0, -signal.SIGKILL) or (not out and "--dump-dom" in args):
            raise BrowserError(f"chromium failed on {page}: {err}")
        return out, err


def dump_dom(page: Path) -> str:
    """The page's DOM as Chromium serialises it after loading and rendering."""
    return _run(page, "--dump-dom")[0]


def screenshot(page: Path, png: Path, width: int = 1500, height: int = 900) -> Path:
    """A PNG of the page in a ``width`` by ``height`` window."""
    png.parent.mkdir(parents=True, exist_ok=True)
    if png.exists():
        png.unlink()
    _, err = _run(page, f"--screenshot={png.resolve()}", f"--window-size={width},{height}")
    if not png.exists():
        raise BrowserError(f"chromium wrote no screenshot of {page}: {err}")
    return png


def print_pdf(page: Path, pdf: Path) -> Path:
    """The page as Chromium prints it (its print CSS), without header and footer."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    _, err = _run(page, f"--print-to-pdf={pdf.resolve()}", "--no-pdf-header-footer")
    if not pdf.exists():
        raise BrowserError(f"chromium printed no PDF of {page}: {err}")
    return pdf
