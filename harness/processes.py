"""The processes a Pulumi run leaves, read from ``/proc`` (Linux): to end them all, and to find leftovers.

The CLI starts each plugin in a process group of its own (so that a Ctrl-C reaches the CLI
first), and ends them itself when it exits; killed with SIGKILL it cannot, and the resource
provider's launcher with its ``python -m pulumi.dynamic`` live on, reparented to init. They stay
in the CLI's *session*, though: a CLI started with ``start_new_session=True`` is its session's
leader, and :func:`kill_session` ends every process of it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
PROVIDER_MARKERS = ("pulumi.dynamic", "pulumi-resource-pulumi-python")
"""What a dynamic resource provider's command line holds: the module, or the official launcher."""


@dataclass(frozen=True)
class Process:
    """One running process: its id, state (``Z``: a zombie, dead but not yet reaped), session id,
    working directory and command line."""

    pid: int
    state: str
    session: int
    cwd: str
    cmdline: str


def _read(pid: int) -> Process | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
        cmdline = (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        try:
            cwd = os.readlink(PROC / str(pid) / "cwd")
        except OSError:
            cwd = ""
    except OSError:  # gone meanwhile, or not ours to read
        return None
    # "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
    fields = stat.rsplit(")", 1)[1].split()
    return Process(pid, fields[0], int(fields[3]), cwd, cmdline.strip())


def processes() -> list[Process]:
    """Every process this user can see (empty where there is no ``/proc``)."""
    if not PROC.is_dir():
        return []
    found = (_read(int(entry.name)) for entry in PROC.iterdir() if entry.name.isdigit())
    return [p for p in found if p is not None]


def kill(pids: Iterable[int]) -> None:
    """SIGKILL each of ``pids`` (one already gone is no error)."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def kill_session(session: int, timeout_s: float = 10.0) -> None:
    """SIGKILL every process of ``session`` (what a CLI started with ``start_new_session`` started),
    until none is left."""
    deadline = time.monotonic() + timeout_s
    while True:
        members = [p.pid for p in processes() if p.session == session and p.state != "Z"]
        if not members:
            return
        kill(members)
        if time.monotonic() > deadline:
            raise TimeoutError(f"processes of session {session} survive SIGKILL: {members}")
        time.sleep(0.05)


def provider_processes(under: Path) -> dict[int, str]:
    """Dynamic-provider processes whose working directory or command line is under ``under``."""
    root = str(under.resolve())
    return {
        p.pid: p.cmdline
        for p in processes()
        if p.state != "Z"
        and any(m in p.cmdline for m in PROVIDER_MARKERS)
        and (p.cwd.startswith(root) or root in p.cmdline)
    }
