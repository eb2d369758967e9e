"""The policy pack's rules as plain functions (the engine tests prove their wiring)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from pulumi_policy import ResourceValidationPolicy, StackValidationPolicy

from policies import rules
from policies.pack import SPECS, policies
from policies.resources import (
    IMBRACE_SCHEDULER,
    OMNI_SCHEDULE,
    OPSGENIE_ROTATION,
    OPSGENIE_SCHEDULE,
    Resource,
    Rule,
    plain,
)

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
USER = {"type": "user", "username": "alice@example.com"}
NONE = {"type": "none"}


def schedule(props: Mapping[str, Any], name: str = "s") -> Resource:
    return Resource(OPSGENIE_SCHEDULE, name, props, urn=f"urn:pulumi:t::p::{OPSGENIE_SCHEDULE}::{name}")


def messages(
    rule: Rule, props: Mapping[str, Any], config: Mapping[str, Any] | None = None, kind: str = ""
) -> list[str]:
    """What ``rule`` says about one resource (of ``kind``, default an Opsgenie schedule), checking
    every violation carries that resource's URN."""
    resource = schedule(props) if not kind else Resource(kind, "r", props, urn="urn:r")
    found = rule([resource], config or {})
    assert all(v.urn == resource.urn and not v.note for v in found)
    return [v.message for v in found]


def test_every_rule_has_the_one_signature_and_a_remediation() -> None:
    for spec in SPECS:
        assert list(inspect.signature(spec.rule).parameters) == ["resources", "config"], spec.name
        assert spec.remediation and spec.description, spec.name
        assert spec.rule([], {}) == [], f"{spec.name}: an empty stack has nothing to report"
    assert len({s.name for s in SPECS}) == len(SPECS)


def test_the_pack_gives_each_policy_its_remediation_and_kind() -> None:
    built = {p.name: p for p in policies()}
    assert set(built) == {s.name for s in SPECS}
    for spec in SPECS:
        assert built[spec.name].remediation_steps == spec.remediation
        assert isinstance(built[spec.name], StackValidationPolicy if spec.stack else ResourceValidationPolicy)


def test_owner_team() -> None:
    assert messages(rules.owner_team, {"owner_team": {"name": "ops_team"}}) == []
    assert messages(rules.owner_team, {"owner_team": {"id": "6c7b"}}) == []
    assert messages(rules.owner_team, {}) == ["an Opsgenie schedule needs an owner team"]
    assert messages(rules.owner_team, {"owner_team": {}})
    assert messages(rules.owner_team, {}, kind=IMBRACE_SCHEDULER) == [], "other types are not its business"


def test_inline_rotations_need_a_real_participant() -> None:
    assert messages(rules.inline_rotations, {"rotations": [{"participants": [NONE, USER]}]}) == []
    assert messages(rules.inline_rotations, {}) == [], "no inline rotations: judged by the stack rule"
    assert messages(
        rules.inline_rotations, {"rotations": [{"participants": [NONE]}, {"participants": [NONE]}]}
    )


def test_schedules_without_participants_counts_separate_rotations_and_names_the_urn() -> None:
    a, b, c = schedule({}, "a"), schedule({"rotations": [{"participants": [USER]}]}, "b"), schedule({}, "c")
    rotations = [
        Resource(OPSGENIE_ROTATION, "ra", {"participants": [USER]}, "urn:ra", {"schedule_id": [a.urn]}),
        Resource(OPSGENIE_ROTATION, "rc", {"participants": [NONE]}, "urn:rc", {"schedule_id": [c.urn]}),
        Resource(OPSGENIE_ROTATION, "elsewhere", {"participants": [USER]}, "urn:rx", {}),
    ]
    found = rules.schedules_without_participants([a, b, c, *rotations], {})
    assert [(v.message, v.urn) for v in found] == [
        ("Opsgenie schedule 'c' has no rotation with a real participant", c.urn)
    ]


