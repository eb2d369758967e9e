"""Helpers of the Omni engine tests: stacks wired to the sandbox, and where the token must not be."""

from __future__ import annotations

from tests.conftest import SandboxServer
from tests.engine.harness import Engine, EngineStack, assert_secret_absent
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
    assert '"ciphertext"' in stack.export_text()  # the config secret stays encrypted
    assert_secret_absent(TOKEN, stack=stack, roots=[engine.root], texts=texts)
