"""The Opsgenie client, providers and functions against the sandbox over real HTTP."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
import requests
from pulumi.dynamic import Config as DynamicConfig
from pulumi.dynamic import ConfigureRequest

from providers._http import ApiError, NotFoundError, RetryPolicy
from providers.core import UNIQUE_KEY_FREE, ConfigError
from providers.opsgenie import functions
from providers.opsgenie.client import OpsgenieClient, api_url
from providers.opsgenie.schedule import ScheduleProvider
from providers.opsgenie.schedule_override import ScheduleOverrideProvider
from providers.opsgenie.schedule_rotation import ScheduleRotationProvider
from tests.conftest import SandboxServer
from tests.opsgenie_support import KEY, READ_ONLY_KEY, lose_next_create, opsgenie_requests, set_faults

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


def test_region_and_url_settings() -> None:
    assert api_url(None, None) == "https://api.opsgenie.com"
    assert api_url(None, "EU") == "https://api.eu.opsgenie.com"
    assert api_url("http://localhost:1/opsgenie/", "eu") == "http://localhost:1/opsgenie"  # apiUrl wins
    with pytest.raises(ValueError, match="unknown Opsgenie region 'mars'"):
        api_url(None, "mars")


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


def test_rotation_and_override_lifecycle_with_lost_answers(sandbox: SandboxServer) -> None:
    schedule_id = client(sandbox).create_schedule({"name": "bare"}).id
    rotations = ScheduleRotationProvider()
    rotation = {"schedule_id": schedule_id, **SCHEDULE["rotations"][0]}  # type: ignore[index]
    lose_next_create(sandbox, "/rotations$")
    made = rotations.create(checked(rotations, rotation))
    assert made.outs is not None
    assert [r.id for r in client(sandbox).list_rotations(schedule_id)] == [made.outs["rotation_id"]]
    assert made.id == f"{schedule_id}/{made.outs['rotation_id']}"
    assert rotations.read(made.id, made.outs).inputs == checked(rotations, rotation)

    overrides = ScheduleOverrideProvider()
    override = {
        "schedule_id": schedule_id,
        "alias": "vacation",
        "user": {"type": "user", "username": "bob@example.com"},
        "start_date": "2024-01-02T00:00:00+01:00",
        "end_date": "2024-01-03T00:00:00+01:00",
        "rotations": [{"name": "Rotation 1"}],
    }
    lose_next_create(sandbox, "/overrides$")
    o = overrides.create(checked(overrides, override))
    assert o.id == f"{schedule_id}/vacation"
    assert (
        o.outs is not None
        and o.outs["user_id"] == BOB_ID
        and o.outs["rotation_ids"] == [made.outs["rotation_id"]]
    )
    assert overrides.read(o.id, o.outs).inputs == checked(overrides, override, o.outs)
    assert len(client(sandbox).list_overrides(schedule_id)) == 1

    later = {**override, "end_date": "2024-01-04T00:00:00Z"}
    overrides.update(o.id, o.outs, checked(overrides, later, o.outs))
    assert client(sandbox).get_override(schedule_id, "vacation").end_date == "2024-01-04T00:00:00Z"

    with_end = checked(rotations, {**rotation, "end_date": "2025-01-01T00:00:00Z"})
    rotations.update(made.id, made.outs, with_end)
    assert client(sandbox).get_rotation(schedule_id, made.outs["rotation_id"]).end_date is not None
    # Removing it again is a replacement (the OAS allows no null end date in a PATCH).
    assert rotations.diff(made.id, with_end, checked(rotations, rotation)).replaces == ["end_date"]
    assert rotations.diff(made.id, with_end, checked(rotations, rotation)).changes

    overrides.delete(o.id, o.outs)
    rotations.delete(made.id, made.outs)
    assert client(sandbox).list_rotations(schedule_id) == []
    assert overrides.read(o.id, o.outs).id == ""


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


def test_api_errors_are_clear_and_never_carry_the_key(sandbox: SandboxServer) -> None:
    api = client(sandbox)
    with pytest.raises(ApiError) as err:
        api.create_schedule(
            {
                "name": "bad",
                "rotations": [
                    {
                        "startDate": "2024-01-01T00:00:00Z",
                        "type": "daily",
                        "participants": [{"type": "user", "username": "ghost"}],
                    }
                ],
            }
        )
    text = str(err.value)
    assert err.value.status == 422 and "schedule 'bad'" in text
    assert "rotations[0].participants[0]: No user exists with username [ghost]" in text
    assert "request id " in text and KEY not in text

    with pytest.raises(NotFoundError, match=r"schedule 'nope'.*No schedule exists with name \[nope\]"):
        api.get_schedule("nope", "name")

    with pytest.raises(ApiError) as err:
        client(sandbox, READ_ONLY_KEY).create_schedule({"name": "ro"})
    assert err.value.status == 403
    assert "the Opsgenie API key is read-only: API Key is not granted with write access." in str(err.value)
    assert READ_ONLY_KEY not in str(err.value)
    assert client(sandbox, READ_ONLY_KEY).list_schedules() == []  # reads are allowed

    with pytest.raises(ApiError, match="the Opsgenie API key was refused: Could not authenticate"):
        client(sandbox, "wrong-key").list_schedules()


def test_functions_read_settings_from_the_environment(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = ScheduleProvider()
    created = provider.create(checked(provider, SCHEDULE))
    assert functions.get_schedule("primary").id == created.id
    assert functions.get_schedule(created.id).name == "primary"
    listed = functions.list_schedules(expand_rotations=True)
    assert [len(s.rotations) for s in listed] == [1]
    assert functions.list_schedules()[0].rotations == []  # without expand the list has no rotations

    timeline = functions.get_schedule_timeline(
        "primary",
        interval=2,
        interval_unit="days",
        date="2024-01-10T00:00:00+01:00",
        expand=["base", "override"],
    )
    assert timeline.start_date.isoformat() == "2024-01-09T23:00:00+00:00"
    assert timeline.base_timeline is not None and timeline.forwarding_timeline is None
    periods = timeline.final_timeline.rotations[0].periods
    assert periods and all(p.recipient is not None for p in periods)
    assert {p.recipient.name for p in periods if p.recipient} == {"alice@example.com", "bob@example.com"}

    ics = functions.export_schedule_ics("primary")
    assert ics.startswith("BEGIN:VCALENDAR") and "X-WR-CALNAME:primary" in ics

    with pytest.raises(ValueError, match="interval_unit"):
        functions.get_schedule_timeline("primary", interval_unit="years")  # type: ignore[arg-type]
    monkeypatch.delenv("OPSGENIE_API_KEY")
    with pytest.raises(ConfigError, match="opsgenie:apiKey"):
        functions.list_schedules()


def configured(raw: dict[str, str]) -> ScheduleProvider:
    provider = ScheduleProvider()
    provider.configure(ConfigureRequest(DynamicConfig(raw_config=raw, project_name="p")))
    return provider


def test_provider_settings_from_stack_config(monkeypatch: pytest.MonkeyPatch) -> None:
    for env in ("OPSGENIE_API_KEY", "OPSGENIE_API_URL", "OPSGENIE_REGION"):
        monkeypatch.delenv(env, raising=False)
    eu = configured({"opsgenie:apiKey": "k-eu", "opsgenie:region": "eu"}).client()
    assert eu.http.base_url == "https://api.eu.opsgenie.com"
    assert eu.http.session.headers["Authorization"] == "GenieKey k-eu"
    explicit = {"opsgenie:apiKey": "k", "opsgenie:region": "eu", "opsgenie:apiUrl": "http://127.0.0.1:9/og"}
    assert configured(explicit).client().http.base_url == "http://127.0.0.1:9/og"
    with pytest.raises(ConfigError, match="unknown Opsgenie region 'asia'"):
        configured({"opsgenie:apiKey": "k", "opsgenie:region": "asia"}).client()
    with pytest.raises(ConfigError, match="pulumi config set --secret opsgenie:apiKey"):
        configured({}).client()
    monkeypatch.setenv("OPSGENIE_API_KEY", "from-env")  # the fallback when the stack has none
    assert configured({}).client().http.base_url == "https://api.opsgenie.com"
