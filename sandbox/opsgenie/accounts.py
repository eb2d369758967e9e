"""The account's users, teams and escalations: seed data and look-ups.

Schedules refer to them (owner team, rotation participants, override users), so
they must exist. The sandbox starts with the records below, under stable ids;
more can be added through the admin routes (``/_sandbox/opsgenie/...``).
"""

from __future__ import annotations

from typing import Any

from sandbox.store import Doc, Tx

USER = "opsgenie.user"
TEAM = "opsgenie.team"
INTEGRATION_TEAM = "opsgenie.integration_team"
"""Meta key: the id of the team the API key's integration belongs to ("" or absent: none)."""
ESCALATION = "opsgenie.escalation"

SEED_USERS: tuple[Doc, ...] = (
    {
        "id": "6bc13753-1a48-4ed3-84fd-7b16feb856c0",
        "username": "alice@example.com",
        "fullName": "Alice Andersen",
    },
    {"id": "c9d6332a-75fc-42b5-b067-62a750a5f4e9", "username": "bob@example.com", "fullName": "Bob Brown"},
    {
        "id": "0bd9e74c-6bb8-4c35-b345-fdfce2845bee",
        "username": "carol@example.com",
        "fullName": "Carol Clark",
    },
    {"id": "1d0989ec-5b67-4ed9-9257-d2098c20df0a", "username": "dave@example.com", "fullName": "Dave Davis"},
)
SEED_TEAMS: tuple[Doc, ...] = (
    {"id": "a2010e5d-8895-460a-8acd-c0c6df4a0acb", "name": "ops_team"},
    {"id": "39cf8ca5-bdb8-49c4-9318-66b24d9096b9", "name": "network_team"},
    {"id": "dbee390c-e3eb-47de-8e0f-dc78acfa7ece", "name": "sre"},
)
SEED_ESCALATIONS: tuple[Doc, ...] = (
    {"id": "2dcf7434-26dd-4885-90d5-93bef62718bf", "name": "ops_team_escalation"},
    {"id": "86f850a6-12c3-4405-9873-552ce95e0b47", "name": "sre_escalation"},
)

# The kind holding each participant type, and the field naming it besides its id.
KIND_OF = {"user": USER, "team": TEAM, "escalation": ESCALATION}
NAME_FIELD = {"user": "username", "team": "name", "escalation": "name"}


def seed_accounts(tx: Tx) -> None:
    """Store the demo users, teams and escalations."""
    for kind, docs in ((USER, SEED_USERS), (TEAM, SEED_TEAMS), (ESCALATION, SEED_ESCALATIONS)):
        for doc in docs:
            tx.put(kind, doc["id"], dict(doc))


def find(tx: Tx, entity: str, *, id: Any = None, name: Any = None) -> Doc | None:
    """The ``entity`` ("user", "team" or "escalation") with this id, else with this name/username."""
    kind = KIND_OF[entity]
    if isinstance(id, str) and id:
        return tx.get(kind, id)
    if isinstance(name, str) and name:
        field = NAME_FIELD[entity]
        return next((doc for doc in tx.list(kind) if doc.get(field) == name), None)
    return None


def display_name(doc: Doc, entity: str) -> str:
    """The name Opsgenie shows for an entity: a user's username, a team's or escalation's name."""
    return str(doc.get(NAME_FIELD[entity], ""))
