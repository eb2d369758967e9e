"""``python -m stacks drift``: what changed in the live accounts since the stack's last ``up``.

Runs ``pulumi refresh --preview-only`` on the stack: every resource's provider reads its live
object (the same ``read`` as ``pulumi refresh``; GETs and list calls only) and the engine
reports the result without saving it. So nothing is written to the APIs or to the state. The
refresh's events carry each resource's state before and after the read; every field whose
value differs is reported, down to the element (``rotations[0].participants[1].username``),
and a resource whose object is gone is reported as deleted.

Exit status: 0 when nothing drifted, 1 on drift, 2 when the check itself failed (the CLI, the
backend, an API or a credential) — meant for a scheduled CI job.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from stacks.stack import Stack

DYNAMIC = "pulumi-python:dynamic"
DELETED = "(deleted)"


@dataclass(frozen=True)
class Drift:
    """One field of one resource whose live value differs from the state."""

    resource: str
    type: str
    field: str
    state: Any
    live: Any


def field_changes(old: Any, new: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """``(path, old, new)`` for each difference, down through dicts and same-length lists."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            yield from field_changes(old.get(key), new.get(key), f"{path}.{key}" if path else str(key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from field_changes(a, b, f"{path}[{i}]")
    else:
        yield path, old, new


def own_inputs(inputs: Any) -> dict[str, Any]:
    """A resource's own inputs (no ``__provider``, no ``__import_id``)."""
    return {k: v for k, v in (inputs or {}).items() if not k.startswith("__")}


def drifts_of(events: list[dict[str, Any]]) -> list[Drift]:
    """The drifted fields in a refresh's engine events (``--event-log``)."""
    seen: dict[str, list[Drift]] = {}
    for event in events:
        meta = (event.get("resourcePreEvent") or event.get("resOutputsEvent") or {}).get("metadata")
        if not meta or not str(meta.get("type", "")).startswith(DYNAMIC) or not meta.get("old"):
            continue
        urn, type_ = str(meta["urn"]), str(meta["type"]).removeprefix(f"{DYNAMIC}/")
        name = urn.rsplit("::", 1)[-1]
        new = meta.get("new")
        if not new or meta.get("op") in ("delete", "discard"):
            found = [Drift(name, type_, DELETED, meta["old"].get("id"), None)]
        else:
            old_inputs, new_inputs = own_inputs(meta["old"].get("inputs")), own_inputs(new.get("inputs"))
            found = [Drift(name, type_, f, a, b) for f, a, b in field_changes(old_inputs, new_inputs)]
        seen[urn] = found  # the outputs event, when there is one, is the final word
    return [d for found in seen.values() for d in found]


def check(stack: Stack) -> list[Drift]:
    """Refresh-preview the stack; the drifted fields (``PulumiError`` when the check fails)."""
    with tempfile.TemporaryDirectory(prefix="drift-") as tmp:
        log = Path(tmp) / "events.jsonl"
        # The engine's own events carry each resource's state before and after the read. The CLI
        # writes them with --event-log once PULUMI_DEBUG_COMMANDS is set, as the Automation API
        # does for its own event stream; `--json`'s digest keeps a refreshed state only when the
        # provider's diff is detailed, which a dynamic provider's is not.
        stack.pulumi.run(
            "refresh", "--preview-only", "--event-log", str(log), env={"PULUMI_DEBUG_COMMANDS": "true"}
        )
        events = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    return drifts_of(events)


def _cell(value: Any) -> str:
    text = (
        "—"
        if value is None
        else json.dumps(value, ensure_ascii=False)
        if not isinstance(value, str)
        else value
    )
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(stack: str, drifts: list[Drift]) -> str:
    """The report as a Markdown table (one row per drifted field)."""
    if not drifts:
        return f"No drift in stack `{stack}`: the live objects match the state.\n"
    rows = [f"| {d.resource} | {d.type} | {d.field} | {_cell(d.state)} | {_cell(d.live)} |" for d in drifts]
    resources = len({(d.type, d.resource) for d in drifts})
    return (
        "\n".join(
            [
                f"Drift in stack `{stack}`: {len(drifts)} field(s) of {resources} resource(s) "
                "differ from the state.",
                "",
                "| resource | type | field | state | live |",
                "| --- | --- | --- | --- | --- |",
                *rows,
                "",
                "`pulumi up --refresh` puts the program's values back; or edit the definitions to match.",
            ]
        )
        + "\n"
    )


def as_json(stack: str, drifts: list[Drift]) -> str:
    """The report as JSON: ``{"stack", "drifted", "drifts": [{resource, type, field, state, live}]}``."""
    return json.dumps(
        {"stack": stack, "drifted": bool(drifts), "drifts": [asdict(d) for d in drifts]}, indent=2
    )
