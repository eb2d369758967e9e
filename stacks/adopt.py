"""``python -m stacks adopt``: definition entries for what the live accounts hold and the stack does not.

Reads the accounts with the stack's own configuration and credentials, through the providers'
clients and the same record → inputs mapping that ``pulumi refresh`` uses, so the entries it
writes adopt each object on the next ``pulumi up`` without changing it (``import_id``; an Omni
schedule is adopted by its ``schedule_id``). Objects already in the stack's state or in its
definition file are left out. Entries are validated with the providers' models like any
definition; an object the models refuse is reported and left out, never written half-right.

- Opsgenie: every schedule with its rotations inline (participants named by username or name,
  time restrictions as the API has them).
- iMBRACE: every scheduler, with its attachments downloaded into ``files/imbrace/<id>/`` of the
  program directory (where Pulumi runs the providers, so the relative paths hold there).
- Omni: every schedule by id with its paused state. Omni's API lists a schedule's recipient
  count, not its recipients: ``recipients`` is left out (not managed) until you add it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import chdir
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import yaml
from pydantic import ValidationError

from providers.imbrace.client import ImbraceClient
from providers.imbrace.mapping import from_record
from providers.imbrace.scheduler import SchedulerProvider
from providers.omni.schedule import OmniScheduleProvider
from providers.opsgenie.client import identifier_type_of
from providers.opsgenie.schedule import ScheduleProvider, schedule_live
from providers.stackcli import AnyProvider
from stacks.definitions import KINDS, RESOURCE_NAME
from stacks.stack import Stack

APIS = ("opsgenie", "imbrace", "omni")
FILES_DIR = Path("files") / "imbrace"
"""Where attachments go, relative to the program directory."""


@dataclass(frozen=True)
class Found:
    """One live object to adopt: its definition entry (without ``resource``) and what names it."""

    api: str
    kind: str
    id: str
    name: str
    entry: dict[str, Any]


@dataclass
class Known:
    """What the stack already has: ids (state and ``import_id``s), Opsgenie names, resource names."""

    ids: set[str] = field(default_factory=set)
    opsgenie_names: set[str] = field(default_factory=set)
    resources: set[str] = field(default_factory=set)

    def has(self, found: Found) -> bool:
        """Whether ``found`` is already managed or defined."""
        return found.id in self.ids or (found.api == "opsgenie" and found.name in self.opsgenie_names)


def known(definitions: dict[str, Any], deployment: dict[str, Any]) -> Known:
    """What a raw definition file and a checkpoint already hold."""
    out = Known()
    for resource in deployment.get("resources") or []:
        if str(resource.get("type", "")).startswith("pulumi-python:dynamic") and resource.get("id"):
            out.ids.add(str(resource["id"]))
            if resource["type"].endswith("opsgenie:Schedule"):
                out.opsgenie_names.add(str((resource.get("outputs") or {}).get("name")))
    for kind in KINDS:
        for entry in (definitions.get(kind.api) or {}).get(kind.kind) or []:
            if not isinstance(entry, dict):
                continue
            out.resources.add(str(entry.get("resource")))
            imported = entry.get("import_id") or (entry.get("schedule_id") if kind.api == "omni" else None)
            if isinstance(imported, str):
                by_name = kind.key == "opsgenie.schedules" and identifier_type_of(imported) == "name"
                (out.opsgenie_names if by_name else out.ids).add(imported)
            if kind.key == "opsgenie.schedules" and isinstance(entry.get("name"), str):
                out.opsgenie_names.add(entry["name"])
    return out


def _validated(provider: AnyProvider, inputs: dict[str, Any]) -> dict[str, Any]:
    """The inputs as the provider normalises them (ValidationError when its model refuses them)."""
    return provider.dump(provider.inputs_model.model_validate(inputs, context=provider.validation_context()))


# ---------------------------------------------------------------- per API


def _named(ref: Any) -> Any:
    """An entity reference by username or name only (readable, and how align() keeps it)."""
    if isinstance(ref, dict) and ref.get("id") and (ref.get("username") or ref.get("name")):
        return {k: v for k, v in ref.items() if k != "id"}
    return ref


def read_opsgenie(stack: Stack, problems: list[str]) -> list[Found]:
    """Every Opsgenie schedule with its rotations."""
    provider = stack.provider(ScheduleProvider())
    found = []
    for record in provider.client().list_schedules(expand_rotations=True):
        inputs = schedule_live(record)[0]
        if "owner_team" in inputs:
            inputs["owner_team"] = _named(inputs["owner_team"])
        for rotation in inputs.get("rotations") or []:
            rotation["participants"] = [_named(p) for p in rotation.get("participants") or []]
        try:
            entry = _validated(provider, inputs)
        except ValidationError as exc:
            problems.append(f"opsgenie: schedule '{record.name}' ({record.id}) left out: {_first(exc)}")
            continue
        found.append(
            Found("opsgenie", "schedules", record.id, entry["name"], {"import_id": record.id, **entry})
        )
    return found


def _attachments(
    client: ImbraceClient, scheduler_id: str, record_files: Iterable[Any], root: Path
) -> list[str]:
    """Download a scheduler's files under the stack's files root; their paths relative to it."""
    paths = []
    # Under the program directory: files/imbrace/…; under a root of their own (imbrace:filesRoot): imbrace/….
    base = FILES_DIR if root == Path.cwd().resolve() else Path(FILES_DIR.name)
    for uploaded in record_files:
        url = uploaded.file_url or client.get_scheduler_file(scheduler_id, uploaded.file_id).file_url
        data = client.download(url)
        if data is None:
            raise ValueError(f"its file '{uploaded.name}' cannot be downloaded")
        relative = base / scheduler_id / Path(uploaded.name).name
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
        paths.append(relative.as_posix())
    return paths


def read_imbrace(stack: Stack, problems: list[str]) -> list[Found]:
    """Every iMBRACE scheduler of the configured user, attachments downloaded."""
    provider = stack.provider(SchedulerProvider())
    client = provider.client()
    found = []
    for record in client.iter_schedulers():
        inputs = from_record(record)[0]
        try:
            # Where Pulumi runs the providers: the files root and relative paths are judged from there.
            with chdir(stack.program_dir):
                inputs["files"] = _attachments(client, record.id, record.files, provider.files_root())
                entry = _validated(provider, inputs)
        except (ValidationError, ValueError) as exc:
            why = _first(exc) if isinstance(exc, ValidationError) else str(exc)
            problems.append(f"imbrace: scheduler '{record.name}' ({record.id}) left out: {why}")
            continue
        entry["files"] = inputs["files"]  # as the program gives them: paths
        if not entry["files"]:
            del entry["files"]
        found.append(
            Found("imbrace", "schedulers", record.id, record.name, {"import_id": record.id, **entry})
        )
    return found


def read_omni(stack: Stack, problems: list[str]) -> list[Found]:
    """Every Omni schedule, by id, with its paused state."""
    provider = stack.provider(OmniScheduleProvider())
    records, _total = provider.client().list_schedules()
    return [
        Found("omni", "schedules", r.id, r.name or r.id, {"schedule_id": r.id, "paused": r.paused})
        for r in records
    ]


READERS: dict[str, Callable[[Stack, list[str]], list[Found]]] = {
    "opsgenie": read_opsgenie,
    "imbrace": read_imbrace,
    "omni": read_omni,
}


def _first(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else str(err["msg"])


# ---------------------------------------------------------------- names and output


def slug(name: str) -> str:
    """A resource name from an object's name: lower-case ASCII words joined by dashes."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")


