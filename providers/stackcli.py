"""The ``pulumi`` CLI on one stack, for the tools that work beside ``pulumi up``.

``python -m stacks recover``, ``python -m stacks adopt`` and ``python -m stacks drift`` read
the stack's configuration and state the way the CLI has them: through the CLI itself, in the
project directory, with the user's backend and secrets provider. Secrets read here stay in
memory (a pipe), never on disk.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any, TypeVar

from pulumi.dynamic import Config, ConfigureRequest

from providers._base import ProviderBase

AnyProvider = ProviderBase[Any, Any]
"""Any provider of this package (for code outside ``providers``)."""
ProviderT = TypeVar("ProviderT", bound=AnyProvider)


class PulumiError(Exception):
    """A ``pulumi`` command failed; the message carries the CLI's own error."""


class Pulumi:
    """The ``pulumi`` CLI on one stack, in one directory."""

    def __init__(self, stack: str, cwd: str, binary: str = "pulumi") -> None:
        self.stack, self.cwd, self.binary = stack, cwd, binary

    def run(
        self, *args: str, stdin: str | None = None, on_stack: bool = True, env: dict[str, str] | None = None
    ) -> str:
        """Run a command (``env`` added to the environment); its standard output (PulumiError with
        pulumi's own message on failure)."""
        try:
            done = subprocess.run(
                [self.binary, *args, *(("--stack", self.stack) if on_stack else ()), "--non-interactive"],
                cwd=self.cwd,
                input=stdin,
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, **env} if env else None,
            )
        except OSError as exc:
            raise PulumiError(f"cannot run `{self.binary}`: {exc.strerror}") from None
        if done.returncode != 0:
            raise PulumiError(f"`pulumi {' '.join(args[:2])}` failed: {done.stderr.strip()}")
        return done.stdout

    def config(self) -> dict[str, Any]:
        """The stack's configuration, secrets in clear (kept in memory only)."""
        raw = json.loads(self.run("config", "--json", "--show-secrets"))
        return {key: entry.get("value", entry.get("objectValue")) for key, entry in raw.items()}

    def deployment(self) -> dict[str, Any]:
        """The stack's checkpoint (``pulumi stack export``'s ``deployment``)."""
        return dict(json.loads(self.run("stack", "export")).get("deployment") or {})


def configured(provider: ProviderT, config: dict[str, Any], project: str) -> ProviderT:
    """``provider`` configured with the stack's config, as the engine configures it under ``pulumi up``."""
    provider.configure(ConfigureRequest(Config(config, project)))
    return provider
