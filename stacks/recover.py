"""Resolve the creates an interrupted ``pulumi up`` left pending — find what they made, never recreate it.

When ``pulumi up`` is killed while creates are in flight, the state keeps them as *pending
creates*: Pulumi cannot know whether the API made the object. A later ``up`` creates them
again, and for an API without unique names (iMBRACE) that is a duplicate. Run this first,
once no ``pulumi`` process of the stack is left::

    python -m stacks recover --stack STACK --cancel   # in the project directory
    pulumi refresh --yes --stack STACK
    pulumi up --stack STACK

``--cancel`` runs ``pulumi cancel --yes`` (file and S3 backends keep the killed run's lock).
With a ``file://`` backend, a kill can also land while the engine rewrites the checkpoint's
``<stack>.json.attrs`` sidecar (gocloud.dev's fileblob truncates it in place, then writes it),
after which every command fails with ``failed to load checkpoint: EOF``; an unreadable sidecar
is removed first (fileblob reads a missing one as default attributes; the checkpoint is intact).

For each pending create of a resource of this package, the resource's own provider is asked
for the object the create made (``ProviderBase.find_created``, as after a lost answer):

- found: the create is completed in the state with that id (``pulumi refresh`` then reads it);
- not found: the pending create is cleared — it made nothing, the next ``up`` runs it again (an
  Omni ``Schedule`` makes nothing of its own: adopting it again is safe);
- unresolved (not a resource of this package, or inputs that no longer validate): nothing in the
  state is changed, since ``pulumi stack import`` drops *every* pending operation; exit 2 lists
  them. Resolve them by hand, or rerun with ``--clear-unresolved`` once you know they made
  nothing. A look-up that fails (the API is down) changes nothing either (exit 1).

Other pending operations (updates, deletes, reads) are dropped with the import, which is what
``pulumi refresh`` does with them anyway: the resources stay in the state and are read again.

Why not ``pulumi refresh --import-pending-creates URN ID``: the v3.259 engine turns those into
``importing`` operations and then drops them when it saves the checkpoint (its snapshot manager
carries over only the ``creating`` ones), so the object is forgotten and the next ``up`` makes
a duplicate. This tool edits the checkpoint through ``pulumi stack export`` / ``pulumi stack
import`` instead, the repair Pulumi documents for hand-edited state. Credentials come from the
stack config (read with ``pulumi config --show-secrets`` through a pipe, never written to disk)
or the providers' environment variables, as under ``pulumi up``.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import pickle
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from pydantic import ValidationError

from providers.core import UNIQUE_KEY_FREE, ApiError, CannotTell, ConfigError, LostCreate, ProviderBase
from providers.stackcli import Pulumi, PulumiError, configured

RECOVERY_WINDOW = timedelta(minutes=15)
"""How long before the interrupted run's last checkpoint a pending create may have been sent."""
PROVIDER_KEY = "__provider"


class RecoveryError(PulumiError):
    """Recovery stopped before changing the state; the message says why."""


@dataclass(frozen=True)
class Resolution:
    """What became of one pending create."""

    urn: str
    outcome: str  # "found", "cleared" or "unresolved"
    id: str | None = None
    note: str = ""

    def __str__(self) -> str:
        if self.outcome == "found":
            return f"found    {self.urn} -> {self.id}"
        if self.outcome == "cleared":
            return f"cleared  {self.urn} (nothing it made was found; the next `pulumi up` runs it again)"
        return f"unresolved {self.urn}: {self.note}"


class _OurProvidersOnly(pickle.Unpickler):
    """Unpickles a provider of this package and nothing else.

    A ``__provider`` is a dill pickle, and unpickling runs whatever the pickle names: a
    pending create of another package (or a tampered state) must not run code here. Ours
    are pickled by reference (module path and class name, then the object's plain state),
    so the only global allowed is a ``ProviderBase`` subclass from the ``providers`` package.
    """

    def find_class(self, module: str, name: str) -> Any:
        """Only ``providers.…`` classes that are providers of this package."""
        if module.split(".")[0] == "providers" and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type) and issubclass(found, ProviderBase):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a provider of this package")


