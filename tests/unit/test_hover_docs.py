"""What an editor shows on hover stands alone: each resource's docstring has a runnable example and
says how to import (adopt) an existing object; each look-up function says what it calls."""

from __future__ import annotations

import inspect
import signal
import textwrap
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

import providers.imbrace
import providers.omni
import providers.opsgenie
from providers.kinds import KINDS

REGISTERED: list[tuple[str, str]] = []


class Recorded(pulumi.runtime.Mocks):
    """Records each resource registered (type, name); no engine."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        REGISTERED.append((args.typ, args.name))
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


def example(obj: object) -> str:
    """The code block after ``Example::`` in ``obj``'s docstring."""
    doc = inspect.getdoc(obj) or ""
    assert "Example::" in doc, f"{obj} has no example"
    block = doc.split("Example::", 1)[1].lstrip("\n")
    lines = []
    for line in block.splitlines():
        if line and not line.startswith(" "):
            break
        lines.append(line)
    return textwrap.dedent("\n".join(lines))


@pytest.fixture
def mocks() -> Iterator[None]:
    handler = signal.getsignal(signal.SIGINT)  # a resource installs the program's SIGINT handler
    pulumi.runtime.set_mocks(Recorded(), preview=False)
    REGISTERED.clear()
    yield
    signal.signal(signal.SIGINT, handler)


@pytest.mark.usefixtures("mocks")
@pytest.mark.parametrize("registered", KINDS, ids=lambda k: k.key)
def test_each_resource_docstring_has_an_example_that_runs_and_says_how_to_import(registered: Any) -> None:
    resource = registered.resource
    doc = inspect.getdoc(resource) or ""
    if registered.importable:
        assert "Import" in doc and "import_=" in doc, doc
    code = example(resource)

    @pulumi.runtime.test
    def run() -> None:
        exec(compile(code, f"<{resource.__name__} example>", "exec"), {})

    run()
    assert (f"pulumi-python:dynamic/{registered.api}:{resource.__name__}") in {t for t, _ in REGISTERED}


FUNCTIONS = [
    getattr(package, name)
    for package in (providers.opsgenie, providers.imbrace, providers.omni)
    for name in package.__all__
    if inspect.isfunction(getattr(package, name)) and not name.endswith("_output")
]


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_each_function_says_what_it_calls(function: Any) -> None:
    doc = inspect.getdoc(function) or ""
    assert "Calls " in doc or "GET " in doc, doc
