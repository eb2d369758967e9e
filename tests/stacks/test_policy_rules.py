"""The policy pack's rules as plain functions (the engine tests prove their wiring)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "policies"))
import rules

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
USER = {"type": "user", "username": "alice@example.com"}
NONE = {"type": "none"}


def test_owner_team() -> None:
    assert rules.owner_team({"owner_team": {"name": "ops_team"}}) == []
    assert rules.owner_team({"owner_team": {"id": "6c7b"}}) == []
    assert rules.owner_team({}) and rules.owner_team({"owner_team": {}})


def test_inline_rotations_need_a_real_participant() -> None:
    assert rules.inline_rotations({"rotations": [{"participants": [NONE, USER]}]}) == []
    assert rules.inline_rotations({}) == [], "no inline rotations: judged by the stack rule"
    assert rules.inline_rotations({"rotations": [{"participants": [NONE]}, {"participants": [NONE]}]})


def test_schedules_without_participants_counts_separate_rotations() -> None:
    schedules = {"a": {}, "b": {"rotations": [{"participants": [USER]}]}, "c": {}}
    separate = {"a": [{"participants": [USER]}], "c": [{"participants": [NONE]}]}
    assert rules.schedules_without_participants(schedules, separate) == [
        "Opsgenie schedule 'c' has no rotation with a real participant "
        "(inline `rotations` or ScheduleRotation resources)"
    ]


@pytest.mark.parametrize(
    ("tz", "problem"),
    [
        ("Europe/Berlin", None),
        ("UTC", None),
        (None, None),
        (UNKNOWN, None),
        ("US/Eastern", "use the canonical zone 'America/New_York'"),
        ("Asia/Calcutta", "use the canonical zone 'Asia/Kolkata'"),
        ("Mars/Olympus", "is not an IANA time zone"),
    ],
)
def test_canonical_timezone(tz: str | None, problem: str | None) -> None:
    found = rules.canonical_timezone({"timezone": tz})
    assert (problem is None and found == []) or (problem is not None and problem in found[0])


def _webhook(url: str) -> dict[str, Any]:
    return {"job": {"type": "webhook", "url": url, "method": "POST"}}


def test_webhook_https() -> None:
    assert rules.webhook_https(_webhook("https://hooks.example.com/x"), {}) == []
    assert rules.webhook_https(_webhook("http://hooks.example.com/x"), {})
    assert rules.webhook_https(_webhook("http://127.0.0.1:9000/x"), {"allowedHttpHosts": ["127.0.0.1"]}) == []
    assert rules.webhook_https({"job": {"type": "kafka", "topic": "T"}}, {}) == []
    assert rules.webhook_https(_webhook(UNKNOWN), {}) == []


@pytest.mark.parametrize(
    ("unit", "value", "minimum", "ok"),
    [("minutes", 30, 60, False), ("minutes", 60, 60, True), ("days", 1, 60, True), ("minutes", 1, 0, True)],
)
def test_min_interval(unit: str, value: int, minimum: int, ok: bool) -> None:
    props = {
        "trigger_frequency_unit": unit,
        "trigger_frequency_value": float(value),
    }  # as the engine sends it
    found = rules.min_interval(props, {"minIntervalMinutes": minimum})
    assert (found == []) == ok
    assert ok or f"runs every {value} {unit} " in found[0]
    assert rules.min_interval({**props, "type": "non_recurring"}, {"minIntervalMinutes": minimum}) == []


def test_omni_paused_needs_an_allowance() -> None:
    sid = "60d386ca-6f48-4143-9bfc-fd7a6f942c2c"
    assert rules.omni_paused({"schedule_id": sid, "paused": False}, {}) == []
    assert rules.omni_paused({"schedule_id": sid}, {}) == [], "paused left unmanaged"
    assert rules.omni_paused({"schedule_id": sid, "paused": True}, {})
    assert rules.omni_paused({"schedule_id": sid, "paused": True}, {"allowPaused": [sid]}) == []


def test_plaintext_credentials() -> None:
    props = {"job": {"data": {"api_token": "abc", "name": "x"}}, "__provider": "p"}
    found = rules.plaintext_credentials(props)
    assert found == ["input 'job.data.api_token' looks like a credential; use `pulumi config set --secret`"]
    assert rules.plaintext_credentials({"job": {"data": {"password": ""}}, "name": "secretive"}) == []
