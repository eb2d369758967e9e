"""A real S3-compatible object store for the state-backend tests: SeaweedFS's ``weed server``.

``scripts/install-s3`` builds ``weed`` from its Go module into ``.tools/s3`` (cached outside
the clone). The server listens on loopback ports only, keeps its data under a temporary
directory and, with no identities configured, accepts any credentials. Buckets and objects are
reached with plain S3 REST calls (path style).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import requests

from harness import TOOLS

WEED = TOOLS / "s3" / "weed"
BUCKET = "schedules-state"
SERVICES = ("s3", "master", "volume", "filer")


def _free_ports(count: int) -> list[int]:
    """``count`` distinct loopback ports free now."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


class S3Server:
    """``weed server -s3`` on loopback ports, with its data under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def endpoint(self) -> str:
        """``host:port`` of the S3 API, as the ``endpoint`` of an ``s3://`` backend URL."""
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The S3 API's base URL."""
        return f"http://{self.endpoint}"

    def start(self, timeout: float = 90) -> S3Server:
        """Start the server and wait until its S3 API answers."""
        if not WEED.exists():
            raise RuntimeError("SeaweedFS is not installed: run `make s3` (scripts/install-s3)")
        (self.root / "data").mkdir(parents=True, exist_ok=True)
        # Every port explicit (HTTP and gRPC of each service): nothing on a default port that
        # another test's server could hold; no Iceberg catalog, no telemetry (no network here).
        ports = dict(zip(SERVICES, _free_ports(len(SERVICES)), strict=True))
        grpc = dict(zip(SERVICES, _free_ports(len(SERVICES)), strict=True))
        self.port = ports["s3"]
        log = (self.root / "weed.log").open("wb")
        self.proc = subprocess.Popen(
            [
                str(WEED),
                "server",
                f"-dir={self.root / 'data'}",
                "-s3",
                *(f"-{name}.port={port}" for name, port in ports.items()),
                *(f"-{name}.port.grpc={port}" for name, port in grpc.items()),
                "-s3.port.iceberg=0",
                "-master.telemetry=false",
                "-master.volumeSizeLimitMB=64",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "TMPDIR": str(self.root)},
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"weed exited with {self.proc.returncode}: {self.log()[-2000:]}")
            try:
                if requests.get(self.url, timeout=2).status_code < 500:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"weed's S3 API did not answer in {timeout}s: {self.log()[-2000:]}")

    def log(self) -> str:
        """What the server printed."""
        return (self.root / "weed.log").read_text(errors="replace")

    def stop(self) -> None:
        """Stop the server and everything it started."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(timeout=20)
        self.proc = None

    def make_bucket(self, bucket: str) -> None:
        """``PUT /<bucket>``; the filer may need a moment after start, so it is retried."""
        deadline = time.monotonic() + 60
        while True:
            resp = requests.put(f"{self.url}/{bucket}", timeout=10)
            if resp.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert resp.status_code == 200, resp.text

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        """The keys under ``prefix`` (ListObjectsV2, one page is plenty here)."""
        resp = requests.get(f"{self.url}/{bucket}", params={"list-type": "2", "prefix": prefix}, timeout=10)
        resp.raise_for_status()
        return re.findall(r"<Key>([^<]+)</Key>", resp.text)

    def get(self, bucket: str, key: str) -> bytes:
        """One object's content."""
        resp = requests.get(f"{self.url}/{bucket}/{key}", timeout=10)
        resp.raise_for_status()
        return resp.content
