"""The whole chain under the real engine: CLI → language host → program → dynamic provider → policy pack."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from pulumi import automation as auto

from harness import Engine

PROGRAM = """
import pulumi
from bench.noop import Noop

value = pulumi.Config().get("value") or "a"
res = Noop("one", value=value)
pulumi.export("value", res.value)
"""
POLICY_PACK = str(Path(__file__).parent / "smoke_policy")


def _value_in_state(stack) -> str:  # type: ignore[no-untyped-def]
    (res,) = stack.resources()
    return str(res["outputs"]["value"])


def test_lifecycle_up_preview_update_refresh_destroy(engine: Engine) -> None:
    stack = engine.project(PROGRAM, name="smoke")

    up = stack.up()
    assert up.summary.resource_changes == {"create": 2}
    assert stack.outputs() == {"value": "a"}

    stack.assert_no_changes()

    stack.set_config({"value": "b"})
    up = stack.up()
    assert up.summary.resource_changes is not None
    assert up.summary.resource_changes.get("update") == 1
    assert stack.outputs() == {"value": "b"}

    refresh = stack.refresh()
    assert refresh.summary.resource_changes is not None
    assert "update" not in refresh.summary.resource_changes
    stack.assert_no_changes()

    stack.destroy()
    assert stack.resources() == []


def test_provider_is_pickled_by_reference(engine: Engine) -> None:
    stack = engine.project(PROGRAM, name="pickle")
    stack.up()
    (res,) = stack.resources()
    blob = res["inputs"]["__provider"]
    assert isinstance(blob, str), "NoopProvider captures no secret, so __provider must be plain"
    raw = base64.b64decode(blob)
    assert len(raw) < 200
    assert b"bench.noop" in raw and b"NoopProvider" in raw
    # A class pickled by value carries dill's code/type constructors and the bytecode.
    assert b"dill._dill" not in raw and b"_create_code" not in raw


def test_policy_pack_denies_and_changes_nothing(engine: Engine) -> None:
    stack = engine.project(PROGRAM, name="policy", config={"value": "b"})
    stack.up(policy_packs=[POLICY_PACK])
    assert _value_in_state(stack) == "b"

    stack.set_config({"value": "forbidden"})
    with pytest.raises(auto.CommandError) as preview_err:
        stack.preview(policy_packs=[POLICY_PACK])
    assert "Noop value 'forbidden' is not allowed by the smoke policy" in str(preview_err.value)
    assert "no-forbidden-value" in str(preview_err.value)

    with pytest.raises(auto.CommandError):
        stack.up(policy_packs=[POLICY_PACK])
    assert _value_in_state(stack) == "b", "a denied update must not change anything"
