"""The per-API contract (``sandbox.apis.SandboxApi``) and the context in ``app.state``.

mypy checks the same contract statically where ``sandbox/apis.py`` types ``APIS``; these
tests check it at run time, and that the app drives every API through it.
"""

from __future__ import annotations

import json
import types

import pytest
from fastapi.testclient import TestClient

import sandbox.imbrace
import sandbox.omni
import sandbox.opsgenie
from sandbox.apis import APIS, SandboxApi, api_for, contracts
from sandbox.app import create_app
from sandbox.context import Faults, Quotas
from sandbox.deps import context_of

MEMBERS = {
    "NAME",
    "PREFIX",
    "VALIDATION_STATUS",
    "RATE_LIMIT_PERIOD_HEADER",
    "router",
    "admin_router",
    "seed",
    "contract",
    "error_response",
}


def test_every_api_package_meets_the_protocol() -> None:
    assert (sandbox.opsgenie, sandbox.imbrace, sandbox.omni) == APIS
    for api in APIS:
        assert isinstance(api, SandboxApi), api.__name__
    assert [api.NAME for api in APIS] == ["opsgenie", "imbrace", "omni"]
    assert [api.PREFIX for api in APIS] == ["/opsgenie", "/imbrace", "/omni"]


@pytest.mark.parametrize("api", APIS, ids=lambda a: a.NAME)
def test_a_packages_public_names_are_the_protocols_members(api: types.ModuleType) -> None:
    assert set(api.__all__) == MEMBERS


def test_a_package_missing_a_member_does_not_meet_it() -> None:
    partial = types.ModuleType("partial")
    for member in MEMBERS - {"seed"}:
        setattr(partial, member, getattr(sandbox.omni, member))
    assert not isinstance(partial, SandboxApi)
    partial.seed = sandbox.omni.seed
    assert isinstance(partial, SandboxApi)


def test_every_api_has_its_faults_quotas_and_contract() -> None:
    names = {api.NAME for api in APIS}
    assert set(Faults.model_fields) == names
    assert set(Quotas.model_fields) == names
    assert set(contracts()) == names
    assert {c.title for c in contracts().values()} == {"Opsgenie", "iMBRACE", "Omni"}


@pytest.mark.parametrize("api", APIS, ids=lambda a: a.NAME)
def test_paths_belong_to_their_api(api: SandboxApi) -> None:
    for path in (api.PREFIX + "/anything", api.PREFIX):
        mounted = api_for(path)
        assert mounted is not None and (mounted.api, mounted.prefix) == (api, api.PREFIX)
        assert api_for(path, "omni") == mounted  # a prefix wins over the root API
    assert api_for(f"/_sandbox/{api.NAME}/x") is None
    assert api_for(f"/_sandbox/{api.NAME}/x", api.NAME) is None
    assert api_for("/v2/x") is None
    at_root = api_for("/v2/x", api.NAME)
    assert at_root is not None and (at_root.api, at_root.prefix) == (api, "")


@pytest.mark.lenient  # strict mode would refuse the undocumented path before routing
@pytest.mark.parametrize("api", APIS, ids=lambda a: a.NAME)
def test_the_app_answers_unknown_paths_in_each_apis_error_shape(client: TestClient, api: SandboxApi) -> None:
    answer = client.get(api.PREFIX + "/no/such/route")
    expected = api.error_response(404, "Not Found")
    body = answer.json()
    # Opsgenie's envelope carries a fresh request id and time.
    for volatile in ("requestId", "took"):
        body.pop(volatile, None)
    assert answer.status_code == 404
    assert body == {
        k: v for k, v in json.loads(bytes(expected.body)).items() if k not in ("requestId", "took")
    }


def test_the_context_lives_in_app_state_and_apps_do_not_share_it() -> None:
    first, second = create_app(":memory:"), create_app(":memory:")
    assert context_of(first) is first.state.ctx
    with TestClient(first) as a, TestClient(second) as b:
        assert a.put("/_sandbox/quotas", json={"omni": {"requests": 7}}).status_code == 200
        assert first.state.ctx.quotas.omni.requests == 7
        assert b.get("/_sandbox/quotas").json()["omni"]["requests"] is None
        # Both apps include the same module-level routers; each route reads its own app's store.
        a.post("/_sandbox/opsgenie/teams", json={"name": "only-in-first"})
        assert "only-in-first" in {t["name"] for t in a.get("/_sandbox/opsgenie/teams").json()}
        assert "only-in-first" not in {t["name"] for t in b.get("/_sandbox/opsgenie/teams").json()}


def test_root_api_serves_one_api_at_the_root_too() -> None:
    key = {"Authorization": "GenieKey sandbox-opsgenie"}
    with TestClient(create_app(":memory:", root_api="opsgenie")) as root:
        created = root.post("/v2/schedules", headers=key, json={"name": "at-root"})
        assert created.status_code == 201, created.text
        listed = root.get("/opsgenie/v2/schedules", headers=key).json()["data"]
        assert [s["name"] for s in listed] == ["at-root"]  # one emulator behind both paths
        missing = root.get("/v2/schedules/nope", headers=key)
        assert (missing.status_code, missing.json()["message"]) == (404, "No schedule exists with id [nope]")
        omni = root.get("/omni/api/v1/schedules", headers={"Authorization": "Bearer sandbox-omni"})
        assert omni.status_code == 200  # the other APIs keep their prefixes
        assert root.get("/_sandbox/health").status_code == 200
        refused = root.get("/v2/teams", headers=key)  # strict mode checks the root paths too
        assert refused.json()["message"].startswith("sandbox: request does not match Opsgenie's")
    with pytest.raises(ValueError, match="root_api"):
        create_app(":memory:", root_api="pagerduty")
