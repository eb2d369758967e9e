"""No import circles anywhere in the project: the graph of every package's imports is acyclic.

The graph is grimp's (import-linter's own engine), with the imports under ``if TYPE_CHECKING:``
included: a circle only the type checker follows still ties two modules together for whoever
reads them (``providers/imbrace/client.py`` ↔ ``settings.py`` was one).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import grimp
import pytest

PACKAGES = ("providers", "sandbox", "stacks", "policies", "bench", "harness", "tests")


def circles(graph: grimp.ImportGraph, modules: Iterable[str]) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Tarjan's algorithm without recursion: (module, its imports still to visit).
        work: list[tuple[str, Iterator[str]]] = []

        def enter(module: str) -> None:
            index[module] = low[module] = len(index)
            stack.append(module)
            on_stack.add(module)
            work.append((module, iter(sorted(graph.find_modules_directly_imported_by(module)))))

        enter(start)
        while work:
            module, imports = work[-1]
            target = next(imports, None)
            if target is not None:
                if target not in index:
                    enter(target)
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1 or graph.direct_import_exists(importer=module, imported=module):
                    found.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def test_the_circle_finder_finds_a_circle_and_only_it() -> None:
    graph = grimp.ImportGraph()
    for importer, imported in [
        ("a.x", "a.y"),
        ("a.y", "a.z"),
        ("a.z", "a.x"),
        ("a.z", "a.w"),
        ("a.w", "a.v"),
    ]:
        graph.add_import(importer=importer, imported=imported)
    assert circles(graph, graph.modules) == [["a.x", "a.y", "a.z"]]
    graph.remove_import(importer="a.z", imported="a.x")
    assert circles(graph, graph.modules) == []


@pytest.fixture(scope="module")
def project() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, exclude_type_checking_imports=False)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_package_has_an_import_circle(project: grimp.ImportGraph, package: str) -> None:
    modules = {m for m in project.modules if m == package or m.startswith(f"{package}.")}
    found = [c for c in circles(project, project.modules) if set(c) & modules]
    assert found == [], " ↔ ".join(found[0])
