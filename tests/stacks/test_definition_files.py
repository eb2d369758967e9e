"""iMBRACE ``files`` in definition files stay under ``stacks/`` (or ``imbrace:filesRoot``).

The definitions are checked before anything runs, with the providers' own models, in a temporary
copy of ``stacks/`` (no link pointing out of the repository is ever committed).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from stacks import definitions
from stacks.definitions import DefinitionError, load

ENTRY = "imbrace.schedulers[1] (launch-announcement)"


@pytest.fixture
def program_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of ``stacks/`` as the program directory, with a secret beside it."""
    copy = tmp_path / "stacks"
    shutil.copytree(definitions.PROGRAM_DIR, copy, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    (tmp_path / "secret.env").write_text("OPSGENIE_API_KEY=do-not-upload\n")
    monkeypatch.setattr(definitions, "PROGRAM_DIR", copy)
    return copy


def with_files(program_dir: Path, *files: str) -> Path:
    data = yaml.safe_load((program_dir / "environments" / "sandbox.yaml").read_text())
    (entry,) = [e for e in data["imbrace"]["schedulers"] if e["resource"] == "launch-announcement"]
    entry["files"] = list(files)
    path = program_dir / "environments" / "edited.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_the_environment_files_attachment_is_inside(program_dir: Path) -> None:
    load(with_files(program_dir, "files/launch-notes.md"))


def test_a_symlink_in_stacks_files_pointing_outside_is_refused(program_dir: Path) -> None:
    (program_dir / "files" / "leak.md").symlink_to(program_dir.parent / "secret.env")
    with pytest.raises(DefinitionError) as err:
        load(with_files(program_dir, "files/launch-notes.md", "files/leak.md"))
    assert f"{ENTRY}: files[1]: 'files/leak.md' leads outside" in str(err.value)
    assert "do-not-upload" not in str(err.value)


@pytest.mark.parametrize("path", ["../secret.env", "/etc/passwd", "~/.aws/credentials"])
def test_escapes_and_absolute_paths_are_refused(program_dir: Path, path: str) -> None:
    with pytest.raises(DefinitionError) as err:
        load(with_files(program_dir, path))
    assert f"{ENTRY}: files[0]: '{path}' " in str(err.value)


def test_the_stack_can_name_another_files_root(program_dir: Path) -> None:
    assets = program_dir.parent / "assets"
    assets.mkdir()
    (assets / "notes.md").write_text("notes\n")
    path = with_files(program_dir, "notes.md")
    with pytest.raises(DefinitionError, match="not found"):
        load(path)
    load(path, imbrace_files_root="../assets")
