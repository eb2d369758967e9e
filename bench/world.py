"""The bench's world: one sandbox subprocess, its test-support routes, and engine stacks wired to it.

The sandbox is ``harness.SandboxServer`` (``python -m sandbox --port 0 --db <tmp>``);
the engine is ``harness.Engine`` (throwaway ``PULUMI_HOME``, ``file://`` backend).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench.programs import APIS, PROGRAM, omni_id
from harness import Engine, EngineStack, SandboxServer

# The sandbox's credentials (README, "The sandbox"); the secrets go into stack config as secrets.
API_CONFIG: dict[str, dict[str, str]] = {
    "opsgenie": {"opsgenie:apiUrl": "{url}/opsgenie"},
    "imbrace": {
        "imbrace:apiUrl": "{url}/imbrace",
        "imbrace:organizationId": "org_sandbox",
        "imbrace:userId": "u_sandbox",
    },
    "omni": {"omni:baseUrl": "{url}/omni"},
}
API_SECRETS: dict[str, dict[str, str]] = {
    "opsgenie": {"opsgenie:apiKey": "sandbox-opsgenie"},
    "imbrace": {"imbrace:accessToken": "sandbox-imbrace"},
    "omni": {"omni:apiToken": "sandbox-omni"},
}


@dataclass(frozen=True)
class Counters:
    """What the sandbox counted since the last :meth:`Sandbox.clear_stats`."""

    requests: dict[str, int]
    """API requests (``"<api> <METHOD> <route template>"``), the sandbox's own routes left out."""
    connections: int
    """TCP connections the clients opened (the bench's own stats request not counted)."""

    def per_api(self, api: str) -> int:
        """All requests to one API."""
        return sum(v for k, v in self.requests.items() if k.startswith(f"{api} "))


class Sandbox:
    """The sandbox's test-support routes: reset, seeding, faults and counters."""

    def __init__(self, url: str, pid: int | None = None) -> None:
        self.url = url
        self.pid = pid
        # A connection per admin call ("Connection: close"), so that the bench's own calls
        # never ride on, or hide, a connection the providers opened.
        self.http = requests.Session()
        self.http.headers["Connection"] = "close"

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        resp = self.http.request(method, f"{self.url}/_sandbox{path}", timeout=60, **kwargs)
        resp.raise_for_status()
        return resp.json()

    def reset(self) -> None:
        """Re-seed the data; clear faults and counters."""
        self._call("POST", "/reset")

    def seed_omni(self, indices: Iterable[int]) -> None:
        """Running email schedules with the ids the programs adopt, one dashboard each."""
        for i in indices:
            body = {
                "id": omni_id(i),
                "name": f"Bench {i:05d}",
                "identifier": f"bench{i:05d}",
                "dashboardName": f"Bench dashboard {i:05d}",
                "destinationType": "email",
                "recipientCount": 1,
            }
            self._call("POST", "/omni/schedules", json=body)

    def set_latency(self, latency_ms: int) -> None:
        """The same latency on every answer of the three APIs; no other fault."""
        self._call("PUT", "/faults", json={api: {"latency_ms": latency_ms} for api in APIS})

    def clear_stats(self) -> None:
        """Zero the request and connection counters."""
        self._call("DELETE", "/stats")

    def cpu_seconds(self) -> float:
        """CPU time the sandbox process has used so far (0 when it cannot be read)."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stats(self) -> Counters:
        """The counters; the connection of this very request is subtracted."""
        raw = self._call("GET", "/stats")
        ours = {k: v for k, v in raw["requests"].items() if not k.startswith("sandbox ")}
        return Counters(requests=ours, connections=max(0, int(raw["connections"]) - 1))


@dataclass
class World:
    """A sandbox subprocess and a scratch directory for throwaway engines."""

    root: Path
    server: SandboxServer
    sandbox: Sandbox
    _engines: int = field(default=0)

    def engine(self) -> Engine:
        """A fresh engine home and state backend (each measured stack gets its own)."""
        self._engines += 1
        return Engine(self.root / f"engine-{self._engines}")

    def discard(self) -> None:
        """Remove the engines made so far (their state and homes)."""
        for path in self.root.glob("engine-*"):
            shutil.rmtree(path, ignore_errors=True)

    def stack(
        self,
        kind: str,
        n: int,
        apis: tuple[str, ...] = APIS,
        *,
        program: str = PROGRAM,
        env: Mapping[str, str] | None = None,
        offset: int = 0,
        engine: Engine | None = None,
        name: str = "test",
    ) -> EngineStack:
        """A new stack ``name`` of ``n`` resources of ``kind`` (``noop``, ``mixed``, ``omni`` or
        ``by-value``) from index ``offset``, in ``engine`` (default: a fresh engine of its own)."""
        config = {
            "bench:kind": kind,
            "bench:n": str(n),
            "bench:gen": "0",
            "bench:apis": ",".join(apis),
            "bench:offset": str(offset),
        }
        secrets: dict[str, str] = {}
        for api in apis if kind == "mixed" else ("omni",) if kind == "omni" else ():
            config.update({k: v.format(url=self.server.url) for k, v in API_CONFIG[api].items()})
            secrets.update(API_SECRETS[api])
        engine = engine or self.engine()
        # The program and the provider process import `bench` (installed, like `providers`).
        full_env = dict(env or {})
        project = kind.replace("-", "")
        return engine.project(
            program, name=project, stack=name, config=config, secrets=secrets or None, env=full_env
        )

    def provider_config(self, apis: Iterable[str]) -> dict[str, str]:
        """Every setting (secrets in plain) the providers of ``apis`` read, pointing at the sandbox."""
        config: dict[str, str] = {}
        for api in apis:
            config.update({k: v.format(url=self.server.url) for k, v in API_CONFIG[api].items()})
            config.update(API_SECRETS[api])
        return config

    def prepare(self, kind: str, n: int, apis: tuple[str, ...]) -> None:
        """A clean sandbox (no faults, counters zero) holding the Omni schedules the stack adopts."""
        self.sandbox.reset()
        if kind == "omni":
            self.sandbox.seed_omni(range(n))
        elif kind == "mixed" and "omni" in apis:
            self.sandbox.seed_omni(range(apis.index("omni"), n, len(apis)))
        self.sandbox.clear_stats()


@contextmanager
def world(keep: bool = False) -> Iterator[World]:
    """Start the sandbox in a scratch directory; stop it and remove the directory afterwards."""
    root = Path(tempfile.mkdtemp(prefix="bench-"))
    server = SandboxServer(root / "sandbox.db").start()
    pid = server.proc.pid if server.proc else None
    try:
        yield World(root=root, server=server, sandbox=Sandbox(server.url, pid))
    finally:
        server.stop()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def cpu_count() -> int:
    """Cores available to this process."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
