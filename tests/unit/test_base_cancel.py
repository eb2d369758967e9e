"""``providers._resource.exit_quietly_when_cancelled``: the engine's SIGINT ends a program, no traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from providers._resource import ALREADY_REPORTED

PROGRAM = """
import os, signal, time
from providers._resource import exit_quietly_when_cancelled
{setup}
exit_quietly_when_cancelled()
print("registered", flush=True)
os.kill(os.getpid(), signal.SIGINT)
time.sleep(5)
print("still running", flush=True)
"""


def _run(setup: str = "") -> subprocess.CompletedProcess[str]:
    source = textwrap.dedent(PROGRAM.format(setup=setup))
    return subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, timeout=30)


def test_sigint_ends_the_program_quietly_with_the_already_reported_code() -> None:
    done = _run()
    assert done.returncode == ALREADY_REPORTED
    assert done.stdout == "registered\n"
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr


def test_without_it_python_prints_a_traceback() -> None:
    # The behaviour the handler replaces (what Pulumi's exec shim shows on a cancelled run).
    done = _run(setup="exit_quietly_when_cancelled = lambda: None")
    assert done.returncode != ALREADY_REPORTED
    assert "KeyboardInterrupt" in done.stderr


def test_a_handler_the_program_set_is_kept() -> None:
    done = _run(setup="signal.signal(signal.SIGINT, lambda *_: print('mine', flush=True))")
    assert done.returncode == 0
    assert done.stdout == "registered\nmine\nstill running\n"