def load_provider(blob: str) -> ProviderBase[Any, Any] | None:
    """The provider a ``__provider`` value holds when it is one of ours, else None (nothing else runs)."""
    try:
        provider = _OurProvidersOnly(io.BytesIO(base64.b64decode(blob, validate=True))).load()
    except Exception:  # not a pickle, or one naming anything but our providers
        return None
    return provider if isinstance(provider, ProviderBase) else None


def repair_sidecars(pulumi: Pulumi) -> list[str]:
    """With a ``file://`` backend, remove the stack's checkpoint sidecars that do not parse."""
    url = str(json.loads(pulumi.run("whoami", "--verbose", "--json", on_stack=False)).get("url", ""))
    if not url.startswith("file://"):
        return []
    stacks = Path(unquote(urlparse(url).path)) / ".pulumi" / "stacks"
    removed = []
    for sidecar in sorted(stacks.rglob(f"{pulumi.stack.rsplit('/', 1)[-1]}.json*.attrs")):
        try:
            json.loads(sidecar.read_text())
        except ValueError:
            sidecar.unlink()
            removed.append(str(sidecar))
    return removed


def checkpoint_time(deployment: dict[str, Any]) -> datetime:
    """When the checkpoint was last written (``manifest.time``, nanoseconds allowed)."""
    text = str(deployment.get("manifest", {}).get("time") or "")
    head, dot, rest = text.partition(".")
    if dot:  # keep microseconds: Python reads at most six fractional digits
        fraction = rest[: len(rest) - len(rest.lstrip("0123456789"))]
        text = f"{head}.{fraction[:6].ljust(6, '0')}{rest[len(fraction) :]}"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


class Recovery:
    """Resolves the pending creates of one exported deployment (see the module docstring)."""

    def __init__(self, config: dict[str, Any], project: str, since: datetime) -> None:
        self.config, self.project, self.since = config, project, since
        self._providers: dict[str, ProviderBase[Any, Any] | None] = {}

    def provider_of(self, resource: dict[str, Any]) -> ProviderBase[Any, Any] | None:
        """The resource's provider, configured as the engine would; None when it is not ours."""
        blob = resource.get("inputs", {}).get(PROVIDER_KEY)
        if not isinstance(blob, str):  # absent, or a secret (ours never are)
            return None
        if blob not in self._providers:
            provider = load_provider(blob)
            if provider is not None:
                configured(provider, self.config, self.project)
            self._providers[blob] = provider
        return self._providers[blob]

    def resolve(self, deployment: dict[str, Any]) -> list[Resolution]:
        """The outcome of each pending create; found ones are appended to ``deployment``'s resources."""
        resources = deployment.setdefault("resources", [])
        taken = {str(r["id"]) for r in resources if r.get("id")}
        outcomes = []
        for op in deployment.get("pending_operations") or []:
            if op.get("type") != "creating":
                continue
            outcome = self._resolve_one(op["resource"], frozenset(taken))
            outcomes.append(outcome)
            if outcome.outcome == "found" and outcome.id is not None:
                resources.append(op["resource"])  # after every resource it depends on
                taken.add(outcome.id)
        deployment["pending_operations"] = []  # as `pulumi stack import` would have it
        return outcomes

    def _resolve_one(self, resource: dict[str, Any], taken: frozenset[str]) -> Resolution:
        urn = str(resource.get("urn"))
        provider = self.provider_of(resource)
        if provider is None:
            return Resolution(urn, "unresolved", note="not a resource of this package")
        try:
            inputs = provider.parse(resource.get("inputs", {}))
        except ValidationError as exc:
            return Resolution(urn, "unresolved", note=f"its inputs do not validate: {exc}")
        # `check` recorded whether the unique key was free just before the create (see _base).
        lost = LostCreate(
            self.since, taken, key_was_free=resource.get("inputs", {}).get(UNIQUE_KEY_FREE) is True
        )
        try:
            found = provider.look_for_created(provider.client(), inputs, lost)
        except CannotTell as exc:
            return Resolution(urn, "unresolved", note=str(exc))
        except (ApiError, ConfigError, ValueError) as exc:
            raise RecoveryError(f"cannot look for what {urn} made: {exc}") from None
        if found is None:
            return Resolution(urn, "cleared")
        id_, computed = found
        resource["id"] = id_
        resource["outputs"] = {**resource.get("inputs", {}), **computed}
        return Resolution(urn, "found", id=id_)


