"""The docs hold together: every example runs in a test, every resource has its registry page.

An example is found as tests/support/docs_examples.py describes (a marker above each fenced ``python``
or ``sh`` block); "runs in a test" means a module under tests/ other than this one calls
``example(<page>, <name>)`` with that page and name — found by parsing every test module.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import ipaddress
import re
from urllib.parse import urlsplit

import pulumi
import pytest

from harness import REPO
from tests.support.docs_examples import RUNNABLE, blocks, example, page_path, pages, section

APIS = ("opsgenie", "imbrace", "omni")
RESOURCE_SECTIONS = ("Example", "Arguments", "Outputs", "Import", "Errors")
# Examples no test can run, and why. `make test` is what CI runs (.ci/run) — the suite cannot run
# itself; `make demo` serves the sandbox on port 8787, fixed in stacks/Pulumi.sandbox.yaml, which
# a test on a machine shared with other runs cannot take.
NOT_RUN_BY_TESTS = {("README.md", "quick-start")}


def named_in_tests() -> set[tuple[str, str]]:
    """Every ``example("<page>", "<name>")`` call with literal arguments under tests/."""
    named = set()
    for path in (REPO / "tests").rglob("*.py"):
        if path.name in ("test_docs_pages.py", "docs_examples.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and len(node.args) == 2):
                continue
            func = node.func
            called = getattr(func, "id", None) or getattr(func, "attr", "")
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if called == "example" and len(args) == 2:
                named.add((args[0], args[1]))
    return named


def test_every_runnable_block_is_marked() -> None:
    unmarked = [f"{b.page}:{b.line}" for p in pages() for b in blocks(p) if b.lang in RUNNABLE and not b.name]
    assert unmarked == [], f"python/sh blocks without <!-- example: NAME --> above them: {unmarked}"
    unlabelled = [f"{b.page}:{b.line}" for p in pages() for b in blocks(p) if not b.lang]
    assert unlabelled == [], f"fenced blocks without a language: {unlabelled}"


def test_every_example_runs_in_a_test() -> None:
    marked = {(b.page, b.name) for p in pages() for b in blocks(p) if b.name}
    named = named_in_tests()
    assert marked - named - NOT_RUN_BY_TESTS == set(), "examples that no test runs"
    assert named - marked == set(), "tests that name an example the docs no longer have"
    assert marked >= NOT_RUN_BY_TESTS


def test_the_finder_sees_blocks_and_calls() -> None:
    """The checks above would pass vacuously if the parsing found nothing."""
    assert ("opsgenie.md", "program") in named_in_tests()
    assert "Schedule(" in example("opsgenie.md", "program")
    assert len([b for b in blocks("opsgenie.md") if b.name == "program"]) >= 4


def resource_classes(api: str) -> list[str]:
    """The resource classes a provider package exports."""
    package = importlib.import_module(f"providers.{api}")
    return [
        name
        for name in package.__all__
        if inspect.isclass(obj := getattr(package, name)) and issubclass(obj, pulumi.CustomResource)
    ]


def functions(api: str) -> list[str]:
    """The functions a provider package exports."""
    package = importlib.import_module(f"providers.{api}")
    return [name for name in package.__all__ if inspect.isfunction(getattr(package, name))]


@pytest.mark.parametrize("api", APIS)
def test_every_resource_has_a_registry_section(api: str) -> None:
    page = f"{api}.md"
    text = page_path(page).read_text()
    classes = resource_classes(api)
    assert classes, f"providers.{api} exports no resource class"
    for name in classes:
        assert f"\n## {name}\n" in text, f"{page} has no '## {name}' section"
        body = section(page, f"## {name}")
        headings = re.findall(r"^### (\w+)", body, re.M)
        assert headings == list(RESOURCE_SECTIONS), f"{page}, {name}: sections {headings}"


@pytest.mark.parametrize("api", APIS)
def test_every_function_is_documented(api: str) -> None:
    page = f"{api}.md"
    body = section(page, "## Functions")
    headings = re.findall(r"^### (\w+)", body, re.M)
    assert headings == list(RESOURCE_SECTIONS), f"{page}, Functions: sections {headings}"
    names = functions(api)
    assert names, f"providers.{api} exports no function"
    missing = [name for name in names if f"`{name}" not in body]
    assert missing == [], f"{page}'s Functions section does not name {missing}"


def anchors(page: str) -> set[str]:
    """The anchors GitHub gives a page's headings (repeats get ``-1``, ``-2``, …)."""
    seen: dict[str, int] = {}
    prose = re.sub(r"^```.*?^```$", "", page_path(page).read_text(), flags=re.M | re.S)
    for heading in re.findall(r"^#+ (.+)$", prose, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        seen[slug] = seen.get(slug, -1) + 1
        if seen[slug]:
            seen[f"{slug}-{seen[slug]}"] = 0
    return set(seen)


def test_docs_links_resolve() -> None:
    """Relative links between the pages (and to files of the repository) lead somewhere."""
    broken = []
    for page in pages():
        path = page_path(page)
        for target, anchor in re.findall(r"\]\(([^)#\s]*)(?:#([^)]*))?\)", path.read_text()):
            if "://" in target:
                continue
            resolved = (path.parent / target).resolve() if target else path
            if not resolved.exists():
                broken.append(f"{page}: {target}")
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved.name):
                broken.append(f"{page}: {target}#{anchor}")
    assert broken == []


# Hosts that name no public site: loopback, this machine, the reserved test and example names.
_NOT_PUBLIC_SUFFIXES = (".local", ".localhost", ".internal", ".test", ".example", ".invalid", ".lan", ".home")


def _public_https(url: str) -> bool:
    """An https address on a public host name (not an IP literal, not a reserved or local name)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return False
    reserved = host in ("localhost", "example.com", "example.org", "example.net")
    return (
        parts.scheme == "https" and "." in host and not reserved and not host.endswith(_NOT_PUBLIC_SUFFIXES)
    )


def test_links_stay_in_the_repository_or_go_to_public_addresses() -> None:
    """A reader has the repository (or the wheel), nothing beside it: every link of README.md, docs/
    and CHANGELOG.md points into the repository or to a public https address."""
    leaving = []
    for path in [*(page_path(p) for p in pages()), REPO / "CHANGELOG.md"]:
        text = path.read_text()
        targets = re.findall(r"\]\(\s*<?([^)\s>]+)", text)  # [text](target)
        targets += re.findall(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$", text, re.M)  # [label]: target
        targets += re.findall(r"<((?:https?|file|ftp)://[^>\s]+)>", text)  # <https://…>
        for target in targets:
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                ok = _public_https(target)
            else:
                resolved = (path.parent / target.split("#", 1)[0]).resolve()
                ok = resolved.is_relative_to(REPO)
            if not ok:
                leaving.append(f"{path.relative_to(REPO)}: {target}")
    assert leaving == []


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("https://docs.opsgenie.com/docs/schedule-api", True),
        ("https://github.com/opsgenie/opsgenie-oas", True),
        ("http://docs.opsgenie.com/docs/schedule-api", False),
        ("https://127.0.0.1:8787/opsgenie", False),
        ("https://localhost/x", False),
        ("https://intranet.corp.internal/wiki", False),
        ("file:///work/shared/api-docs/opsgenie-schedules.txt", False),
    ],
)
def test_what_counts_as_a_public_address(url: str, public: bool) -> None:
    assert _public_https(url) is public
