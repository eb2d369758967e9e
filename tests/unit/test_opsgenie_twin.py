"""A schedule somebody made by hand is never adopted by a create whose answer is lost.

Opsgenie's names are unique, so a create whose answer is lost finds its schedule by name. The
hand-made twin below has that name already: before the fix, a create of the same name whose
POST got no answer found the twin, took it over, and a later delete removed it. Now the name is
looked up first — at ``check`` (the preview) or, when check could not, before the POST — and
the create is refused with the twin's id to import; and recovery reports such a create unresolved.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import dill
import pytest
import requests

from harness import SandboxServer
from providers.core import ApiError
from providers.opsgenie.client import OpsgenieClient
from providers.opsgenie.schedule import ScheduleProvider
from providers.opsgenie.schedule_override import ScheduleOverrideProvider
from stacks.recover import Recovery
from tests.support.opsgenie import KEY, opsgenie_requests, set_faults

UNIQUE_KEY_FREE = "__unique_key_free"  # providers._base.UNIQUE_KEY_FREE, spelled out for the old code
TWIN = {"name": "payments-oncall", "description": "made by hand", "timezone": "Europe/Berlin"}
PROGRAM = {"name": "payments-oncall", "description": "made by the program", "timezone": "UTC"}


@pytest.fixture
def sandbox(opsgenie_sandbox: SandboxServer) -> SandboxServer:
    return opsgenie_sandbox


def api(sandbox: SandboxServer) -> OpsgenieClient:
    return OpsgenieClient(KEY, f"{sandbox.url}/opsgenie")


def test_preview_refuses_a_name_a_schedule_already_has(sandbox: SandboxServer) -> None:
    twin = api(sandbox).create_schedule(TWIN).id
    result = ScheduleProvider().check({}, PROGRAM)
    reasons = {f.property: f.reason for f in result.failures}
    assert list(reasons) == ["name"], reasons
    assert twin in reasons["name"] and f"import_='{twin}'" in reasons["name"]
    # A schedule already in the stack keeps its name without a look-up (olds given).
    assert ScheduleProvider().check({**PROGRAM, "description": "old"}, PROGRAM).failures == []


def test_the_names_of_new_schedules_are_looked_up_in_one_listing_per_process(sandbox: SandboxServer) -> None:
    twin = api(sandbox).create_schedule(TWIN).id
    requests.delete(f"{sandbox.url}/_sandbox/stats", timeout=10)
    provider = ScheduleProvider()
    fresh = [provider.check({}, {**PROGRAM, "name": f"payments-{i}"}) for i in range(5)]
    assert [r.failures for r in fresh] == [[]] * 5
    assert all(r.inputs[UNIQUE_KEY_FREE] is True for r in fresh)
    reasons = {f.property: f.reason for f in provider.check({}, PROGRAM).failures}
    assert f"import_='{twin}'" in reasons["name"]
    counts = requests.get(f"{sandbox.url}/_sandbox/stats", timeout=10).json()["requests"]
    assert {k: v for k, v in counts.items() if k.startswith("opsgenie ")} == {"opsgenie GET /v2/schedules": 1}


def test_a_lost_create_never_adopts_a_hand_made_twin(sandbox: SandboxServer) -> None:
    """The create reaches the provider without check's look-up (e.g. the API was down at check)
    and its POST is lost: before, the look-up by name then found the twin and adopted it."""
    twin = api(sandbox).create_schedule(TWIN).id
    set_faults(sandbox, pdrop=1, methods=["POST"], path_regex="^/opsgenie/v2/schedules$")
    with pytest.raises(ApiError, match=f"import_='{twin}'"):
        ScheduleProvider().create(PROGRAM)
    assert opsgenie_requests(sandbox)["opsgenie POST /v2/schedules"] == 1  # the twin's: none was sent
    record = api(sandbox).get_schedule(twin)
    assert (record.name, record.description) == ("payments-oncall", "made by hand")


def test_a_lost_create_after_a_free_name_is_found(sandbox: SandboxServer) -> None:
    """The ordinary case still converges: the name was free, the answer is lost, the schedule found."""
    set_faults(sandbox, pdrop=1, methods=["POST"], drop_after_processing=True, remaining=1)
    provider = ScheduleProvider()
    inputs = provider.check({}, PROGRAM).inputs
    assert inputs[UNIQUE_KEY_FREE] is True
    created = provider.create(inputs)
    assert [s.id for s in api(sandbox).list_schedules()] == [created.id]
    assert opsgenie_requests(sandbox)["opsgenie POST /v2/schedules"] == 1


def test_an_override_alias_held_by_hand_is_not_adopted(sandbox: SandboxServer) -> None:
    schedule = api(sandbox).create_schedule({"name": "with-override"}).id
    override = {
        "schedule_id": schedule,
        "alias": "vacation",
        "user": {"type": "user", "username": "bob@example.com"},
        "start_date": "2030-01-02T00:00:00Z",
        "end_date": "2030-01-03T00:00:00Z",
    }
    body = {"alias": "vacation", "user": override["user"], "startDate": override["start_date"]}
    api(sandbox).create_override(schedule, {**body, "endDate": override["end_date"]})
    reasons = {f.property: f.reason for f in ScheduleOverrideProvider().check({}, override).failures}
    assert "alias" in reasons and f"{schedule}/vacation" in reasons["alias"]


def test_recovery_does_not_adopt_a_twin_it_cannot_tell_apart(sandbox: SandboxServer) -> None:
    twin = api(sandbox).create_schedule(TWIN).id
    blob = base64.b64encode(dill.dumps(ScheduleProvider())).decode()
    urn = "urn:pulumi:dev::p::pulumi-python:dynamic/opsgenie:Schedule::oncall"

    def pending(**extra: object) -> dict[str, object]:
        inputs = {"__provider": blob, **PROGRAM, **extra}
        return {"type": "creating", "resource": {"urn": urn, "inputs": inputs}}

    config = {"opsgenie:apiUrl": f"{sandbox.url}/opsgenie", "opsgenie:apiKey": KEY}
    # No record that the name was free just before the create: the twin may be anybody's.
    deployment = {"resources": [], "pending_operations": [pending()]}
    (outcome,) = Recovery(config, "p", datetime.now(UTC)).resolve(deployment)
    assert outcome.outcome == "unresolved" and f"import_='{twin}'" in outcome.note
    assert deployment["resources"] == []
    # check saw the name free just before this create: the schedule of that name is what it made.
    deployment = {"resources": [], "pending_operations": [pending(**{UNIQUE_KEY_FREE: True})]}
    (outcome,) = Recovery(config, "p", datetime.now(UTC)).resolve(deployment)
    assert (outcome.outcome, outcome.id) == ("found", twin)