@dataclass
class Report:
    """What ``recover`` did."""

    repaired: list[str] = field(default_factory=list)
    outcomes: list[Resolution] = field(default_factory=list)
    dry_run: bool = False
    imported: bool = False

    @property
    def unresolved(self) -> list[Resolution]:
        """The pending creates this tool cannot resolve."""
        return [o for o in self.outcomes if o.outcome == "unresolved"]

    def lines(self) -> list[str]:
        """One line per repair and per pending create, then what happened to the state."""
        repairs = [f"repaired {path} (unreadable after the kill; removed)" for path in self.repaired]
        if not self.outcomes:
            return [*repairs, "no pending creates: nothing to recover"]
        if self.imported:
            verdict = "the state was updated; now run `pulumi refresh`, then `pulumi up`"
        elif self.dry_run:
            verdict = "dry run: nothing was changed"
        else:
            verdict = "nothing was changed: resolve the unresolved creates, or rerun with --clear-unresolved"
        return [*repairs, *map(str, self.outcomes), verdict]


def recover(
    pulumi: Pulumi,
    *,
    since: datetime | None = None,
    dry_run: bool = False,
    cancel: bool = False,
    clear_unresolved: bool = False,
) -> Report:
    """Repair the checkpoint, cancel the killed run (if asked), resolve its pending creates."""
    report = Report(dry_run=dry_run)
    if not dry_run:
        report.repaired = repair_sidecars(pulumi)
        if cancel:
            pulumi.run("cancel", "--yes")
    exported = json.loads(pulumi.run("stack", "export"))
    deployment = exported.get("deployment", {})
    pending = deployment.get("pending_operations") or []
    if not any(op.get("type") == "creating" for op in pending):
        return report
    project = str(pending[0]["resource"]["urn"]).split("::")[1]
    start = since or checkpoint_time(deployment) - RECOVERY_WINDOW
    report.outcomes = Recovery(pulumi.config(), project, start).resolve(deployment)
    if not dry_run and (clear_unresolved or not report.unresolved):
        pulumi.run("stack", "import", stdin=json.dumps(exported))
        report.imported = True
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m stacks recover --stack STACK [--cancel] [--dry-run] [--clear-unresolved] …``."""
    parser = argparse.ArgumentParser(prog="python -m stacks recover", description=__doc__.split("\n")[0])
    parser.add_argument("--stack", required=True, help="the stack whose pending creates to resolve")
    parser.add_argument("--cancel", action="store_true", help="first `pulumi cancel` the killed run's lock")
    parser.add_argument("--cwd", default=os.getcwd(), help="the project directory (default: here)")
    parser.add_argument("--pulumi", default="pulumi", help="the pulumi CLI to run (default: on PATH)")
    parser.add_argument(
        "--since", type=datetime.fromisoformat, help="creates were sent after this (default: 15 min before)"
    )
    parser.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    parser.add_argument(
        "--clear-unresolved", action="store_true", help="drop the creates this tool cannot resolve, too"
    )
    args = parser.parse_args(argv)
    since = args.since.replace(tzinfo=args.since.tzinfo or UTC) if args.since else None
    pulumi = Pulumi(args.stack, args.cwd, args.pulumi)
    try:
        report = recover(
            pulumi,
            since=since,
            dry_run=args.dry_run,
            cancel=args.cancel,
            clear_unresolved=args.clear_unresolved,
        )
    except PulumiError as exc:  # RecoveryError included
        print(f"error: {exc}; no pending create was changed", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 2 if report.unresolved and not report.imported else 0
