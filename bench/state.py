"""What a stack's checkpoint weighs: ``pulumi stack export`` in bytes, per resource and per type."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import EngineStack


@dataclass(frozen=True)
class TypeSize:
    """The resources of one type in a checkpoint."""

    count: int
    bytes_each: float
    """Mean size of one resource's entry as the checkpoint stores it (compact JSON)."""
    provider_each: float
    """Mean length of its ``__provider`` input (the pickled provider, base64)."""
    trace_each: float
    """Mean size of its ``stackTrace`` and ``sourcePosition`` (the engine records them for every resource)."""
    inputs_each: float
    """Mean size of its ``inputs`` (compact JSON, ``__provider`` included)."""
    outputs_each: float
    """Mean size of its ``outputs`` (compact JSON, ``__provider`` included)."""
    sample: tuple[str, dict[str, Any], dict[str, Any]]
    """The first resource's id, inputs and outputs (what the provider process is sent)."""


@dataclass(frozen=True)
class StateSize:
    """A checkpoint's size and where it goes."""

    total: int
    """Bytes of ``pulumi stack export`` (indented JSON)."""
    checkpoint: int
    """Bytes of the checkpoint file the backend rewrites after every step (compact JSON)."""
    types: dict[str, TypeSize]

    def per_resource(self, n: int) -> float:
        """Export bytes per declared resource (the whole export divided by ``n``)."""
        return self.total / max(n, 1)

    def checkpoint_per_resource(self, n: int) -> float:
        """Checkpoint-file bytes per declared resource."""
        return self.checkpoint / max(n, 1)

    def dynamic(self) -> dict[str, TypeSize]:
        """The dynamic resources' types (ours and the no-op's), by API (``noop`` for the no-op)."""
        out = {}
        for type_, size in self.types.items():
            if type_.startswith("pulumi-python:dynamic"):
                api = type_.removeprefix("pulumi-python:dynamic").lstrip("/").split(":")[0] or "noop"
                out[api] = size
        return out


def _entry(resource: dict[str, Any], *keys: str) -> int:
    """Size of ``keys`` of a resource entry (all of it without keys) in compact JSON."""
    part = {k: resource[k] for k in keys if k in resource} if keys else resource
    return len(json.dumps(part, separators=(",", ":"))) if part else 0


def checkpoint_file(stack: EngineStack) -> Path:
    """The stack's checkpoint in the ``file://`` backend."""
    state = Path(stack.env["PULUMI_BACKEND_URL"].removeprefix("file://"))
    return next((state / ".pulumi" / "stacks").glob(f"*/{stack.stack.name}.json"))


def measure(stack: EngineStack) -> StateSize:
    """Export the stack's checkpoint (secrets stay encrypted) and size it up."""
    text = stack.cli("stack", "export").stdout
    resources = json.loads(text)["deployment"].get("resources", [])
    grouped: dict[str, list[dict[str, Any]]] = {}
    for resource in resources:
        grouped.setdefault(resource["type"], []).append(resource)
    types = {
        type_: TypeSize(
            count=len(group),
            bytes_each=sum(_entry(r) for r in group) / len(group),
            provider_each=sum(len(str(r.get("inputs", {}).get("__provider", ""))) for r in group)
            / len(group),
            trace_each=sum(_entry(r, "stackTrace", "sourcePosition") for r in group) / len(group),
            inputs_each=sum(_entry(r, "inputs") for r in group) / len(group),
            outputs_each=sum(_entry(r, "outputs") for r in group) / len(group),
            sample=(group[0].get("id", ""), group[0].get("inputs", {}), group[0].get("outputs", {})),
        )
        for type_, group in sorted(grouped.items())
    }
    return StateSize(total=len(text.encode()), checkpoint=checkpoint_file(stack).stat().st_size, types=types)
