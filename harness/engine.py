"""Drive the real Pulumi engine through ``pulumi.automation`` (tests and benchmarks).

An :class:`Engine` is a throwaway world for the CLI: its own ``PULUMI_HOME``, a
``file://`` state backend, a passphrase for secrets, update checks and plugin
downloads off (no network). :meth:`Engine.project` writes a tiny Pulumi project
whose program is the given Python source and returns an :class:`EngineStack`
with up/preview/refresh/destroy and state-inspection helpers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from harness.processes import kill_session

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / ".tools"
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
PASSPHRASE = "engine-tests-passphrase"


def engine_env(root: Path) -> dict[str, str]:
    """Environment for the CLI and its plugins, isolated under ``root``."""
    (root / "home").mkdir(parents=True, exist_ok=True)
    (root / "state").mkdir(parents=True, exist_ok=True)
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    return {
        "PATH": f"{TOOLS / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "PULUMI_HOME": str(root / "home"),
        "PULUMI_BACKEND_URL": f"file://{root / 'state'}",
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        # glog writes the CLI's verbose log files (`-v=N` without --logtostderr) to the temp dir.
        "TMPDIR": str(root / "tmp"),
    }


class EngineStack:
    """One stack of a throwaway project, driven through the Automation API."""

    def __init__(self, stack: auto.Stack, workdir: Path, env: dict[str, str]) -> None:
        self.stack = stack
        self.workdir = workdir
        self.env = env

    # --- operations -------------------------------------------------------------------
    def up(self, **kwargs: Any) -> auto.UpResult:
        """``pulumi up --yes``; raises ``auto.CommandError`` on failure."""
        return self.stack.up(color="never", **kwargs)

    def preview(self, **kwargs: Any) -> auto.PreviewResult:
        """``pulumi preview``."""
        return self.stack.preview(color="never", **kwargs)

    def assert_no_changes(self, **kwargs: Any) -> auto.PreviewResult:
        """A preview that fails when anything would change (``--expect-no-changes``)."""
        return self.stack.preview(color="never", expect_no_changes=True, **kwargs)

    def refresh(self, **kwargs: Any) -> auto.RefreshResult:
        """``pulumi refresh --yes``."""
        return self.stack.refresh(color="never", **kwargs)

    def destroy(self, **kwargs: Any) -> auto.DestroyResult:
        """``pulumi destroy --yes``."""
        return self.stack.destroy(color="never", **kwargs)

    def set_program(self, source: str) -> None:
        """Replace the program; the next operation runs the new one."""
        (self.workdir / "__main__.py").write_text(textwrap.dedent(source))

    def set_config(self, values: Mapping[str, str], secret: bool = False) -> None:
        """Set stack config (``pulumi config set [--secret]``)."""
        self.stack.set_all_config({k: auto.ConfigValue(v, secret=secret) for k, v in values.items()})

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run the pulumi CLI itself in the project directory, on this stack."""
        argv, env = self._argv(args), self.cli_env()
        return subprocess.run(argv, cwd=self.workdir, env=env, capture_output=True, text=True, check=check)

    def start_cli(self, *args: str) -> subprocess.Popen[str]:
        """Start the CLI in its own process group (see :func:`kill_group`); output in ``.stdout``."""
        return subprocess.Popen(
            self._argv(args),
            cwd=self.workdir,
            env=self.cli_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def _argv(self, args: Iterable[str]) -> list[str]:
        return [str(TOOLS / "bin" / "pulumi"), *args, "--stack", self.stack.name, "--non-interactive"]

    def cli_env(self) -> dict[str, str]:
        """The environment the CLI (and tools that run it, like ``python -m stacks recover``) runs in."""
        return {**os.environ, **self.env}

    # --- state ------------------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        """The stack's checkpoint (``pulumi stack export``) as a dict."""
        return dict(self.stack.export_stack().deployment or {})

    def export_text(self) -> str:
        """The checkpoint as ``pulumi stack export`` prints it: secrets stay encrypted.

        (``export()`` goes through the Automation API, which always adds ``--show-secrets``.)
        """
        return self.cli("stack", "export").stdout

    def resources(self, type_prefix: str = "pulumi-python:dynamic") -> list[dict[str, Any]]:
        """Resources in state whose type starts with ``type_prefix``."""
        return [r for r in self.export().get("resources", []) if r["type"].startswith(type_prefix)]

    def outputs(self) -> dict[str, Any]:
        """The stack outputs, unwrapped."""
        return {k: v.value for k, v in self.stack.outputs().items()}


def kill_group(proc: subprocess.Popen[str]) -> str:
    """SIGKILL a process started by :meth:`EngineStack.start_cli` and all it started; its output.

    The CLI's plugins run in process groups of their own, so the whole session goes (the CLI
    leads it): its process group first, then every other process of the session."""
    os.killpg(proc.pid, signal.SIGKILL)
    kill_session(proc.pid)
    out, _ = proc.communicate(timeout=30)
    return out or ""


class Engine:
    """A throwaway home and state backend for the real Pulumi CLI."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = engine_env(root)
        self.command = auto.PulumiCommand(root=str(TOOLS))

    def project(
        self,
        program: str,
        *,
        name: str = "enginetest",
        stack: str = "test",
        config: Mapping[str, str] | None = None,
        secrets: Mapping[str, str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> EngineStack:
        """A new project running ``program`` (Python source), with one stack."""
        workdir = self.root / "projects" / f"{name}-{stack}"
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "Pulumi.yaml").write_text(
            f"name: {name}\nruntime:\n  name: python\n  options:\n    virtualenv: {REPO / '.venv'}\n"
        )
        (workdir / "__main__.py").write_text(textwrap.dedent(program))
        full_env = {**self.env, **(env or {})}
        ws = auto.LocalWorkspace(work_dir=str(workdir), pulumi_command=self.command, env_vars=full_env)
        st = auto.Stack.create_or_select(stack, ws)
        es = EngineStack(st, workdir, full_env)
        if config:
            es.set_config(config)
        if secrets:
            es.set_config(secrets, secret=True)
        return es
