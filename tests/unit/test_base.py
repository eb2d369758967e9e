"""``providers._base``: the generic provider's lifecycle, over an in-memory API (no HTTP).

:class:`MemoryProvider` is the smallest provider the base supports: a pydantic model, a dict
for the API's objects, and the hooks (``create_remote``, ``find_created``, ``key_holder``…).
The API can be told to fail its next creates the ways a real one does: the object made and the
answer lost, nothing made and a 503, nothing known (a timeout). Every test goes through the
provider's public lifecycle — ``check``, ``diff``, ``create``, ``read``, ``update`` — as the
engine calls it, and looks at what the API holds afterwards.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import pytest
from pulumi.output import Unknown
from pydantic import BaseModel, ConfigDict, Field

from providers._base import (
    CREATE_ATTEMPTS,
    IMPORT_KEY,
    UNIQUE_KEY_FREE,
    UNKNOWN,
    CannotTell,
    LostCreate,
    ProviderBase,
)
from providers._fields import Behaviour
from providers._http import ApiError, NotFoundError
from providers._resource import ALREADY_REPORTED

Failure = Literal["made, answer lost", "not made", "timeout"]
NOW = datetime.now(UTC)


class WidgetInputs(BaseModel):
    """A widget: its name is unique in the API; its region cannot change in place."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    size: int = Field(ge=1)
    region: Annotated[str, Behaviour(replaces=True)] = "eu"
    owner: str | None = None


@dataclass
class MemoryApi:
    """The "API": objects by id, creates to fail, and every call made."""

    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_creates: list[Failure] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def create(self, body: dict[str, Any]) -> str:
        self.calls.append("create")
        failure = self.fail_creates.pop(0) if self.fail_creates else None
        if failure == "not made":
            raise ApiError("memory", "POST", "/widgets", 503, "unavailable")
        if failure == "timeout":
            raise ApiError("memory", "POST", "/widgets", None, "read timed out", timed_out=True)
        id_ = f"w-{next(self.ids)}"
        self.objects[id_] = dict(body)
        if failure == "made, answer lost":
            raise ApiError("memory", "POST", "/widgets", None, "connection dropped")
        return id_


