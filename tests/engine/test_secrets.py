"""The three APIs' credentials appear nowhere: state, exports, verbose engine and provider logs, errors.

A sandbox of its own accepts unique credentials (so a match cannot be a coincidence). The stack
runs ``up``, ``refresh`` and a failing ``up`` with verbose logging — ``--logtostderr -v=9
--logflow`` and, for the log files, ``-v=9 --logflow`` (glog writes them to the temp dir,
which the harness puts under the engine's root with ``PULUMI_HOME``) — once with the
credentials as config secrets and once as environment variables. Every file under the
engine's root and every output is searched.

The one place a credential shows is the engine's own v=9 log of the default provider's
``Configure`` call (``sdk/go/common/resource/plugin/rpc.go``, ``MarshalProperties``: it logs
each property with ``%v``, which prints a secret's value): it exists only for config secrets,
since the engine must hand them to the provider. The test pins that exact line, so any other
appearance — or ours — fails it.

Each credential is searched in clear and encoded — URL-encoded, JSON-escaped, hex, base64 at every
alignment (``harness.encoded_forms``) — and holds characters those encodings change (``+ / = " &``),
so an encoded copy cannot pass for absent. The sandbox's own output (everything it printed) and its
data directory are searched too.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import Engine, EngineStack, SandboxServer
from tests.support.secrets import assert_no_traceback, secret_lines
from tests.support.three_apis import PROGRAM, configure, three_api_stack

# Characters that URL-encoding and JSON-escaping change, all valid in an HTTP header value.
CREDENTIALS = {
    "opsgenie:apiKey": f'og+key/{secrets.token_hex(8)}="k"&',
    "imbrace:accessToken": f'im+token/{secrets.token_hex(8)}="t"&',
    "omni:apiToken": f'om+token/{secrets.token_hex(8)}="t"&',
}
SANDBOX_ENV = {
    "SANDBOX_OPSGENIE_KEY": CREDENTIALS["opsgenie:apiKey"],
    "SANDBOX_IMBRACE_TOKEN": CREDENTIALS["imbrace:accessToken"],
    "SANDBOX_OMNI_TOKEN": CREDENTIALS["omni:apiToken"],
}
GHOST = """
Schedule("ghost-rotation", name=f"{tag}-ghost", rotations=[{"start_date": "2026-01-05T09:00:00Z",
         "type": "daily", "participants": [{"type": "user", "username": "ghost@example.com"}]}])
"""
VERBOSE = ("-v=9", "--logflow")
COUNTS = {"opsgenie": 2, "imbrace": 2, "omni": 2}


def engine_leak(secret: str) -> re.Pattern[str]:
    """The engine's v=9 log line of the provider's Configure inputs (see the module docstring),
    with the value as printed, or JSON-escaped where the engine writes its log as JSON lines."""
    label = r"RPC\[Provider\[0x[0-9a-f]+\]\.Configure\(\)\.inputs\]"
    value = "|".join(re.escape(form) for form in (secret, json.dumps(secret)[1:-1]))
    return re.compile(rf"Marshaling property for {label}: value=\{{(?:{value})\}}")


@pytest.fixture(scope="module")
def own_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    """A sandbox that accepts only this module's credentials."""
    server = SandboxServer(tmp_path_factory.mktemp("secrets") / "sandbox.db", env=SANDBOX_ENV).start()
    yield server
    server.stop()


def run_verbosely(stack: EngineStack) -> dict[str, str]:
    """up, refresh and an up that fails with an API error, all verbose; every output by name."""
    texts: dict[str, str] = {}
    for step, args in (
        ("up", ("up", "--yes", "--skip-preview", "--logtostderr", *VERBOSE)),
        ("refresh", ("refresh", "--yes", "--skip-preview", *VERBOSE)),  # logs to files
        ("failing up", ("up", "--yes", "--skip-preview", "--logtostderr", *VERBOSE)),
    ):
        if step == "failing up":
            stack.set_program(PROGRAM + GHOST)
        done = stack.cli(*args, check=False)
        assert (done.returncode != 0) == (step == "failing up"), done.stdout[-3000:]
        texts[f"{step} stdout"], texts[f"{step} stderr"] = done.stdout, done.stderr
    assert "No user exists with username [ghost@example.com]" in texts["failing up stdout"]
    return texts


@pytest.mark.parametrize("as_env", [False, True], ids=["config-secrets", "environment"])
def test_credentials_appear_nowhere(tmp_path: Path, own_sandbox: SandboxServer, as_env: bool) -> None:
    own_sandbox.reset()
    engine = Engine(tmp_path)
    stack = three_api_stack(engine, own_sandbox, "secrets", credentials=CREDENTIALS, secrets_in_env=as_env)
    configure(stack, own_sandbox, "sec", **COUNTS)
    texts = run_verbosely(stack)
    texts["pulumi stack export"] = stack.export_text()
    texts["sandbox output"] = "".join(own_sandbox.output)
    logs = [p for p in tmp_path.rglob("*") if p.is_file() and ("/tmp/" in str(p) or "/logs/" in str(p))]
    assert any("pulumi" in p.name and ".log" in p.name for p in logs), "the verbose run wrote no log file"
    assert any("Marshaling property for RPC" in t for t in texts.values()), "the logs are not verbose"

    assert_no_traceback(*texts.values())
    for key, secret in CREDENTIALS.items():
        leaks = secret_lines(secret, texts=texts, roots=[tmp_path, own_sandbox.db.parent])
        if as_env:
            assert leaks == [], f"{key} leaked: {leaks[:3]}"
            continue
        # Only the engine's own log of Configure, only in the verbose logs; never state or output.
        foreign = [(where, line) for where, line in leaks if not engine_leak(secret).search(line)]
        assert foreign == [], f"{key} leaked: {foreign[:3]}"
        places = {where.split(" (")[0] for where, _ in leaks}  # without the encoding's name
        assert all(p in ("up stderr", "failing up stderr") or "/tmp/pulumi." in p for p in places), places
        assert leaks, "the engine no longer logs the config secret: update docs/security.md's note"
