"""What the tests and the benchmarks share: the real Pulumi engine and the sandbox as a subprocess.

:class:`Engine` drives the official Pulumi CLI through ``pulumi.automation`` in a throwaway home
and ``file://`` backend; :class:`SandboxServer` runs ``python -m sandbox`` on a free loopback port.
Nothing here imports ``tests`` (the import contract in ``pyproject.toml`` says so).
"""

from harness.engine import PASSPHRASE, REPO, TOOLS, VENV_PYTHON, Engine, EngineStack, engine_env, kill_group
from harness.sandbox import (
    IMBRACE_ORGANIZATION,
    IMBRACE_TOKEN,
    IMBRACE_USER,
    OMNI_TOKEN,
    OPSGENIE_KEY,
    OPSGENIE_READ_ONLY_KEY,
    SandboxServer,
    sandbox_settings,
)

__all__ = [
    "IMBRACE_ORGANIZATION",
    "IMBRACE_TOKEN",
    "IMBRACE_USER",
    "OMNI_TOKEN",
    "OPSGENIE_KEY",
    "OPSGENIE_READ_ONLY_KEY",
    "PASSPHRASE",
    "REPO",
    "TOOLS",
    "VENV_PYTHON",
    "Engine",
    "EngineStack",
    "SandboxServer",
    "engine_env",
    "kill_group",
    "sandbox_settings",
]
