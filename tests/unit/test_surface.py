"""The exported surface (tests/surface.json) changes only with CHANGELOG.md (tests/support/surface.py).

The last cases remove an output from a temporary copy of the repository's ``providers`` and run the
check there as a developer would: it fails until the changelog's current section lists the output
under "Removed", and the snapshot cannot be updated past it either.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import REPO
from tests.support import surface

REMOVED = "omni.Schedule.recipient_count"


def test_the_code_matches_the_snapshot() -> None:
    snapshot = json.loads(surface.SNAPSHOT.read_text())
    found = surface.problems(
        snapshot, surface.current(), surface.CHANGELOG.read_text(), surface.package_version()
    )
    assert found == []


def test_the_surface_has_every_resource_with_its_arguments_and_outputs() -> None:
    now = surface.current()
    assert set(now["resources"]) >= {
        "opsgenie.Schedule",
        "opsgenie.ScheduleRotation",
        "opsgenie.ScheduleOverride",
        "imbrace.Scheduler",
        "omni.Schedule",
        "omni.ScheduleTrigger",
    }
    assert "schedule_id" in now["resources"]["omni.Schedule"]["args"]
    assert REMOVED.rsplit(".", 1)[1] in now["resources"]["omni.Schedule"]["outputs"]
    assert "Scheduler" in now["packages"]["providers.imbrace"]


def test_the_changelog_records_the_outputs_removed_in_0_1_0() -> None:
    recorded = surface.removed_entries(surface.CHANGELOG.read_text(), "0.1.0")
    for name in (
        "omni.Schedule.disabled_at",
        "imbrace.Scheduler.organization_id",
        "imbrace.Scheduler.start_date",
    ):
        assert f"`{name}`" in recorded
    for name in ("start_date", "created_by", "updated_by", "created_at", "updated_at"):
        assert f"`imbrace.Scheduler.{name}`" in recorded


CHANGELOG = """# Changelog

## [Unreleased]

### Added

- `omni.Schedule.recipient_count` is mentioned here, but not as removed.

## [0.2.0] - 2026-12-07

### Removed

- {current}

## [0.1.0] - 2026-12-02

### Removed

- {old}
"""


@pytest.mark.parametrize(
    ("current", "old", "version", "passes"),
    [
        ("nothing", "nothing", "0.2.0", False),
        (f"`{REMOVED}`: read it with `find_schedule`", "nothing", "0.2.0", True),
        ("nothing", f"`{REMOVED}`", "0.2.0", False),  # an older release's entry is not this one's
        (f"`{REMOVED}`", "nothing", "0.3.0", False),  # the version moved past the entry's section
    ],
)
def test_a_removal_needs_an_entry_in_the_current_or_a_later_section(
    current: str, old: str, version: str, passes: bool
) -> None:
    snapshot = surface.current()
    now = json.loads(json.dumps(snapshot))
    now["resources"]["omni.Schedule"]["outputs"].remove("recipient_count")
    found = surface.problems(snapshot, now, CHANGELOG.format(current=current, old=old), version)
    assert (found == []) is passes, found
    if not passes:
        assert REMOVED in found[0]


def test_a_new_name_asks_for_the_snapshot_to_be_updated() -> None:
    snapshot = surface.current()
    now = json.loads(json.dumps(snapshot))
    now["resources"]["opsgenie.Schedule"]["outputs"].append("brand_new")
    [found] = surface.problems(snapshot, now, "", "0.2.0")
    assert "opsgenie.Schedule.brand_new" in found and "--update" in found


def _copy(root: Path) -> Path:
    """providers/, the check and its inputs, in a temporary directory shaped like the repository."""
    shutil.copytree(REPO / "providers", root / "providers", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "tests" / "support").mkdir(parents=True)
    (root / "tests" / "__init__.py").write_text("")
    (root / "tests" / "support" / "__init__.py").write_text("")
    shutil.copy(REPO / "tests" / "support" / "surface.py", root / "tests" / "support" / "surface.py")
    for name in ("tests/surface.json", "CHANGELOG.md", "pyproject.toml"):
        shutil.copy(REPO / name, root / name)
    return root


def _check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The copy is the working directory, so its providers/ comes first on the path.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", "tests.support.surface", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_removing_an_output_from_a_copy_fails_until_the_changelog_says_so(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    assert _check(root).returncode == 0
    # The output disappears from the code: the provider no longer registers it.
    with (root / "providers" / "omni" / "schedule.py").open("a") as module:
        module.write(
            "\nSchedule.provider_type.output_keys = frozenset(Schedule.provider_type.output_keys - "
            '{"recipient_count"})\n'
        )

    failed = _check(root)
    assert failed.returncode == 1
    assert f"{REMOVED} is gone from the code" in failed.stderr
    refused = _check(root, "--update")
    assert refused.returncode == 1 and REMOVED in refused.stderr
    kept = json.loads((root / "tests" / "surface.json").read_text())
    assert "recipient_count" in kept["resources"]["omni.Schedule"]["outputs"]

    changelog = root / "CHANGELOG.md"
    text = changelog.read_text()
    section = text.index("\n### Removed\n", text.index("## [0.2.0]")) + len("\n### Removed\n")
    entry = f"\n- `{REMOVED}` (output): read it with `find_schedule(...).recipient_count`.\n"
    changelog.write_text(text[:section] + entry + text[section:])
    assert _check(root).returncode == 0, _check(root).stderr
    assert _check(root, "--update").returncode == 0
    snapshot = json.loads((root / "tests" / "surface.json").read_text())
    assert "recipient_count" not in snapshot["resources"]["omni.Schedule"]["outputs"]


def test_the_changelog_has_a_section_for_the_package_version() -> None:
    """A version bump comes with its section, where this release's removals must be listed."""
    version = surface.package_version()
    assert f"\n## [{version}]" in surface.CHANGELOG.read_text()
