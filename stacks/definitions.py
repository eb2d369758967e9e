"""Per-environment definitions: ``stacks/environments/<stack>.yaml``, validated before anything runs.

A definition file lists, per API, the resources of one environment::

    opsgenie:
      schedules:
        - resource: ops-primary          # the Pulumi resource name, unique in its list
          name: ops-primary
          owner_team: {name: ops_team}
          rotations: [...]
    imbrace:
      schedulers:
        - resource: oncall-digest
          job: {type: webhook, method: POST,
                url: "https://hooks.example.com/oncall/${opsgenie.schedules.ops-primary.id}"}
    omni:
      schedules: [...]
      triggers: [...]

Every entry is validated with the provider's own input model, so a mistake is reported
with the file, the entry and the field — ``stacks/environments/prod.yaml:
opsgenie.schedules[0] (ops-primary): rotations[0].type: Input should be 'hourly', …`` —
before the engine creates anything. A string may refer to another resource's output as
``${<api>.<kind>.<resource>.<output>}``; references can only point at kinds created earlier
(the order of ``providers.kinds.KINDS``), which is also the order of creation.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from providers.core import UNKNOWN, field_path, unknown_paths
from providers.imbrace.models import FILES_ROOT, files_root
from providers.kinds import KINDS, Kind

__all__ = [
    "KINDS",
    "REFERENCE",
    "RESOURCE_NAME",
    "DefinitionFileError",
    "Definitions",
    "Kind",
    "load",
    "load_for_stack",
]

PROGRAM_DIR = Path(__file__).resolve().parent
ENVIRONMENTS = PROGRAM_DIR / "environments"
REFERENCE = re.compile(r"\$\{([a-z]+)\.([a-z_]+)\.([A-Za-z0-9_.-]+?)\.([a-z_]+)\}")
RESOURCE_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class Entry(BaseModel):
    """One resource: its Pulumi name plus the resource's arguments (checked by the provider's model)."""

    model_config = ConfigDict(extra="allow")
    resource: str = Field(pattern=RESOURCE_NAME, description="The Pulumi resource name.")
    import_id: str | None = Field(
        default=None,
        min_length=1,
        description="An existing object to adopt on the first `up` (the resource's id, or an "
        "Opsgenie schedule's name); ignored once the resource is in the stack's state.",
    )

    @property
    def args(self) -> dict[str, Any]:
        """The arguments, without ``resource`` and ``import_id``."""
        return dict(self.model_extra or {})


class Section(BaseModel):
    """Placeholder for a per-API section; the lists are read by :data:`KINDS`."""

    model_config = ConfigDict(extra="forbid")


class OpsgenieSection(Section):
    """Opsgenie schedules, and rotations and overrides managed on their own."""

    schedules: list[Entry] = []
    rotations: list[Entry] = []
    overrides: list[Entry] = []


class ImbraceSection(Section):
    """iMBRACE schedulers."""

    schedulers: list[Entry] = []


class OmniSection(Section):
    """Omni schedules adopted by id, and triggers."""

    schedules: list[Entry] = []
    triggers: list[Entry] = []


class Definitions(BaseModel):
    """A whole definition file."""

    model_config = ConfigDict(extra="forbid")
    description: str = ""
    opsgenie: OpsgenieSection = OpsgenieSection()
    imbrace: ImbraceSection = ImbraceSection()
    omni: OmniSection = OmniSection()

    def entries(self, kind: Kind) -> list[Entry]:
        """The entries of one kind."""
        entries: list[Entry] = getattr(getattr(self, kind.api), kind.kind)
        return entries


class DefinitionFileError(Exception):
    """A definition file is invalid; the message lists every problem, one per line."""


def references(value: Any) -> Iterator[tuple[str, str, str, str]]:
    """Every ``${api.kind.resource.output}`` in a value, as tuples."""
    if isinstance(value, str):
        for m in REFERENCE.finditer(value):
            yield m.group(1), m.group(2), m.group(3), m.group(4)
    elif isinstance(value, dict):
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def _mask_references(value: Any) -> Any:
    # A value holding a reference is unknown until the referred resource exists: the
    # provider's model judges it at preview, like any other unknown value.
    if isinstance(value, str):
        return UNKNOWN if REFERENCE.search(value) else value
    if isinstance(value, dict):
        return {k: _mask_references(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_references(v) for v in value]
    return value


def _model_problems(kind: Kind, args: dict[str, Any], context: dict[str, Any] | None) -> list[str]:
    masked = _mask_references(args)
    try:
        kind.inputs_model.model_validate(masked, context=context)
    except ValidationError as exc:
        problems = []
        unknown = unknown_paths(masked)
        for err in exc.errors():
            where = field_path(err["loc"])
            if any(tuple(err["loc"])[: len(u)] == u for u in unknown):
                continue  # the value (or what holds it) is a reference, judged once it is known
            problems.append(f"{where or '(entry)'}: {err['msg'].removeprefix('Value error, ')}")
        return problems
    return []


def validate(defs: Definitions, source: str, context: dict[str, Any] | None = None) -> None:
    """Check names, references and every entry's arguments; raise one DefinitionFileError for all.

    ``context`` is the models' validation context (the iMBRACE files root)."""
    problems: list[str] = []
    known: set[tuple[str, str, str]] = set()
    for kind in KINDS:
        names: set[str] = set()
        for i, entry in enumerate(defs.entries(kind)):
            label = f"{kind.key}[{i}] ({entry.resource})"
            if entry.resource in names:
                problems.append(f"{label}: resource: the name '{entry.resource}' is used twice in {kind.key}")
            names.add(entry.resource)
            if entry.import_id is not None and not kind.importable:
                why = "is adopted by its schedule_id" if kind.kind == "schedules" else "imports nothing"
                problems.append(f"{label}: import_id: not used by {kind.key}: each entry {why}")
            for api, k, res, _output in references(entry.args):
                if (api, k, res) not in known:
                    problems.append(
                        f"{label}: reference ${{{api}.{k}.{res}…}} names no resource defined before it"
                    )
            problems.extend(f"{label}: {p}" for p in _model_problems(kind, entry.args, context))
        known.update((kind.api, kind.kind, name) for name in names)
    if problems:
        raise DefinitionFileError("\n".join(f"{source}: {p}" for p in problems))


