"""Helpers of the Omni engine tests: stacks wired to the sandbox, and where the token must not be."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SandboxServer
from tests.engine.harness import Engine, EngineStack
from tests.omni_support import TOKEN

HEADER = """
import pulumi
from providers.omni import Schedule, ScheduleArgs, ScheduleTrigger, ScheduleTriggerArgs
"""


def omni_stack(engine: Engine, sandbox: SandboxServer, program: str, name: str) -> EngineStack:
    """A stack whose program uses ``providers.omni`` against the sandbox (token as a secret)."""
    return engine.project(
        HEADER + program,
        name=name,
        config={"omni:baseUrl": sandbox.url + "/omni"},
        secrets={"omni:apiToken": TOKEN},
    )


def set_omni_program(stack: EngineStack, program: str) -> None:
    """Replace the stack's program (with the imports ``omni_stack`` adds)."""
    stack.set_program(HEADER + program)


def assert_token_nowhere(engine: Engine, stack: EngineStack, *texts: str) -> None:
    """The token is in no plain export of the state, no file under the engine's root, none of ``texts``."""
    plain = stack.export_text()
    assert '"ciphertext"' in plain and TOKEN not in plain  # the config secret stays encrypted
    for path in Path(engine.root).rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
    for text in texts:
        assert TOKEN not in text
