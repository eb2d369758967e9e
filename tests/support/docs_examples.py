"""The examples of README.md and docs/*.md, as the tests that run them read them.

Every fenced ``python`` or ``sh`` block of a page carries a marker on the line above it,
``<!-- example: NAME -->``, and a test runs it through :func:`example` (``example("opsgenie.md",
"program")``). Blocks that share a name make one example, in page order: the resource sections of
an API page together make one Pulumi program. tests/unit/test_docs_pages.py fails on a block
without a marker, and on a marker that no test names in a call to :func:`example`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness import REPO

DOCS = REPO / "docs"
RUNNABLE = ("python", "sh")
"""The languages whose blocks must run in a test."""

_FENCE = re.compile(r"^```([A-Za-z0-9_+-]*)\n(.*?)^```$", re.M | re.S)
_MARKER = re.compile(r"<!-- example: ([a-z0-9-]+) -->\n$")


@dataclass(frozen=True)
class Block:
    """One fenced block of a page."""

    page: str
    """``README.md`` or a file name under docs/, e.g. ``opsgenie.md``."""
    line: int
    lang: str
    name: str | None
    """The marker's name, ``None`` when the block has none."""
    text: str


def page_path(page: str) -> Path:
    """Where a page lives: README.md at the root, the others under docs/."""
    return REPO / page if page == "README.md" else DOCS / page


def pages() -> list[str]:
    """README.md and every page under docs/."""
    return ["README.md", *sorted(p.name for p in DOCS.glob("*.md"))]


def blocks(page: str) -> list[Block]:
    """The fenced blocks of a page, each with its marker's name (if any)."""
    text = page_path(page).read_text()
    found = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()]
        marker = _MARKER.search(before[before.rfind("\n", 0, len(before) - 1) + 1 :])
        found.append(
            Block(
                page=page,
                line=text.count("\n", 0, match.start()) + 1,
                lang=match.group(1),
                name=marker.group(1) if marker else None,
                text=match.group(2),
            )
        )
    return found


def example(page: str, name: str) -> str:
    """The example ``name`` of ``page``: its blocks joined in page order."""
    parts = [b.text for b in blocks(page) if b.name == name]
    assert parts, f"{page} has no example named {name!r} (<!-- example: {name} --> above a block)"
    return "\n".join(parts)


def section(page: str, heading: str) -> str:
    """The text of ``page`` from the line ``heading`` to the next heading of the same level."""
    text = page_path(page).read_text()
    start = text.index(f"\n{heading}\n") + 1
    level = heading.split(" ", 1)[0]
    end = text.find(f"\n{level} ", start + len(heading))
    return text[start : end if end >= 0 else len(text)]


def copy_repo(dest: Path) -> None:
    """What git tracks (and new files it does not ignore), with the venv the suite runs in.

    A command of the docs that runs ``make deps`` must find that venv up to date: were it older
    than ``pyproject.toml`` or ``constraints.txt``, make would reinstall the project into it from the copy.
    """
    installed = REPO / ".venv" / ".installed"
    for source in ("pyproject.toml", "constraints.txt"):
        assert installed.exists() and installed.stat().st_mtime >= (REPO / source).stat().st_mtime, (
            f"the venv is older than {source}: run `make venv` before the engine tests"
        )
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        src = REPO / rel
        if src.is_file() and not src.is_symlink():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)  # keeps mtimes: make sees the venv as up to date
    (dest / ".venv").symlink_to(REPO / ".venv")
    # The copy sits where a clone would, with ../shared beside it (the language host's source).
    shared = REPO.parent / "shared"
    if shared.exists() and not (dest.parent / "shared").exists():
        (dest.parent / "shared").symlink_to(shared)


def plain_shell_env(home: Path, **extra: str) -> dict[str, str]:
    """A user's plain shell: system ``PATH`` (and Go's), a fresh ``HOME``, update checks off, and
    the engine built for the suite, found where scripts/install-engine caches it."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    go = shutil.which("go")
    path = os.pathsep.join(filter(None, ["/usr/local/bin:/usr/bin:/bin", go and str(Path(go).parent)]))
    return {
        "PATH": path,
        "HOME": str(home),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "ENGINE_CACHE": os.environ.get("ENGINE_CACHE", f"{cache}/pulumi-schedules/engine"),
        **extra,
    }