def load(path: Path, imbrace_files_root: str | None = None, base: Path | None = None) -> Definitions:
    """Read and validate one definition file (iMBRACE files under ``imbrace_files_root``, the
    stack's ``imbrace:filesRoot``, else the program directory ``base``, default ``stacks/``)."""
    source = _display(path)
    if not path.exists():
        raise DefinitionFileError(f"{source}: no definition file for this stack")
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise DefinitionFileError(f"{source}: not valid YAML: {exc}") from None
    try:
        defs = Definitions.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{source}: {field_path(e['loc']) or '(file)'}: {e['msg']}" for e in exc.errors()]
        raise DefinitionFileError("\n".join(lines)) from None
    # Pulumi runs the program and the providers in the program directory, so relative paths in
    # entries (iMBRACE files) are judged from there, wherever this is called from.
    with contextlib.chdir(base or PROGRAM_DIR):
        validate(defs, source, {FILES_ROOT: files_root(imbrace_files_root)})
    return defs


def load_for_stack(
    stack: str, folder: Path = ENVIRONMENTS, imbrace_files_root: str | None = None
) -> Definitions:
    """The definitions of ``stack`` (``<folder>/<stack>.yaml``)."""
    return load(folder / f"{stack}.yaml", imbrace_files_root)


def _display(path: Path) -> str:
    """The path relative to the repository when it is inside it (as users see it)."""
    try:
        return str(path.resolve().relative_to(Path(__file__).resolve().parent.parent))
    except ValueError:
        return str(path)
