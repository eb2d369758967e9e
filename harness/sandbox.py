"""The sandbox as a real HTTP server: a ``python -m sandbox`` subprocess, and its seeded credentials.

The credentials are the ones the sandbox accepts out of the box (``sandbox.context.Credentials``):
the tests and benchmarks that talk to a sandbox subprocess use these.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import requests

from harness.engine import REPO

OPSGENIE_KEY = "sandbox-opsgenie"
OPSGENIE_READ_ONLY_KEY = "sandbox-opsgenie-readonly"
IMBRACE_TOKEN = "sandbox-imbrace"
IMBRACE_ORGANIZATION = "org_sandbox"
IMBRACE_USER = "u_sandbox"
OMNI_TOKEN = "sandbox-omni"


def sandbox_settings(url: str) -> tuple[dict[str, str], dict[str, str]]:
    """Stack config pointing all three providers at the sandbox at ``url``, and their secrets."""
    config = {
        "opsgenie:apiUrl": f"{url}/opsgenie",
        "imbrace:apiUrl": f"{url}/imbrace",
        "imbrace:organizationId": IMBRACE_ORGANIZATION,
        "imbrace:userId": IMBRACE_USER,
        "omni:baseUrl": f"{url}/omni",
    }
    secrets = {
        "opsgenie:apiKey": OPSGENIE_KEY,
        "imbrace:accessToken": IMBRACE_TOKEN,
        "omni:apiToken": OMNI_TOKEN,
    }
    return config, secrets


class SandboxServer:
    """A ``python -m sandbox`` subprocess on a free port, with its SQLite file.

    ``env`` is added to the server's environment (e.g. ``SANDBOX_OPSGENIE_KEY``); ``root_api``
    (an API's NAME) also serves that API at ``/`` (``--root-api``). A restart keeps the port;
    everything the server prints, its URL line included, is kept in ``output``.
    """

    def __init__(self, db: Path, env: Mapping[str, str] | None = None, root_api: str | None = None) -> None:
        self.db = db
        self.env = dict(env or {})
        self.root_api = root_api
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""
        self.port = 0
        self.output: list[str] = []

    def start(self) -> SandboxServer:
        """Start the server (on its previous port, after a stop) and wait until it prints its URL."""
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sandbox",
                "--port",
                str(self.port),
                "--db",
                str(self.db),
                *(["--root-api", self.root_api] if self.root_api else []),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **self.env},
        )
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            if line.startswith("sandbox listening on "):
                self.url = line.split()[-1]
                self.port = int(self.url.rsplit(":", 1)[1])
                threading.Thread(target=self._drain, args=(self.proc.stdout,), daemon=True).start()
                return self
        raise RuntimeError(f"sandbox exited with {self.proc.wait()}")

    def _drain(self, stream: IO[str]) -> None:
        self.output.extend(stream)  # a full pipe would block the server

    def stop(self) -> None:
        """Stop the server (its data stays in the SQLite file)."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None

    def kill(self) -> None:
        """Kill the server outright, as a crash would (SIGKILL): no graceful shutdown."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=20)
            self.proc = None

    def reset(self) -> None:
        """Re-seed the data and clear faults and counters."""
        requests.post(f"{self.url}/_sandbox/reset", timeout=10).raise_for_status()

    def violations(self) -> dict[str, Any]:
        """What strict mode refused since the server started: ``count`` and the last ``requests``."""
        body = requests.get(f"{self.url}/_sandbox/stats", timeout=10).json()
        return dict(body["violations"])
