"""A dynamic resource that calls no API: the engine's floor for tests and benchmarks.

It stores its inputs as outputs and does nothing else, so a stack of ``Noop``
resources measures what the Pulumi engine and the dynamic-provider process cost
on their own. Its provider class lives in this installed module so that
``dill`` pickles it by reference (a few dozen bytes in state), not by value.
"""

from __future__ import annotations

import uuid
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider, UpdateResult


class NoopProvider(ResourceProvider):
    """Echoes inputs to outputs; ``replace_on`` names inputs whose change forces a replacement."""

    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Create: a fresh id, outputs equal to inputs."""
        return CreateResult(id_=uuid.uuid4().hex, outs=dict(props))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Report the inputs whose values differ."""
        keys = {k for k in olds.keys() | news.keys() if not k.startswith("__")}
        changed = sorted(k for k in keys if olds.get(k) != news.get(k))
        replace_on = set(news.get("replace_on") or [])
        return DiffResult(
            changes=bool(changed),
            replaces=[k for k in changed if k in replace_on],
            stables=sorted(keys - set(changed)),
            delete_before_replace=False,
        )

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Update: outputs become the new inputs."""
        return UpdateResult(outs=dict(news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: nothing lives outside state, so the state is the truth."""
        return ReadResult(id_=id_, outs=dict(props))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Delete: nothing to remove."""


class Noop(Resource):
    """A resource with arbitrary ``value`` input echoed as an output."""

    value: pulumi.Output[Any]

    def __init__(
        self,
        resource_name: str,
        value: pulumi.Input[Any] = None,
        replace_on: list[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(
            NoopProvider(), resource_name, {"value": value, "replace_on": replace_on or []}, opts
        )
