"""Test-support routes under ``/_sandbox/opsgenie``: the account's users, teams and escalations.

``POST /users`` ``{"username", "fullName"}``, ``POST /teams`` and ``POST /escalations``
``{"name"}`` add one (201, the record with its new id; 409 when the username or
name is taken); ``GET`` on each lists them. ``PUT /integration`` ``{"team": <name or null>}``
makes the API key's integration belong to a team (the docs: "If integration belongs to any
team, it automatically overwrite ownerTeam"). These answer plain JSON, without Opsgenie's
envelope, and need no key.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, HTTPException

from sandbox.deps import StoreDep
from sandbox.opsgenie import accounts
from sandbox.opsgenie.models import IntegrationIn, NamedIn, UserIn
from sandbox.store import Doc, Store

router = APIRouter()


def _add(store: Store, entity: str, fields: Doc) -> Doc:
    label = accounts.NAME_FIELD[entity]
    with store.tx() as tx:
        if accounts.find(tx, entity, name=fields[label]) is not None:
            raise HTTPException(409, f"A {entity} with {label} [{fields[label]}] already exists")
        doc = {"id": str(uuid.uuid4()), **fields}
        tx.put(accounts.KIND_OF[entity], doc["id"], doc)
    return doc


def _listing(store: Store, entity: str) -> list[Doc]:
    with store.tx() as tx:
        return tx.list(accounts.KIND_OF[entity])


@router.post("/users", status_code=201)
def add_user(user: UserIn, store: StoreDep) -> Doc:
    """Add a user (its username is the one rotations and overrides name)."""
    return _add(store, "user", {"username": user.username, "fullName": user.fullName})


@router.get("/users")
def list_users(store: StoreDep) -> list[Doc]:
    """The account's users."""
    return _listing(store, "user")


@router.post("/teams", status_code=201)
def add_team(team: NamedIn, store: StoreDep) -> Doc:
    """Add a team."""
    return _add(store, "team", {"name": team.name})


@router.get("/teams")
def list_teams(store: StoreDep) -> list[Doc]:
    """The account's teams."""
    return _listing(store, "team")


@router.post("/escalations", status_code=201)
def add_escalation(escalation: NamedIn, store: StoreDep) -> Doc:
    """Add an escalation."""
    return _add(store, "escalation", {"name": escalation.name})


@router.get("/escalations")
def list_escalations(store: StoreDep) -> list[Doc]:
    """The account's escalations."""
    return _listing(store, "escalation")


@router.put("/integration")
def set_integration(integration: IntegrationIn, store: StoreDep) -> dict[str, str | None]:
    """The team the API key's integration belongs to (null: none)."""
    with store.tx() as tx:
        team = None
        if integration.team is not None:
            team = accounts.find(tx, "team", name=integration.team)
            if team is None:
                raise HTTPException(404, f"no team named {integration.team}")
        tx.set_meta(accounts.INTEGRATION_TEAM, team["id"] if team else "")
    return {"team": integration.team}
