"""``harness.processes``: a killed CLI's whole session goes, and provider leftovers are found."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness import kill_group
from harness.processes import PROC, kill, processes, provider_processes

pytestmark = pytest.mark.skipif(not PROC.is_dir(), reason="reads /proc (Linux)")

# A "CLI" that starts a "plugin" in a process group of its own (as Pulumi's CLI does), then waits.
CLI = """
import os, subprocess, sys, time
plugin = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "pulumi." + "dynamic"],
                          preexec_fn=lambda: os.setpgid(0, 0))
print(plugin.pid, flush=True)
time.sleep(120)
"""


def alive(pid: int) -> bool:
    return any(p.pid == pid and p.state != "Z" for p in processes())


def test_kill_group_ends_the_plugins_in_their_own_process_groups(tmp_path: Path) -> None:
    cli = subprocess.Popen(
        [sys.executable, "-c", CLI], cwd=tmp_path, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert cli.stdout is not None
    plugin = int(cli.stdout.readline())
    try:
        assert provider_processes(tmp_path) == {plugin: provider_processes(tmp_path)[plugin]}
        kill_group(cli)
        deadline = time.monotonic() + 5
        while alive(plugin) and time.monotonic() < deadline:  # reaped by init
            time.sleep(0.05)
        assert not alive(plugin)
        assert cli.returncode == -9
        assert provider_processes(tmp_path) == {}
    finally:
        kill([plugin, cli.pid])
        cli.wait(timeout=10)


def test_provider_processes_are_those_under_the_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    argv = [sys.executable, "-c", "import time; time.sleep(120)", "pulumi.dynamic"]
    inside = subprocess.Popen(argv, cwd=tmp_path / "a")
    elsewhere = subprocess.Popen(argv, cwd=tmp_path / "b")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"], cwd=tmp_path / "a")
    try:
        assert set(provider_processes(tmp_path / "a")) == {inside.pid}
        assert set(provider_processes(tmp_path)) == {inside.pid, elsewhere.pid}
    finally:
        for proc in (inside, elsewhere, other):
            proc.kill()
            proc.wait(timeout=10)
