"""``providers.kinds``: one registry of resource kinds, and the one resource signature it relies on."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from providers._base import ResourceBase, resource_props
from providers.imbrace import JobArgs, SchedulerArgs
from providers.kinds import KINDS, kind
from providers.omni import ScheduleArgs as OmniScheduleArgs
from providers.opsgenie import ScheduleArgs, ScheduleRotationArgs
from stacks import definitions, program


def test_the_stacks_program_and_the_definitions_read_the_same_registry() -> None:
    assert definitions.KINDS is KINDS
    assert program.KINDS is KINDS
    assert [k.key for k in KINDS] == [
        "opsgenie.schedules",
        "opsgenie.rotations",
        "opsgenie.overrides",
        "imbrace.schedulers",
        "omni.schedules",
        "omni.triggers",
    ]
    assert [k.key for k in KINDS if not k.importable] == ["omni.schedules", "omni.triggers"]


@pytest.mark.parametrize("registered", KINDS, ids=lambda k: k.key)
def test_every_kind_is_a_resource_with_an_args_class_and_a_model(registered: Any) -> None:
    assert issubclass(registered.resource, ResourceBase)
    assert registered.inputs_model is registered.resource.provider_type.inputs_model
    # Every XArgs field is an input of the model, so both call forms reach the same check.
    args_fields = set(registered.resource.args_type.__dataclass_fields__)
    assert args_fields <= set(registered.inputs_model.model_fields), registered.key
    assert kind(registered.key) is registered


def test_an_args_object_and_keywords_give_the_same_properties() -> None:
    job = {"type": "kafka", "topic": "T"}
    by_object = resource_props(SchedulerArgs, SchedulerArgs(name="n", event_type="e", job=job), {})
    by_keywords = resource_props(SchedulerArgs, None, {"name": "n", "event_type": "e", "job": job})
    assert by_object == by_keywords
    assert by_keywords["type"] == "recurring" and by_keywords["files"] == []  # the XArgs defaults
    rotation = {"start_date": "2024-01-01T09:00:00Z", "type": "daily", "participants": [{"type": "none"}]}
    assert resource_props(ScheduleRotationArgs, None, {"schedule_id": "s", **rotation}) == {
        "name": None,
        "end_date": None,
        "length": None,
        "time_restriction": None,
        "schedule_id": "s",
        **rotation,
    }
    assert resource_props(OmniScheduleArgs, OmniScheduleArgs(paused=True), {})["paused"] is True


def test_keywords_left_out_or_misspelt_reach_the_providers_check() -> None:
    # No TypeError in the program: the check names the field at preview, as before.
    assert "name" not in resource_props(ScheduleArgs, None, {"timezone": "UTC"})
    assert resource_props(ScheduleArgs, None, {"name": "s", "time_zone": "UTC"})["time_zone"] == "UTC"


def test_an_args_object_and_keywords_together_are_refused() -> None:
    with pytest.raises(TypeError, match="either a ScheduleArgs or keyword arguments"):
        resource_props(ScheduleArgs, ScheduleArgs(name="s"), {"timezone": "UTC"})
    with pytest.raises(TypeError, match="args should be a SchedulerArgs, not JobArgs"):
        resource_props(SchedulerArgs, JobArgs(type="kafka"), {})


class Recorded(pulumi.runtime.Mocks):
    """Registers every resource with its inputs as outputs (no engine)."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


@pytest.fixture
def mocks() -> Iterator[None]:
    handler = signal.getsignal(signal.SIGINT)  # a resource installs the program's SIGINT handler
    pulumi.runtime.set_mocks(Recorded(), preview=False)
    yield
    signal.signal(signal.SIGINT, handler)


@pytest.mark.usefixtures("mocks")
@pulumi.runtime.test
def test_every_call_form_registers_the_same_inputs() -> pulumi.Output[Any]:
    from providers.opsgenie import Schedule

    opts = pulumi.ResourceOptions(protect=False)
    forms = [
        Schedule("a", ScheduleArgs(name="s", timezone="UTC"), opts),
        Schedule("b", name="s", timezone="UTC", opts=opts),
        Schedule("c", opts, name="s", timezone="UTC"),  # the earlier form: opts second
    ]

    def same(values: list[Any]) -> None:
        assert values == [["s", "UTC"]] * 3

    return pulumi.Output.all(*[pulumi.Output.all(r.name, r.timezone) for r in forms]).apply(same)
