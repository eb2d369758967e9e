"""Every invalid definition in the corpus fails at ``pulumi preview``, naming its field, before any write.

One preview per batch (see ``bad_inputs``): the engine must report every case of the batch's
resource — and nothing else — with the property path and the reason; the sandbox must have
seen no call at all (or, for the checks that read Omni's live list, reads only); no output
may show a Python traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from pulumi import automation as auto

from harness import Engine, EngineStack, SandboxServer
from tests.support.bad_inputs import BATCHES, HEADER, Batch
from tests.support.secrets import assert_no_traceback, assert_secret_absent
from tests.support.three_apis import SECRETS, sandbox_stats, three_api_stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, sandbox_server: SandboxServer) -> Iterator[EngineStack]:
    """One stack for the whole corpus: each batch replaces its program."""
    sandbox_server.reset()
    engine = Engine(tmp_path_factory.mktemp("corpus"))
    yield three_api_stack(engine, sandbox_server, "corpus", program=HEADER)


def diagnostics(output: str, batch: Batch) -> list[str]:
    """The engine's error lines about the batch's resource, from its Diagnostics section."""
    block = output.split(f"{batch.type_} ({batch.name}):\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip().startswith("error:")]


def test_the_corpus_is_large_and_names_distinct_fields() -> None:
    assert sum(len(b.cases) for b in BATCHES) >= 60
    for batch in BATCHES:
        fields = [c.field for c in batch.cases]
        assert len(set(fields)) == len(fields), batch.name


@pytest.mark.parametrize("batch", BATCHES, ids=[b.name for b in BATCHES])
def test_each_bad_input_fails_at_preview_naming_its_field(
    stack: EngineStack, sandbox_server: SandboxServer, batch: Batch
) -> None:
    stack.set_program(HEADER + batch.source)
    requests.delete(f"{sandbox_server.url}/_sandbox/stats", timeout=10).raise_for_status()
    with pytest.raises(auto.CommandError) as failed:
        stack.preview()
    output = str(failed.value)

    errors = diagnostics(output, batch)
    prefix = f"error: {batch.type_} resource '{batch.name}': property "
    missing = [
        case
        for case in batch.cases
        if not any(
            e.startswith(f"{prefix}{case.field} value ") and case.reason in e.split(" has a problem: ", 1)[1]
            for e in errors
        )
    ]
    assert not missing, f"not reported as expected: {missing}\n" + "\n".join(errors)
    assert len(errors) == len(batch.cases), "\n".join(errors)  # every case, and nothing else

    counted = sandbox_stats(sandbox_server)["requests"]
    calls = {k: v for k, v in counted.items() if not k.startswith("sandbox ")}
    writes = {k: v for k, v in calls.items() if not re.match(r"\w+ GET ", k)}
    assert writes == {}, "a write reached the API"
    if not batch.reads:
        assert calls == {}, "a check that needs no API called it"
    assert_no_traceback(output)
    for secret in SECRETS.values():
        assert_secret_absent(secret, texts=[output])
