"""``pulumi up`` of 110 resources over the three APIs while the sandbox fails 20% of the calls.

Faults, mixed and seeded: 429 with Retry-After, 500, connections dropped before or after the
API acted, and 2 s delays. The stack must converge (a second ``up`` may finish it), then
``refresh`` shows no change and the sandbox holds exactly what the state holds.
"""

from __future__ import annotations

from collections import Counter

from pulumi import automation as auto

from harness import Engine, SandboxServer
from tests.support.secrets import assert_no_traceback, assert_secret_absent
from tests.support.three_apis import (
    SECRETS,
    assert_sandbox_matches_state,
    configure,
    sandbox_stats,
    set_faults,
    three_api_stack,
)

COUNTS = {"opsgenie": 40, "imbrace": 40, "omni": 30}
TOTAL = sum(COUNTS.values())
FAULTS = {
    "p429": 0.05,
    "p500": 0.05,
    "pdrop": 0.025,
    "pdrop_after": 0.025,
    "pdelay": 0.05,
    "delay_ms": 2000,
    "retry_after_s": 1,
    "seed": 20,
}


def test_up_of_110_resources_converges_under_faults(engine: Engine, sandbox_server: SandboxServer) -> None:
    sandbox_server.reset()
    stack = three_api_stack(engine, sandbox_server, "faults")
    configure(stack, sandbox_server, "flt", **COUNTS)
    set_faults(sandbox_server, **FAULTS)

    texts: list[str] = []
    for ups in (1, 2):
        try:
            up = stack.up()
        except auto.CommandError as err:
            texts.append(str(err))
            if ups == 2:
                raise
            continue
        texts += [up.stdout, up.stderr]
        break
    diagnostics = [t.split("\nDiagnostics:\n", 1)[-1] for t in texts]  # once per message, not per line
    sent_again = sum(d.count("making nothing; sent again") for d in diagnostics)
    found = sum(d.count("answer was lost; found what it made") for d in diagnostics)
    print(f"converged after {ups} up(s); creates sent again: {sent_again}, lost answers found: {found}")
    assert sent_again, "no create failed and was sent again: the faults missed what this test is about"
    assert len(stack.resources("pulumi-python:dynamic/")) == TOTAL

    # Still under faults: refresh sees no change, and a preview plans none.
    refresh = stack.refresh()
    texts += [refresh.stdout, refresh.stderr]
    assert refresh.summary.resource_changes == {"same": TOTAL + 1}  # + the stack
    texts.append(stack.assert_no_changes().stdout)

    stats = sandbox_stats(sandbox_server)
    faults: Counter[str] = Counter()
    for key, count in stats["faults"].items():  # "<api> <kind>"
        faults[key.split()[1]] += count
    print("faults injected:", dict(faults), "of", stats["total"], "API requests")
    assert set(faults) == {"429", "500", "drop", "drop-after", "delay"}
    set_faults(sandbox_server)

    assert assert_sandbox_matches_state(stack, sandbox_server, "flt") == COUNTS
    assert_no_traceback(*texts)
    for secret in SECRETS.values():
        assert_secret_absent(secret, stack=stack, roots=[engine.root], texts=texts)
