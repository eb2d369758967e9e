"""Drive the real Pulumi engine from tests through ``pulumi.automation``.

An :class:`Engine` is a throwaway world for the CLI: its own ``PULUMI_HOME``, a
``file://`` state backend, a passphrase for secrets, update checks and plugin
downloads off (no network). :meth:`Engine.project` writes a tiny Pulumi project
whose program is the given Python source and returns an :class:`EngineStack`
with up/preview/refresh/import/destroy and state-inspection helpers.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import signal
import subprocess
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

from pulumi import automation as auto

REPO = Path(__file__).resolve().parents[2]
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


def sandbox_settings(url: str) -> tuple[dict[str, str], dict[str, str]]:
    """Stack config pointing all three providers at the sandbox at ``url``, and their secrets."""
    config = {
        "opsgenie:apiUrl": f"{url}/opsgenie",
        "imbrace:apiUrl": f"{url}/imbrace",
        "imbrace:organizationId": "org_sandbox",
        "imbrace:userId": "u_sandbox",
        "omni:baseUrl": f"{url}/omni",
    }
    secrets = {
        "opsgenie:apiKey": "sandbox-opsgenie",
        "imbrace:accessToken": "sandbox-imbrace",
        "omni:apiToken": "sandbox-omni",
    }
    return config, secrets


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

    def import_resource(self, type_: str, name: str, id_: str) -> auto.ImportResult:
        """``pulumi import TYPE NAME ID --yes``."""
        return self.stack.import_resources(
            resources=[auto.ImportResource(type=type_, name=name, id=id_)], generate_code=False
        )

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
        """The environment the CLI (and tools that run it, like ``providers.recover``) runs in."""
        return {**os.environ, **self.env}

    # --- state ------------------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        """The stack's checkpoint (``pulumi stack export``) as a dict."""
        return dict(self.stack.export_stack().deployment)

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
    """SIGKILL a process started by :meth:`EngineStack.start_cli` and all it started; its output."""
    os.killpg(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return out or ""


TRACEBACK = "Traceback (most recent call last)"


def assert_no_traceback(*texts: str) -> None:
    """No text shows a Python traceback."""
    for text in texts:
        assert TRACEBACK not in text, text[text.index(TRACEBACK) :][:2000]


def encoded_forms(secret: str) -> dict[str, bytes]:
    """``secret`` as it would read in clear, URL-encoded, JSON-escaped, hex or base64 text.

    Base64 depends on where in the encoded data the secret starts: for each of the three
    alignments, the part of the secret that fills whole 3-byte groups encodes to a fixed string,
    found in the base64 (standard or URL-safe) of anything that holds the secret.
    """
    raw = secret.encode()
    forms = {
        "plain": raw,
        "URL-encoded": quote(secret, safe="").encode(),
        "form-encoded": quote_plus(secret).encode(),
        "JSON-escaped": json.dumps(secret)[1:-1].encode(),
        "hex": raw.hex().encode(),
    }
    for skip in range(3):
        whole = raw[skip : skip + (len(raw) - skip) // 3 * 3]
        forms[f"base64 (+{skip})"] = base64.b64encode(whole)
        forms[f"base64url (+{skip})"] = base64.urlsafe_b64encode(whole)
    return forms


def secret_lines(
    secret: str, *, texts: Mapping[str, str] | None = None, roots: Iterable[Path] = ()
) -> list[tuple[str, str]]:
    """``(where, line)`` for every line holding ``secret`` in any of its :func:`encoded_forms`:
    in the named texts, and in every file under ``roots`` (gzip files read decompressed). A form
    other than plain is named in ``where``."""
    needles = encoded_forms(secret)
    found: list[tuple[str, str]] = []

    def search(where: str, data: bytes) -> None:
        for line in data.splitlines():
            for name, needle in needles.items():
                if needle in line:
                    label = where if name == "plain" else f"{where} ({name})"
                    found.append((label, line.decode(errors="replace")))

    for name, text in (texts or {}).items():
        search(name, text.encode())
    for root in roots:
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            search(str(path), data)
    return found


def assert_secret_absent(
    secret: str, *, stack: EngineStack | None = None, roots: Iterable[Path] = (), texts: Iterable[str] = ()
) -> None:
    """``secret`` is in none of ``texts``, no file under ``roots`` and (given ``stack``) not in
    ``pulumi stack export`` as printed."""
    named = {f"text {i}": text for i, text in enumerate(texts)}
    if stack is not None:
        named["pulumi stack export"] = stack.export_text()
    leaks = secret_lines(secret, texts=named, roots=roots)
    assert not leaks, "the secret is in " + "; ".join(f"{where}: {line[:300]}" for where, line in leaks)


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
