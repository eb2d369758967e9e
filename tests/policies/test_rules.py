"""The policy pack's rules as plain functions (the engine tests prove their wiring)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from policies import rules

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


# ---- The ``no-plaintext-credentials`` rule against the forms credentials take in webhook inputs.
#
# Each case is one way a credential ends up in a resource's plain inputs (so in state, previews
# and logs); the rule must name the input and never repeat the credential.

TOKEN = "tok_9f8e7d6c5b4a"


class UnknownValueError(Exception):
    """Stands for pulumi-policy's exception of that name (the rule recognises it by name)."""


class PreviewProps(Mapping[str, Any]):
    """Resource inputs as pulumi-policy shows them at preview: reading an unknown value raises."""

    def __init__(self, known: dict[str, Any], unknown: set[str]) -> None:
        self.known, self.unknown = known, unknown

    def __getitem__(self, key: str) -> Any:
        if key in self.unknown:
            raise UnknownValueError(key)
        return self.known[key]

    def __iter__(self) -> Iterator[str]:
        return iter([*self.known, *self.unknown])

    def __len__(self) -> int:
        return len(self.known) + len(self.unknown)


def webhook(**job: Any) -> dict[str, Any]:
    return {"name": "n", "job": {"type": "webhook", "url": "https://hooks.example.com/x", **job}}


@pytest.mark.parametrize(
    ("props", "where", "what"),
    [
        (
            webhook(data={"headers": {"Authorization": f"Bearer {TOKEN}"}}),
            "job.data.headers.Authorization",
            "looks like a credential",
        ),
        (webhook(data={"token": TOKEN}), "job.data.token", "looks like a credential"),
        (webhook(data={"X-Auth-Token": TOKEN}), "job.data.X-Auth-Token", "looks like a credential"),
        (webhook(data={"apiKey": TOKEN}), "job.data.apiKey", "looks like a credential"),
        (webhook(data={"header": f"Bearer {TOKEN}"}), "job.data.header", "Authorization value"),
        (webhook(data={"auth": f"GenieKey {TOKEN}"}), "job.data.auth", "Authorization value"),
        (webhook(url=f"https://bot:{TOKEN}@hooks.example.com/x"), "job.url", "user name or password"),
        (webhook(url=f"https://hooks.example.com/x?access_token={TOKEN}"), "job.url", "'access_token'"),
        (webhook(url=f"https://hooks.example.com/x?page=2&token={TOKEN}"), "job.url", "'token'"),
        (webhook(url=f"https://hooks.example.com/x?key={TOKEN}"), "job.url", "'key'"),
    ],
)
def test_credential_forms_are_caught(props: dict[str, Any], where: str, what: str) -> None:
    found = rules.plaintext_credentials(props)
    assert len(found) == 1 and f"input '{where}'" in found[0] and what in found[0], found
    assert TOKEN not in found[0]


@pytest.mark.parametrize(
    "props",
    [
        webhook(data={"page": 2, "message": "Token required for login"}),
        webhook(url="https://hooks.example.com/x?page=2&sort=asc"),
        {"name": "secret santa", "description": "Bearer of good news", "job": {"data": {"is_secret": False}}},
        webhook(data={"token": ""}),
    ],
)
def test_ordinary_inputs_pass(props: dict[str, Any]) -> None:
    assert rules.plaintext_credentials(props) == []


def test_a_credential_key_counts_even_while_its_value_is_unknown() -> None:
    """At preview a value built from another resource is unknown; the key alone is the finding."""
    data = PreviewProps({"page": 2}, unknown={"api_token", "note"})
    props = PreviewProps({"name": "n", "job": {"type": "webhook", "data": data}}, unknown={"description"})
    assert rules.plaintext_credentials(props) == [
        "input 'job.data.api_token' looks like a credential; use `pulumi config set --secret`"
    ]
