"""``providers.opsgenie.schedule``: the Schedule provider against the sandbox over real HTTP."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
import requests

from providers._http import ApiError, NotFoundError, RetryPolicy
from providers.core import UNIQUE_KEY_FREE
from providers.opsgenie.client import OpsgenieClient
from providers.opsgenie.schedule import ScheduleProvider
from tests.conftest import SandboxServer
from tests.opsgenie_support import KEY, lose_next_create, opsgenie_requests, set_faults

ALICE_ID = "6bc13753-1a48-4ed3-84fd-7b16feb856c0"
BOB_ID = "c9d6332a-75fc-42b5-b067-62a750a5f4e9"


@pytest.fixture
def sandbox(opsgenie_sandbox: SandboxServer) -> SandboxServer:
    return opsgenie_sandbox


def client(server: SandboxServer, key: str = KEY) -> OpsgenieClient:
    return OpsgenieClient(key, f"{server.url}/opsgenie", RetryPolicy(attempts=2, backoff_factor=0.01))


SCHEDULE = {
    "name": "primary",
    "timezone": "Europe/Berlin",
    "owner_team": {"name": "ops_team"},
    "rotations": [
        {
            "start_date": "2024-01-01T09:15:00+02:00",
            "type": "daily",
            "participants": [
                {"type": "user", "username": "alice@example.com"},
                {"type": "user", "id": BOB_ID},
            ],
        }
    ],
}


def checked(provider: Any, news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, Any]:
    """The inputs as ``check`` passes them on: of a new resource, or of one whose state is ``olds``."""
    result = provider.check(olds or {}, news)
    assert result.failures == []
    return dict(result.inputs)


def test_schedule_lifecycle_reads_back_without_a_diff(sandbox: SandboxServer) -> None:
    provider = ScheduleProvider()
    inputs = checked(provider, SCHEDULE)
    created = provider.create(inputs)
    assert created.outs is not None
    assert created.outs["participant_ids"] == [[ALICE_ID, BOB_ID]]
    assert created.outs["owner_team_id"] == "a2010e5d-8895-460a-8acd-c0c6df4a0acb"
    assert created.outs["rotations"][0]["start_date"] == "2024-01-01T07:30:00Z"

    read = provider.read(created.id, created.outs)
    assert inputs.pop(UNIQUE_KEY_FREE) is True  # check looked the name up: nobody had it
    assert read.inputs == inputs  # the API's ids and default names do not leak into inputs
    assert read.outs == created.outs

    updated = provider.update(
        created.id, created.outs, checked(provider, {**SCHEDULE, "enabled": False}, created.outs)
    )
    assert updated.outs is not None and updated.outs["rotation_ids"] == created.outs["rotation_ids"]
    live = client(sandbox).get_schedule(created.id)
    assert live.enabled is False and live.rotations[0].id == created.outs["rotation_ids"][0]

    provider.delete(created.id, updated.outs)
    assert provider.read(created.id, updated.outs).id == ""
    provider.delete(created.id, updated.outs)  # already gone: no error


def test_an_owner_team_the_api_overwrites_warns_once_and_never_diffs(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The docs: "If integration belongs to any team, it automatically overwrite ownerTeam".
    body = {"team": "network_team"}
    requests.put(f"{sandbox.url}/_sandbox/opsgenie/integration", json=body, timeout=10).raise_for_status()
    warnings: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *_a, **_k: warnings.append(message))
    provider = ScheduleProvider()
    inputs = checked(provider, SCHEDULE)  # owner_team: ops_team
    created = provider.create(inputs)
    assert created.outs is not None
    assert client(sandbox).get_schedule(created.id).owner_team.name == "network_team"  # type: ignore[union-attr]
    assert (created.outs["owner_team_name"], created.outs["owner_team"]) == (
        "network_team",
        {"name": "ops_team"},
    )
    assert (
        len(warnings) == 1 and "'network_team' its owner team" in warnings[0] and "owner_team" in warnings[0]
    )

    read = provider.read(created.id, created.outs)  # refresh: the program's owner stays, no drift
    assert (
        read.inputs == provider.user_inputs(inputs)
        and read.outs is not None
        and read.outs["owner_team_name"] == "network_team"
    )
    assert not provider.diff(created.id, read.outs, inputs).changes
    assert len(warnings) == 1  # a refresh does not warn again


def test_lost_create_answer_is_found_by_name(sandbox: SandboxServer) -> None:
    lose_next_create(sandbox, "^/opsgenie/v2/schedules$")
    provider = ScheduleProvider()
    created = provider.create(checked(provider, SCHEDULE))
    schedules = client(sandbox).list_schedules()
    assert [s.id for s in schedules] == [created.id]
    assert opsgenie_requests(sandbox)["opsgenie POST /v2/schedules"] == 1  # never sent twice


def test_a_lost_create_that_made_nothing_is_sent_again(sandbox: SandboxServer) -> None:
    lose_next_create(sandbox, "^/opsgenie/v2/schedules$", acted=False)
    provider = ScheduleProvider()
    created = provider.create(checked(provider, SCHEDULE))
    assert [s.id for s in client(sandbox).list_schedules()] == [created.id]
    assert opsgenie_requests(sandbox)["opsgenie POST /v2/schedules"] == 1  # the lost one made nothing


def test_a_create_lost_every_time_fails_having_made_nothing(sandbox: SandboxServer) -> None:
    set_faults(sandbox, pdrop=1, methods=["POST"], path_regex="^/opsgenie/v2/schedules$")
    provider = ScheduleProvider()
    with pytest.raises(ApiError, match="no answer"):
        provider.create(checked(provider, SCHEDULE))
    assert client(sandbox).list_schedules() == []
    faults = requests.get(f"{sandbox.url}/_sandbox/stats", timeout=10).json()["faults"]
    assert faults == {"opsgenie drop": 3}  # three attempts, each known to have made nothing


def test_import_by_name_resolves_the_id(sandbox: SandboxServer) -> None:
    provider = ScheduleProvider()
    schedule_id = client(sandbox).create_schedule({"name": "legacy on-call", "description": "old"}).id
    assert provider.resolve_import(provider.client(), "legacy on-call") == schedule_id
    assert provider.resolve_import(provider.client(), schedule_id) == schedule_id
    adopted = provider.create(checked(provider, {"name": "legacy on-call", "__import_id": "legacy on-call"}))
    assert adopted.id == schedule_id
    assert client(sandbox).get_schedule(schedule_id).description == "old"  # not managed: untouched
    slashed = client(sandbox).create_schedule({"name": "ops/db"}).id
    assert provider.resolve_import(provider.client(), "ops/db") == slashed  # found in the list
    with pytest.raises(NotFoundError, match="no schedule is named 'ops/none'"):
        provider.resolve_import(provider.client(), "ops/none")
