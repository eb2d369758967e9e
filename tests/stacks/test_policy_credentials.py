"""The ``no-plaintext-credentials`` rule against the forms credentials take in webhook inputs.

Each case is one way a credential ends up in a resource's plain inputs (so in state, previews
and logs); the rule must name the input and never repeat the credential.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from policies import rules

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
