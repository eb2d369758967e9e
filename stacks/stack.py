"""One stack of the project as the tools beside ``pulumi up`` see it (``python -m stacks adopt|drift``).

Everything comes from where ``pulumi up`` takes it: the project file in the project directory
(its ``main`` is the program directory, where Pulumi runs the program and the providers), the
stack's configuration and state through the ``pulumi`` CLI (the user's backend and secrets
provider), and the providers' own settings code configured with that configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from providers.stackcli import ProviderT, Pulumi, configured


class StackError(Exception):
    """The stack cannot be read (no project file, the CLI failed); the message says why."""


@dataclass
class Stack:
    """A stack of the Pulumi project in ``project_dir``."""

    name: str
    project_dir: Path
    pulumi: Pulumi

    @classmethod
    def open(cls, name: str, project_dir: Path, binary: str = "pulumi") -> Stack:
        """The stack ``name`` of the project in ``project_dir``."""
        return cls(name, project_dir.resolve(), Pulumi(name, str(project_dir), binary))

    @cached_property
    def project(self) -> dict[str, Any]:
        """``Pulumi.yaml``."""
        path = self.project_dir / "Pulumi.yaml"
        try:
            data = yaml.safe_load(path.read_text())
        except (OSError, yaml.YAMLError) as exc:
            raise StackError(f"{path}: cannot read the Pulumi project file: {exc}") from None
        if not isinstance(data, dict) or not data.get("name"):
            raise StackError(f"{path}: not a Pulumi project file (no name)")
        return data

    @property
    def program_dir(self) -> Path:
        """Where Pulumi runs the program and its providers (``main``, else the project directory)."""
        return (self.project_dir / str(self.project.get("main") or ".")).resolve()

    @cached_property
    def config(self) -> dict[str, Any]:
        """The stack's configuration, secrets in clear (in memory only)."""
        return self.pulumi.config()

    @property
    def definitions_path(self) -> Path:
        """The stack's definition file: ``schedules:definitions``, else ``environments/<stack>.yaml``."""
        override = self.config.get("schedules:definitions")
        if override:
            return (self.program_dir / str(override)).resolve()
        return self.program_dir / "environments" / f"{self.name}.yaml"

    def provider(self, provider: ProviderT) -> ProviderT:
        """``provider`` configured with this stack's config, as under ``pulumi up``."""
        configured(provider, self.config, str(self.project["name"]))
        return provider
