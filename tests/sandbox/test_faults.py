"""Fault injection and connection counting over real HTTP (what the fault and bench tests rely on)."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

SCHEDULERS = "/imbrace/3rd/organization/org_sandbox/users/u_sandbox/schedulers"
TOKEN = {"x-access-token": "sandbox-imbrace"}
BODY = {
    "name": "fault probe",
    "event_type": "whatsapp",
    "job": {"type": "kafka", "topic": "T"},
    "trigger_frequency_unit": "days",
    "trigger_frequency_value": 1,
}


def _count(url: str) -> int:
    return int(requests.get(url + SCHEDULERS, headers=TOKEN, timeout=10).json()["total"])


def _faults(url: str, imbrace: dict[str, Any]) -> None:
    requests.put(url + "/_sandbox/faults", json={"imbrace": imbrace}, timeout=10).raise_for_status()


@pytest.fixture
def url(sandbox_server: Any) -> str:
    sandbox_server.reset()
    return str(sandbox_server.url)


def test_drop_before_processing_creates_nothing_and_stops_after_remaining(url: str) -> None:
    before = _count(url)
    _faults(url, {"pdrop": 1, "methods": ["POST"], "path_regex": "/schedulers$", "remaining": 1})
    with pytest.raises(requests.ConnectionError):
        requests.post(url + SCHEDULERS, headers=TOKEN, json=BODY, timeout=10)
    assert _count(url) == before, "a GET is not aimed at, and the dropped POST created nothing"
    assert requests.post(url + SCHEDULERS, headers=TOKEN, json=BODY, timeout=10).status_code == 201
    assert _count(url) == before + 1
    stats = requests.get(url + "/_sandbox/stats", timeout=10).json()
    assert stats["faults"] == {"imbrace drop": 1}


def test_drop_after_processing_loses_only_the_answer(url: str) -> None:
    before = _count(url)
    _faults(url, {"pdrop": 1, "methods": ["POST"], "drop_after_processing": True, "remaining": 1})
    with pytest.raises(requests.ConnectionError):
        requests.post(url + SCHEDULERS, headers=TOKEN, json=BODY, timeout=10)
    assert _count(url) == before + 1


def test_injected_latency_delays_the_answer(url: str) -> None:
    _faults(url, {"latency_ms": 300})
    started = time.monotonic()
    _count(url)
    assert time.monotonic() - started >= 0.3


def test_seeded_faults_repeat(url: str) -> None:
    def statuses() -> list[int]:
        _faults(url, {"p500": 0.5, "seed": 7})
        with requests.Session() as s:
            return [s.get(url + SCHEDULERS, headers=TOKEN, timeout=10).status_code for _ in range(20)]

    first = statuses()
    assert set(first) == {200, 500}
    assert statuses() == first


def test_connections_are_counted_once_per_tcp_connection(url: str) -> None:
    with requests.Session() as s:
        for _ in range(5):
            s.get(url + SCHEDULERS, headers=TOKEN, timeout=10)
    for _ in range(3):
        requests.get(url + SCHEDULERS, headers=TOKEN, timeout=10)  # a new connection each
    stats = requests.get(url + "/_sandbox/stats", timeout=10).json()
    # 1 kept-alive session + 3 one-off requests + this stats call (reset's connection came before).
    assert stats["connections"] == 5
    assert sum(v for k, v in stats["requests"].items() if k.startswith("imbrace GET")) == 8
