"""How long the dynamic-provider process takes before it serves its first resource.

The engine starts ``python -u -m pulumi.dynamic`` once per operation; it prints its port when
it listens, and its first request unpickles our provider (importing ``providers.<api>``) and
calls ``configure``. Each is measured in a fresh interpreter, as the engine would start it.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass

from pulumi.dynamic import ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider

from harness import VENV_PYTHON

# What `python -m pulumi.dynamic` has imported before its first request.
_PRELOAD = "import dill, grpc, pulumi, pulumi.dynamic, pulumi.runtime"
# Unpickle (imports the provider's modules), configure and build the API client, timed apart.
_FIRST_REQUEST = """
import base64, json, sys, time
{preload}
from pulumi.dynamic import Config, ConfigureRequest
blobs, config = json.loads(sys.stdin.read())
sys.stderr.write("--bench-mark--\\n"); sys.stderr.flush()
out = {{"load": 0.0, "configure": 0.0, "client": 0.0}}
for blob in blobs:
    t0 = time.perf_counter()
    provider = dill.loads(base64.b64decode(blob))
    t1 = time.perf_counter()
    provider.configure(ConfigureRequest(Config(raw_config=config, project_name="bench")))
    t2 = time.perf_counter()
    if hasattr(provider, "client"):
        provider.client()
    t3 = time.perf_counter()
    out["load"] += t1 - t0; out["configure"] += t2 - t1; out["client"] += t3 - t2
print(json.dumps(out))
"""
# Settings every provider reads when it builds its client (no call is made).
_CONFIG = {
    "opsgenie:apiKey": "key",
    "opsgenie:apiUrl": "http://127.0.0.1:9/opsgenie",
    "imbrace:accessToken": "token",
    "imbrace:apiUrl": "http://127.0.0.1:9/imbrace",
    "imbrace:organizationId": "org",
    "imbrace:userId": "user",
    "omni:apiToken": "token",
    "omni:baseUrl": "http://127.0.0.1:9/omni",
}


@dataclass(frozen=True)
class FirstRequest:
    """The first request's extra work for one set of providers, in seconds (medians)."""

    load: float
    """Unpickling the provider: mostly importing its modules."""
    configure: float
    client: float
    """Building the API client (session, settings): no call is made."""

    @property
    def total(self) -> float:
        """Everything before the provider's first API call."""
        return self.load + self.configure + self.client


def _median_of(repeats: int, run: Callable[[], float]) -> float:
    return statistics.median(run() for _ in range(repeats))


def server_start(repeats: int) -> float:
    """Seconds from starting ``python -u -m pulumi.dynamic`` until it prints its port (median)."""

    def once() -> float:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(VENV_PYTHON), "-u", "-m", "pulumi.dynamic"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdout is not None
        proc.stdout.readline()
        seconds = time.perf_counter() - start
        proc.kill()
        proc.wait()
        return seconds

    return _median_of(repeats, once)


def _first_request(
    providers: list[ResourceProvider], importtime: bool = False
) -> tuple[dict[str, float], str]:
    blobs = [serialize_provider(p) for p in providers]
    flags = ["-X", "importtime"] if importtime else []
    proc = subprocess.run(
        [str(VENV_PYTHON), *flags, "-c", _FIRST_REQUEST.format(preload=_PRELOAD)],
        input=json.dumps([blobs, _CONFIG]),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout), proc.stderr.partition("--bench-mark--\n")[2]


def first_request(providers: list[ResourceProvider], repeats: int) -> FirstRequest:
    """The medians of ``repeats`` fresh interpreters serving the first request of ``providers``."""
    runs = [_first_request(providers)[0] for _ in range(repeats)]
    return FirstRequest(*(statistics.median(r[k] for r in runs) for k in ("load", "configure", "client")))


def heaviest_imports(providers: list[ResourceProvider], top: int) -> list[tuple[str, float]]:
    """The modules the first request imports that take longest on their own (``-X importtime`` self time)."""
    _, log = _first_request(providers, importtime=True)
    rows = []
    for line in log.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            rows.append((parts[2].strip(), int(parts[0]) / 1e6))
    return sorted(rows, key=lambda r: r[1], reverse=True)[:top]