def name_resources(found: list[Found], taken: set[str]) -> list[tuple[str, Found]]:
    """A resource name per object, unique in the file; stable: objects named in (name, id) order."""
    used = set(taken)
    named = []
    for item in sorted(found, key=lambda f: (KINDS_ORDER[f"{f.api}.{f.kind}"], f.name, f.id)):
        base = slug(item.name) or f"{item.api}-{item.kind[:-1]}"
        candidate, n = base, 1
        while candidate in used or not re.match(RESOURCE_NAME, candidate):
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        named.append((candidate, item))
    return named


KINDS_ORDER = {kind.key: i for i, kind in enumerate(KINDS)}


def document(named: list[tuple[str, Found]]) -> dict[str, Any]:
    """The definition-file document holding the entries."""
    doc: dict[str, Any] = {}
    for resource, item in named:
        doc.setdefault(item.api, {}).setdefault(item.kind, []).append({"resource": resource, **item.entry})
    return doc


def merge(into: dict[str, Any], adopted: dict[str, Any]) -> dict[str, Any]:
    """``into`` (a definition file) with the adopted entries appended to its lists."""
    out = dict(into)
    for api, kinds in adopted.items():
        section = dict(out.get(api) or {})
        for kind, entries in kinds.items():
            section[kind] = [*(section.get(kind) or []), *entries]
        out[api] = section
    return out


def adopt(
    stack: Stack, apis: Iterable[str], progress: TextIO = sys.stderr
) -> tuple[dict[str, Any], list[str]]:
    """The definition entries for the objects of ``apis`` the stack does not have, and the problems."""
    path = stack.definitions_path
    current = yaml.safe_load(path.read_text()) if path.exists() else {}
    have = known(current or {}, stack.pulumi.deployment())
    problems: list[str] = []
    found: list[Found] = []
    for api in apis:
        listed = READERS[api](stack, problems)
        new = [f for f in listed if not have.has(f)]
        print(
            f"adopt: {api}: {len(listed)} read, {len(listed) - len(new)} already in the stack, "
            f"{len(new)} to adopt",
            file=progress,
            flush=True,
        )
        found += new
    return document(name_resources(found, have.resources)), problems


def render(doc: dict[str, Any], stack: str) -> str:
    """The YAML text of a definition document, with a header saying where it came from."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = f"# Adopted from the live accounts of stack '{stack}' by `python -m stacks adopt` ({when}).\n"
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)