@pytest.mark.parametrize(
    ("tz", "problem"),
    [
        ("Europe/Berlin", None),
        ("UTC", None),
        (None, None),
        (UNKNOWN, None),
        ("US/Eastern", "a legacy alias of the canonical zone 'America/New_York'"),
        ("Asia/Calcutta", "a legacy alias of the canonical zone 'Asia/Kolkata'"),
        ("Mars/Olympus", "is not an IANA time zone"),
    ],
)
def test_canonical_timezone(tz: str | None, problem: str | None) -> None:
    found = messages(rules.canonical_timezone, {"timezone": tz})
    assert (problem is None and found == []) or (problem is not None and problem in found[0])


def _webhook(url: str) -> dict[str, Any]:
    return {"job": {"type": "webhook", "url": url, "method": "POST"}}


def test_webhook_https() -> None:
    def check(props: dict[str, Any], config: dict[str, Any] | None = None) -> list[str]:
        return messages(rules.webhook_https, props, config, kind=IMBRACE_SCHEDULER)

    assert check(_webhook("https://hooks.example.com/x")) == []
    assert check(_webhook("http://hooks.example.com/x"))
    assert check(_webhook("http://127.0.0.1:9000/x"), {"allowedHttpHosts": ["127.0.0.1"]}) == []
    assert check({"job": {"type": "kafka", "topic": "T"}}) == []
    assert check(_webhook(UNKNOWN)) == []


@pytest.mark.parametrize(
    ("unit", "value", "minimum", "ok"),
    [("minutes", 30, 60, False), ("minutes", 60, 60, True), ("days", 1, 60, True), ("minutes", 1, 0, True)],
)
def test_min_interval(unit: str, value: int, minimum: int, ok: bool) -> None:
    props = {
        "trigger_frequency_unit": unit,
        "trigger_frequency_value": float(value),
    }  # as the engine sends it
    config = {"minIntervalMinutes": minimum}
    found = messages(rules.min_interval, props, config, kind=IMBRACE_SCHEDULER)
    assert (found == []) == ok
    assert ok or f"runs every {value} {unit} " in found[0]
    assert (
        messages(rules.min_interval, {**props, "type": "non_recurring"}, config, kind=IMBRACE_SCHEDULER) == []
    )


def test_omni_paused_needs_an_allowance() -> None:
    sid = "60d386ca-6f48-4143-9bfc-fd7a6f942c2c"

    def check(props: dict[str, Any], config: dict[str, Any] | None = None) -> list[str]:
        return messages(rules.omni_paused, props, config, kind=OMNI_SCHEDULE)

    assert check({"schedule_id": sid, "paused": False}) == []
    assert check({"schedule_id": sid}) == [], "paused left unmanaged"
    assert check({"schedule_id": sid, "paused": True}) == [f"Omni schedule {sid} would be left paused"]
    assert check({"schedule_id": sid, "paused": True}, {"allowPaused": [sid]}) == []


def test_plaintext_credentials() -> None:
    props = {"job": {"data": {"api_token": "abc", "name": "x"}}, "__provider": "p"}
    found = messages(rules.plaintext_credentials, props, kind=IMBRACE_SCHEDULER)
    assert found == ["input 'job.data.api_token' looks like a credential"]
    assert (
        messages(rules.plaintext_credentials, {"job": {"data": {"password": ""}}, "name": "secretive"}) == []
    )


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
    found = messages(rules.plaintext_credentials, props, kind=IMBRACE_SCHEDULER)
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
    assert messages(rules.plaintext_credentials, props, kind=IMBRACE_SCHEDULER) == []


def test_a_credential_key_counts_even_while_its_value_is_unknown() -> None:
    """At preview a value built from another resource is unknown; the key alone is the finding."""
    data = PreviewProps({"page": 2}, unknown={"api_token", "note"})
    props = PreviewProps({"name": "n", "job": {"type": "webhook", "data": data}}, unknown={"description"})
    assert messages(rules.plaintext_credentials, plain(props), kind=IMBRACE_SCHEDULER) == [
        "input 'job.data.api_token' looks like a credential"
    ]
