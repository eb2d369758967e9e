"""The exported surface of ``providers``, and its check against the committed snapshot and CHANGELOG.md.

The surface is what a user's program can name: per resource (``opsgenie.Schedule``), its arguments
(the fields of its ``XArgs``) and its outputs (the keys its provider registers besides them); per
public package (``providers.opsgenie``), its ``__all__``. It is read from the code as it runs, not
from the source text. ``tests/surface.json`` keeps the last accepted one:

- a name of the snapshot that the code no longer has must be listed, as ``omni.Schedule.disabled_at``
  or ``providers.omni.find_schedule``, under a ``### Removed`` heading of CHANGELOG.md in the section
  of the package's version or a later one (``[Unreleased]`` counts as later);
- a name the code has and the snapshot lacks means the snapshot is out of date.

``python -m tests.support.surface --update`` rewrites the snapshot from the code (after the
changelog says what was removed); ``python -m tests.support.surface`` checks, as the test does.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import pkgutil
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests" / "surface.json"
CHANGELOG = ROOT / "CHANGELOG.md"
PYPROJECT = ROOT / "pyproject.toml"

Surface = dict[str, Any]


def _args_of(args_type: type) -> list[str]:
    """The argument names of an ``XArgs`` (a dataclass, or a pydantic model)."""
    if dataclasses.is_dataclass(args_type):
        return [f.name for f in dataclasses.fields(args_type)]
    return list(getattr(args_type, "model_fields", {}))


def current() -> Surface:
    """The surface of the ``providers`` package importable now."""
    import pulumi.dynamic

    providers = importlib.import_module("providers")
    packages: dict[str, list[str]] = {}
    resources: dict[str, dict[str, list[str]]] = {}
    names = ["providers"] + [
        f"providers.{m.name}" for m in pkgutil.iter_modules(providers.__path__) if not m.name.startswith("_")
    ]
    for name in names:
        module = importlib.import_module(name)
        exported = getattr(module, "__all__", None)
        if exported is None:
            continue
        packages[name] = sorted(exported)
        for attr in exported:
            obj = getattr(module, attr, None)
            is_resource = isinstance(obj, type) and issubclass(obj, pulumi.dynamic.Resource)
            if not is_resource or not hasattr(obj, "args_type") or not hasattr(obj, "provider_type"):
                continue
            key = f"{name.removeprefix('providers.')}.{attr}"
            args = _args_of(obj.args_type)
            outputs = sorted(set(obj.provider_type.output_keys) - set(args))
            resources[key] = {"args": sorted(args), "outputs": outputs}
    return {"packages": packages, "resources": resources}


def names(surface: Surface) -> set[str]:
    """Every name of a surface, as CHANGELOG.md writes it."""
    found = {f"{pkg}.{n}" for pkg, exported in surface["packages"].items() for n in exported}
    for resource, members in surface["resources"].items():
        found |= {f"{resource}.{n}" for kind in ("args", "outputs") for n in members[kind]}
    return found


def removed_entries(changelog: str, since: str) -> str:
    """The text under ``### Removed`` of every section for version ``since`` or later."""
    floor = Version(since)
    kept = []
    for section in re.split(r"^## ", changelog, flags=re.M)[1:]:
        label = re.match(r"\[?([^\]\s]+)", section)
        title = label.group(1) if label else ""
        try:
            recent = title.lower() == "unreleased" or Version(title) >= floor
        except InvalidVersion:
            recent = False
        if recent:
            for part in re.split(r"^### ", section, flags=re.M)[1:]:
                if part.startswith("Removed"):
                    kept.append(part)
    return "\n".join(kept)


def problems(snapshot: Surface, now: Surface, changelog: str, version: str) -> list[str]:
    """What is wrong between the snapshot and the code: unrecorded removals, then new names."""
    recorded = removed_entries(changelog, version)
    gone = sorted(names(snapshot) - names(now))
    found = [
        f"{name} is gone from the code but not listed under '### Removed' of CHANGELOG.md's {version} "
        "section (or a later one): say what replaces it, then update the snapshot"
        for name in gone
        if not re.search(rf"`{re.escape(name)}`", recorded)
    ]
    new = sorted(names(now) - names(snapshot))
    if new:
        found.append(
            f"the snapshot lacks {', '.join(new)}: run `python -m tests.support.surface --update` "
            "and commit tests/surface.json"
        )
    return found


def package_version() -> str:
    """The package's version in pyproject.toml."""
    return str(tomllib.loads(PYPROJECT.read_text())["project"]["version"])


def main(argv: list[str] | None = None) -> int:
    """Check the code against the snapshot, or ``--update`` the snapshot."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.surface", description=__doc__)
    parser.add_argument("--update", action="store_true", help="rewrite tests/surface.json from the code")
    args = parser.parse_args(argv)
    now = current()
    snapshot = json.loads(SNAPSHOT.read_text())
    found = problems(snapshot, now, CHANGELOG.read_text(), package_version())
    if args.update:
        unrecorded = [p for p in found if " is gone from the code " in p]
        if unrecorded:  # the snapshot forgets a name only once the changelog says it went
            print("\n".join(unrecorded), file=sys.stderr)
            return 1
        SNAPSHOT.write_text(json.dumps(now, indent=2, sort_keys=True) + "\n")
        print(f"wrote {SNAPSHOT.relative_to(ROOT)}: {len(names(now))} names")
        return 0
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
