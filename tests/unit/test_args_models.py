"""One meaning per field: each resource's Args (what the user's editor shows) and its pydantic
inputs (what ``check`` validates) agree, recursively — the same keys at every depth, the same
required ones, the same types and the same docstrings (``tests/support/fields.py``)."""

from __future__ import annotations

from typing import Any, Literal, Required, TypedDict

import pytest
from pydantic import BaseModel

from providers.kinds import KINDS
from tests.support.fields import differences

# Where the resource turns the Args' value into the model's before the provider sees it.
CONVERTED = {
    "imbrace.schedulers": [
        "files[]: types differ: ('union', ('str', 'str')) ≠ "
        "('object', <class 'providers.imbrace.models.FileRef'>)"
    ],  # a path or a FileAsset, made a FileRef by Scheduler.prepare
    "omni.schedules": ["schedule_id: required in the model only"],  # from opts.import_ by Schedule.prepare
}


@pytest.mark.parametrize("registered", KINDS, ids=lambda k: k.key)
def test_the_args_and_the_inputs_model_agree_at_every_depth(registered: Any) -> None:
    found = differences(registered.resource.args_type, registered.inputs_model)
    assert found == CONVERTED.get(registered.key, [])


class _InnerArgs(TypedDict, total=False):
    kind: Required[Literal["a", "b"]]
    """Which."""
    size: int
    """How big."""


class _OuterArgs(TypedDict):
    inner: list[_InnerArgs]
    """The inner ones."""


class _Inner(BaseModel):
    kind: Literal["a", "c"]
    """Which one."""
    weight: int | None = None
    """How big."""


class _Outer(BaseModel):
    inner: list[_Inner]
    """The inner ones."""


def test_a_drift_is_named_with_its_path() -> None:
    assert differences(_OuterArgs, _Outer) == [
        "inner[].kind: docstrings differ: 'Which.' ≠ 'Which one.'",
        "inner[].kind: types differ: ('literal', ('a', 'b')) ≠ ('literal', ('a', 'c'))",
        "inner[].size: in _InnerArgs, not in _Inner",
        "inner[].weight: in _Inner, not in _InnerArgs",
    ]
