"""The APIs' official clients, built or installed apart from the project, for tests/conformance.

- Opsgenie's Go SDK: the Go program of ``tests/conformance/opsgenie_go`` (its own go.mod/go.sum),
  built with the local ``go`` from the Go module proxy and cached outside the clone, keyed by its
  sources, like scripts/install-engine does (``CONFORMANCE_CACHE``, default
  ``~/.cache/pulumi-schedules/conformance``);
- the ``imbrace`` Python SDK: a virtualenv of its own in the same cache, ``pip install`` of the
  pinned release from PyPI (never the project's venv).

Without Go or the registries a test skips naming what is missing, and fails under ``CI=true``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from harness import REPO

CONFORMANCE = REPO / "tests" / "conformance"
OPSGENIE_GO = CONFORMANCE / "opsgenie_go"
IMBRACE_DRIVER = CONFORMANCE / "imbrace_sdk" / "drive.py"
IMBRACE_SDK = "imbrace==1.3.1"


def cache_root() -> Path:
    """Where built clients live: ``CONFORMANCE_CACHE``, else ``~/.cache/pulumi-schedules/conformance``."""
    default = Path.home() / ".cache" / "pulumi-schedules" / "conformance"
    return Path(os.environ.get("CONFORMANCE_CACHE") or default)


def unavailable(reason: str) -> None:
    """A client cannot be built here: the test fails under ``CI=true``, else it is skipped."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _run(
    argv: list[str], cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=900
    )


def opsgenie_go_program() -> Path:
    """The built Go program (cached by the hash of its go.mod, go.sum and main.go)."""
    go = shutil.which("go")
    if go is None:
        unavailable("no `go` on PATH: Opsgenie's Go SDK conformance test needs Go >= 1.24")
    assert go is not None
    key = hashlib.sha256(
        b"".join((OPSGENIE_GO / name).read_bytes() for name in ("go.mod", "go.sum", "main.go"))
    ).hexdigest()[:16]
    binary = cache_root() / f"opsgenie-go-{key}" / "opsgenie-conformance"
    if binary.is_file():
        return binary
    binary.parent.mkdir(parents=True, exist_ok=True)
    partial = binary.with_name(f".partial-{os.getpid()}")  # another session may build it meanwhile
    # -mod=readonly: the go.sum in the repo is the one used (no silent upgrade); no toolchain download.
    flags = f"{os.environ.get('GOFLAGS', '')} -mod=readonly -buildvcs=false".strip()
    built = _run(
        [go, "build", "-o", str(partial), "."], OPSGENIE_GO, {"GOTOOLCHAIN": "local", "GOFLAGS": flags}
    )
    if built.returncode != 0:
        unavailable(
            f"building the Go SDK program failed (Go module proxy reachable?):\n{built.stderr[-2000:]}"
        )
    partial.replace(binary)
    return binary


def imbrace_python() -> Path:
    """The Python of a virtualenv holding only the pinned ``imbrace`` SDK (and its dependencies)."""
    venv = cache_root() / f"venv-{IMBRACE_SDK.replace('==', '-')}"
    if (venv / ".installed").is_file():
        return venv / "bin" / "python"
    # Made aside, then renamed into place: another session may be making it meanwhile.
    partial = venv.with_name(f".partial-{venv.name}-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    made = _run([sys.executable, "-m", "venv", str(partial)], REPO)
    if made.returncode != 0:
        unavailable(f"creating a virtualenv failed:\n{made.stderr[-2000:]}")
    installed = _run([str(partial / "bin" / "python"), "-m", "pip", "install", "--quiet", IMBRACE_SDK], REPO)
    if installed.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        unavailable(f"`pip install {IMBRACE_SDK}` failed (PyPI reachable?):\n{installed.stderr[-2000:]}")
    (partial / ".installed").write_text(IMBRACE_SDK + "\n")
    try:
        partial.rename(venv)
    except OSError:  # the other session's is there: use it
        shutil.rmtree(partial, ignore_errors=True)
    return venv / "bin" / "python"


def run_client(argv: list[str], env: Mapping[str, str]) -> tuple[int, list[dict[str, Any]], str]:
    """Run a client driver; its exit status, its JSON lines, and its stderr."""
    done = subprocess.run(argv, env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return done.returncode, lines, done.stderr
