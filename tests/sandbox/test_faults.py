"""Fault injection and connection counting over real HTTP (what the fault and bench tests rely on)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from sandbox.context import FaultConfig
from tests.support.imbrace import BASE as SCHEDULERS
from tests.support.imbrace import HEADERS

BODY = {
    "name": "fault probe",
    "event_type": "whatsapp",
    "job": {"type": "kafka", "topic": "T"},
    "trigger_frequency_unit": "days",
    "trigger_frequency_value": 1,
}


def _count(url: str) -> int:
    return int(requests.get(url + SCHEDULERS, headers=HEADERS, timeout=10).json()["total"])


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
        requests.post(url + SCHEDULERS, headers=HEADERS, json=BODY, timeout=10)
    assert _count(url) == before, "a GET is not aimed at, and the dropped POST created nothing"
    assert requests.post(url + SCHEDULERS, headers=HEADERS, json=BODY, timeout=10).status_code == 201
    assert _count(url) == before + 1
    stats = requests.get(url + "/_sandbox/stats", timeout=10).json()
    assert stats["faults"] == {"imbrace drop": 1}


def test_drop_after_processing_loses_only_the_answer(url: str) -> None:
    before = _count(url)
    _faults(url, {"pdrop": 1, "methods": ["POST"], "drop_after_processing": True, "remaining": 1})
    with pytest.raises(requests.ConnectionError):
        requests.post(url + SCHEDULERS, headers=HEADERS, json=BODY, timeout=10)
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
            return [s.get(url + SCHEDULERS, headers=HEADERS, timeout=10).status_code for _ in range(20)]

    first = statuses()
    assert set(first) == {200, 500}
    assert statuses() == first


def test_connections_are_counted_once_per_tcp_connection(url: str) -> None:
    with requests.Session() as s:
        for _ in range(5):
            s.get(url + SCHEDULERS, headers=HEADERS, timeout=10)
    for _ in range(3):
        requests.get(url + SCHEDULERS, headers=HEADERS, timeout=10)  # a new connection each
    stats = requests.get(url + "/_sandbox/stats", timeout=10).json()
    # 1 kept-alive session + 3 one-off requests + this stats call (reset's connection came before).
    assert stats["connections"] == 5
    assert sum(v for k, v in stats["requests"].items() if k.startswith("imbrace GET")) == 8


def test_a_delay_fault_slows_only_the_requests_it_hits(url: str) -> None:
    _faults(url, {"pdelay": 1, "delay_ms": 1000, "methods": ["GET"], "remaining": 1})
    started = time.monotonic()
    before = _count(url)  # delayed, then answered as usual
    assert time.monotonic() - started >= 1.0
    started = time.monotonic()
    assert _count(url) == before
    assert time.monotonic() - started < 1.0
    assert requests.get(url + "/_sandbox/stats", timeout=10).json()["faults"] == {"imbrace delay": 1}


def test_a_delay_after_processing_holds_an_answer_whose_object_already_exists(url: str) -> None:
    before = _count(url)
    _faults(url, {"pdelay": 1, "delay_ms": 1500, "delay_after_processing": True, "methods": ["POST"]})
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        answer = pool.submit(requests.post, url + SCHEDULERS, headers=HEADERS, json=BODY, timeout=10)
        while _count(url) == before and time.monotonic() - started < 1.0:
            time.sleep(0.02)
        assert _count(url) == before + 1 and not answer.done(), "the object exists, the answer waits"
        assert answer.result().status_code == 201
        assert time.monotonic() - started >= 1.5
    assert requests.get(url + "/_sandbox/stats", timeout=10).json()["faults"] == {"imbrace delay-after": 1}


def test_the_dice_pick_each_kind_from_consecutive_slices() -> None:
    cfg = FaultConfig(pdrop=0.1, p429=0.1, p500=0.1, pdrop_after=0.1, pdelay=0.1)
    picks = [cfg.pick(roll) for roll in (0.05, 0.15, 0.25, 0.35, 0.45, 0.55)]
    assert picks == ["drop", "429", "500", "drop-after", "delay", None]
    assert FaultConfig(pdrop=0.5, drop_after_processing=True).pick(0.2) == "drop-after"
    assert FaultConfig(pdelay=0.5, delay_after_processing=True).pick(0.2) == "delay-after"


def test_a_seeded_mix_over_http_counts_every_kind(url: str) -> None:
    mix = {"p429": 0.2, "p500": 0.2, "pdrop": 0.1, "pdrop_after": 0.1, "pdelay": 0.1, "delay_ms": 10}
    _faults(url, {**mix, "retry_after_s": 0, "seed": 3, "methods": ["GET"]})
    outcomes: list[int | str] = []
    for _ in range(60):
        try:
            outcomes.append(requests.get(url + SCHEDULERS, headers=HEADERS, timeout=10).status_code)
        except requests.ConnectionError:
            outcomes.append("dropped")
    faults = requests.get(url + "/_sandbox/stats", timeout=10).json()["faults"]
    assert set(faults) == {f"imbrace {kind}" for kind in ("429", "500", "drop", "drop-after", "delay")}
    assert outcomes.count("dropped") == faults["imbrace drop"] + faults["imbrace drop-after"]
    assert outcomes.count(429) == faults["imbrace 429"] and outcomes.count(500) == faults["imbrace 500"]
    assert outcomes.count(200) == 60 - sum(faults.values()) + faults["imbrace delay"]