class MemoryProvider(ProviderBase[WidgetInputs, MemoryApi]):
    """A provider of widgets over :class:`MemoryApi`; ``lost`` records what ``find_created`` was told."""

    api = "memory"
    inputs_model = WidgetInputs
    output_keys = frozenset({"revision"})
    unique_key = "name"

    def __init__(self, api: MemoryApi) -> None:
        super().__init__()
        self.memory = api
        self.lost: list[LostCreate] = []

    def make_client(self) -> MemoryApi:
        return self.memory

    def create_remote(self, client: MemoryApi, inputs: WidgetInputs) -> tuple[str, dict[str, Any]]:
        return client.create(inputs.model_dump()), {"revision": 1}

    def key_holder(self, client: MemoryApi, inputs: WidgetInputs) -> str | None:
        client.calls.append("look up name")
        return next((id_ for id_, o in client.objects.items() if o["name"] == inputs.name), None)

    def find_created(
        self, client: MemoryApi, inputs: WidgetInputs, lost: LostCreate
    ) -> tuple[str, dict[str, Any]] | None:
        self.lost.append(lost)
        named = (
            id_ for id_, o in client.objects.items() if o["name"] == inputs.name and id_ not in lost.taken
        )
        found = next(named, None)
        if found is None:
            return None
        if self.unique_key and not lost.key_was_free:
            raise CannotTell("memory widget", found, "name")
        return found, {"revision": 1}

    def read_remote(self, client: MemoryApi, id_: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        client.calls.append("read")
        found = client.objects.get(id_)
        return None if found is None else (dict(found), {"revision": found.get("revision", 1)})

    def update_remote(
        self, client: MemoryApi, id_: str, old: WidgetInputs, new: WidgetInputs
    ) -> dict[str, Any]:
        client.calls.append("update")
        revision = client.objects[id_].get("revision", 1) + 1
        client.objects[id_] = {**new.model_dump(), "revision": revision}
        return {"revision": revision}


@pytest.fixture
def api() -> MemoryApi:
    return MemoryApi()


@pytest.fixture
def provider(api: MemoryApi) -> MemoryProvider:
    return MemoryProvider(api)


def up(provider: MemoryProvider, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """``check`` then ``create`` of a new resource, as ``pulumi up`` calls them."""
    checked = provider.check({}, inputs)
    assert checked.failures == []
    created = provider.create(checked.inputs)
    return str(created.id), dict(created.outs or {})


# ---- check --------------------------------------------------------------------------------
def test_check_names_each_bad_field_and_normalises_good_inputs(
    provider: MemoryProvider, api: MemoryApi
) -> None:
    bad = provider.check({}, {"name": "", "size": 0})
    assert sorted((f.property, f.reason) for f in bad.failures) == [
        ("name", "String should have at least 1 character"),
        ("size", "Input should be greater than or equal to 1"),
    ]
    good = provider.check({}, {"name": "w", "size": "2"})
    assert good.failures == []
    assert good.inputs == {"name": "w", "size": 2, "region": "eu", UNIQUE_KEY_FREE: True}


@pytest.mark.parametrize("unknown", [UNKNOWN, Unknown()], ids=["wire marker", "Unknown"])
def test_unknown_values_at_preview_are_not_judged(
    provider: MemoryProvider, api: MemoryApi, unknown: object
) -> None:
    preview = provider.check({}, {"name": "w", "size": unknown})
    assert preview.failures == []
    assert preview.inputs["size"] is unknown  # passed on as is: judged at `up`, once known
    assert "look up name" not in api.calls  # the unique key is looked up when the inputs are known
    # A known bad value beside an unknown one is still reported.
    both = provider.check({}, {"name": "", "size": unknown})
    assert [f.property for f in both.failures] == ["name"]


# ---- diff ---------------------------------------------------------------------------------
def test_a_field_declared_replaces_yields_a_replace(provider: MemoryProvider) -> None:
    olds = {"name": "w", "size": 1, "region": "eu", "revision": 1}
    moved = provider.diff("w-1", olds, {"name": "w", "size": 1, "region": "us"})
    assert moved.changes and moved.replaces == ["region"]
    resized = provider.diff("w-1", olds, {"name": "w", "size": 3, "region": "eu"})
    assert resized.changes and resized.replaces == []
    same = provider.diff("w-1", olds, {"name": "w", "size": 1, "region": "eu", "revision": None})
    assert not same.changes and same.replaces == []


# ---- create ---------------------------------------------------------------------------------
def test_a_lost_create_is_found_and_not_duplicated(provider: MemoryProvider, api: MemoryApi) -> None:
    api.fail_creates = ["made, answer lost"]
    id_, outs = up(provider, {"name": "lost", "size": 1})
    assert list(api.objects) == [id_]  # the one object the lost create made, not a second
    assert api.calls.count("create") == 1
    assert outs == {"name": "lost", "size": 1, "region": "eu", "revision": 1}
    assert provider.lost[0].key_was_free  # check saw the name free before the create


class UnkeyedProvider(MemoryProvider):
    """Widgets whose names need not be unique: a look-up by name may find another resource's."""

    unique_key = None


def test_a_lost_create_never_takes_an_object_another_resource_owns(api: MemoryApi) -> None:
    first, _ = up(UnkeyedProvider(api), {"name": "twin", "size": 1})
    api.fail_creates = ["not made"]
    second = UnkeyedProvider(api)
    id_, _ = up(second, {"name": "twin", "size": 1})
    assert first in second.lost[0].taken  # the first resource's object is not the lost create's
    assert id_ != first and len(api.objects) == 2 and api.calls.count("create") == 3


def test_a_create_the_server_never_made_is_retried_at_most_create_attempts_times(
    provider: MemoryProvider, api: MemoryApi
) -> None:
    api.fail_creates = ["not made"] * (CREATE_ATTEMPTS - 1)
    id_, _ = up(provider, {"name": "third time", "size": 1})
    assert api.calls.count("create") == CREATE_ATTEMPTS and list(api.objects) == [id_]

    again = MemoryApi(fail_creates=["not made"] * (CREATE_ATTEMPTS + 1))
    with pytest.raises(ApiError, match="HTTP 503"):
        up(MemoryProvider(again), {"name": "never", "size": 1})
    assert again.calls.count("create") == CREATE_ATTEMPTS and again.objects == {}


def test_a_create_the_server_may_still_be_making_is_not_sent_again(
    provider: MemoryProvider, api: MemoryApi
) -> None:
    api.fail_creates = ["timeout"]
    with pytest.raises(ApiError, match="read timed out"):
        up(provider, {"name": "slow", "size": 1})
    assert api.calls.count("create") == 1


# ---- the unique key -------------------------------------------------------------------------
def test_a_taken_unique_key_fails_check_naming_the_field(provider: MemoryProvider, api: MemoryApi) -> None:
    api.objects["w-9"] = {"name": "taken", "size": 1, "region": "eu"}
    checked = provider.check({}, {"name": "taken", "size": 1})
    assert [f.property for f in checked.failures] == ["name"]
    reason = checked.failures[0].reason
    assert "'taken' (id w-9)" in reason and "import_='w-9'" in reason
    assert api.calls == ["look up name"]  # nothing created


def test_a_free_unique_key_lets_the_create_proceed_without_a_second_look_up(
    provider: MemoryProvider, api: MemoryApi
) -> None:
    id_, _ = up(provider, {"name": "free", "size": 1})
    assert api.calls == ["look up name", "create"]
    assert api.objects[id_]["name"] == "free"


def test_create_looks_the_key_up_itself_when_check_could_not(
    provider: MemoryProvider, api: MemoryApi
) -> None:
    # At preview the name was unknown, so check looked nothing up; by `up` another object holds it.
    api.objects["w-7"] = {"name": "raced", "size": 1, "region": "eu"}
    with pytest.raises(ApiError, match="import_='w-7'"):
        provider.create({"name": "raced", "size": 1, "region": "eu"})
    assert "create" not in api.calls and list(api.objects) == ["w-7"]


# ---- adoption (import_) -----------------------------------------------------------------------
def test_adoption_via_the_import_id_updates_the_existing_object_instead_of_creating(
    provider: MemoryProvider, api: MemoryApi
) -> None:
    api.objects["w-5"] = {"name": "legacy", "size": 1, "region": "eu"}
    checked = provider.check({}, {"name": "legacy", "size": 4, IMPORT_KEY: "w-5"})
    assert checked.failures == []  # holding the key is expected: this resource adopts its holder
    created = provider.create(checked.inputs)
    assert created.id == "w-5" and "create" not in api.calls
    assert api.objects == {"w-5": {"name": "legacy", "size": 4, "region": "eu", "owner": None, "revision": 2}}
    assert created.outs == {"name": "legacy", "size": 4, "region": "eu", "revision": 2}


def test_adopting_an_object_that_does_not_exist_fails(provider: MemoryProvider, api: MemoryApi) -> None:
    with pytest.raises(ApiError, match="cannot import 'w-404': it does not exist"):
        provider.create({"name": "ghost", "size": 1, IMPORT_KEY: "w-404"})
    assert api.objects == {}


# ---- read and update ----------------------------------------------------------------------------
def test_read_sees_drift_and_deletion(provider: MemoryProvider, api: MemoryApi) -> None:
    id_, outs = up(provider, {"name": "r", "size": 1})
    api.objects[id_]["size"] = 9  # changed outside Pulumi
    refreshed = provider.read(id_, outs)
    assert refreshed.id == id_ and refreshed.inputs == {"name": "r", "size": 9, "region": "eu"}
    del api.objects[id_]
    assert provider.read(id_, outs).id == ""


def test_update_applies_the_new_inputs_and_returns_the_outputs(
    provider: MemoryProvider, api: MemoryApi
) -> None:
    id_, outs = up(provider, {"name": "u", "size": 1})
    updated = provider.update(id_, outs, {"name": "u", "size": 2, "region": "eu", "revision": None})
    assert updated.outs == {"name": "u", "size": 2, "region": "eu", "revision": 2}
    assert api.objects[id_]["size"] == 2


# ---- cancellation -----------------------------------------------------------------------------
# The engine's SIGINT ends a program without a traceback (exit_quietly_when_cancelled).
PROGRAM = """
import os, signal, time
from providers._resource import exit_quietly_when_cancelled
{setup}
exit_quietly_when_cancelled()
print("registered", flush=True)
os.kill(os.getpid(), signal.SIGINT)
time.sleep(5)
print("still running", flush=True)
"""


def _run(setup: str = "") -> subprocess.CompletedProcess[str]:
    source = textwrap.dedent(PROGRAM.format(setup=setup))
    return subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, timeout=30)


def test_sigint_ends_the_program_quietly_with_the_already_reported_code() -> None:
    done = _run()
    assert done.returncode == ALREADY_REPORTED
    assert done.stdout == "registered\n"
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr


def test_without_it_python_prints_a_traceback() -> None:
    # The behaviour the handler replaces (what Pulumi's exec shim shows on a cancelled run).
    done = _run(setup="exit_quietly_when_cancelled = lambda: None")
    assert done.returncode != ALREADY_REPORTED
    assert "KeyboardInterrupt" in done.stderr


def test_a_handler_the_program_set_is_kept() -> None:
    done = _run(setup="signal.signal(signal.SIGINT, lambda *_: print('mine', flush=True))")
    assert done.returncode == 0
    assert done.stdout == "registered\nmine\nstill running\n"


# ---- gone -----------------------------------------------------------------------------------
class StrictProvider(MemoryProvider):
    """Widgets of an API that answers 404 for an object it does not have, as the real clients raise it."""

    def read_remote(self, client: MemoryApi, id_: str) -> tuple[dict[str, Any], dict[str, Any]]:
        live = super().read_remote(client, id_)
        if live is None:
            raise NotFoundError("memory", "GET", f"/widgets/{id_}", 404, "no such widget")
        return live

    def key_holder(self, client: MemoryApi, inputs: WidgetInputs) -> str | None:
        holder = super().key_holder(client, inputs)
        if holder is None:
            raise NotFoundError("memory", "GET", f"/widgets?name={inputs.name}", 404, "no such widget")
        return holder

    def delete_remote(self, client: MemoryApi, id_: str, inputs: WidgetInputs) -> None:
        if client.objects.pop(id_, None) is None:
            raise NotFoundError("memory", "DELETE", f"/widgets/{id_}", 404, "no such widget")


def test_the_base_reads_a_404_as_gone_in_refresh_import_look_ups_and_delete(api: MemoryApi) -> None:
    provider = StrictProvider(api)
    id_, outs = up(provider, {"name": "w", "size": 1})  # key_holder's 404: the name is free
    del api.objects[id_]  # deleted outside Pulumi
    assert provider.read(id_, outs).id == ""  # refresh: gone, dropped from the state
    provider.delete(id_, outs)  # already deleted: no error
    with pytest.raises(ApiError, match="cannot import 'w-9': it does not exist; no memory object is 'w-9'"):
        provider.create({"name": "w", "size": 1, IMPORT_KEY: "w-9"})
    assert provider.look_for_created(api, WidgetInputs(name="gone", size=1), LostCreate(since=NOW)) is None


def test_an_api_error_of_an_operation_says_what_to_do_once(api: MemoryApi) -> None:
    provider = StrictProvider(api)

    def gone(*_: Any) -> None:
        raise NotFoundError("memory", "PUT", "/widgets/w-1", 404, "no such widget")

    provider.update_remote = gone  # type: ignore[method-assign,assignment]
    with pytest.raises(NotFoundError) as err:
        provider.update("w-1", {"name": "w", "size": 1}, {"name": "w", "size": 2})
    assert str(err.value) == (
        "memory PUT /widgets/w-1 failed: HTTP 404: no such widget; it was deleted outside Pulumi: "
        "run `pulumi up --refresh` (or `pulumi refresh`, then `pulumi up`) to create it again"
    )
    assert str(err.value.advised_by("another advice")) == str(err.value)  # said once
    denied = ApiError("memory", "GET", "/widgets/w-1", 403, "forbidden")
    assert str(denied.advised_by("")).endswith(
        "; check the credential in the stack config (memory:*) and what it may do"
    )
    assert str(ApiError("memory", "POST", "/widgets", 422, "bad size").advised_by("gone")).endswith(
        "bad size"
    )
