"""iMBRACE ``files`` stay in the project: what an attacker (or a careless definition) would try.

A program directory of its own under ``tmp_path`` (``project/``, with ``files/``) and a secret
outside it (``outside/credentials``): every way of naming the secret is refused at ``check``
(``pulumi preview``) under ``files[i]``, and nothing of it is read into the inputs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from providers.imbrace import models
from providers.imbrace.scheduler import SchedulerProvider, uploads

pytestmark = pytest.mark.usefixtures("credentials")

SECRET = b"[default]\naws_secret_access_key = do-not-upload\n"


def scheduler(*files: str) -> dict[str, Any]:
    return {
        "name": "with files",
        "event_type": "whatsapp",
        "trigger_frequency_unit": "days",
        "trigger_frequency_value": 1,
        "job": {"type": "kafka", "topic": "T"},
        "files": list(files),
    }


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path/project`` as the program directory (where Pulumi runs the providers)."""
    root = tmp_path / "project"
    (root / "files").mkdir(parents=True)
    (root / "files" / "notes.md").write_text("launch notes\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "credentials").write_bytes(SECRET)
    monkeypatch.chdir(root)
    return root


def failures(inputs: dict[str, Any], config: dict[str, str] | None = None) -> dict[str, str]:
    provider = SchedulerProvider()
    provider.configure(ConfigureRequest(Config(config or {}, "p")))
    result = provider.check({}, inputs)
    assert "do-not-upload" not in repr(result.inputs)
    return {f.property: f.reason for f in result.failures}


def test_a_file_in_the_project_is_attached(project: Path) -> None:
    assert failures(scheduler("files/notes.md")) == {}


def test_a_symlink_in_files_pointing_outside_is_refused(project: Path, tmp_path: Path) -> None:
    (project / "files" / "leak.md").symlink_to(tmp_path / "outside" / "credentials")
    found = failures(scheduler("files/notes.md", "files/leak.md"))
    assert list(found) == ["files[1]"], found
    assert "leads outside" in found["files[1]"] and "symbolic link" in found["files[1]"]


def test_a_symlinked_directory_pointing_outside_is_refused(project: Path, tmp_path: Path) -> None:
    (project / "files" / "elsewhere").symlink_to(tmp_path / "outside", target_is_directory=True)
    assert "leads outside" in failures(scheduler("files/elsewhere/credentials"))["files[0]"]


def test_a_symlink_within_the_project_is_fine(project: Path) -> None:
    (project / "files" / "alias.md").symlink_to(project / "files" / "notes.md")
    assert failures(scheduler("files/alias.md")) == {}


@pytest.mark.parametrize("escape", ["../outside/credentials", "files/../../outside/credentials"])
def test_dot_dot_escapes_are_refused(project: Path, escape: str) -> None:
    assert "leads outside" in failures(scheduler(escape))["files[0]"]


def test_absolute_and_home_paths_are_refused(project: Path, tmp_path: Path) -> None:
    found = failures(scheduler(str(tmp_path / "outside" / "credentials"), "~/.aws/credentials"))
    assert "is an absolute path" in found["files[0]"] and "is an absolute path" in found["files[1]"]
    inside = failures(scheduler(str(project / "files" / "notes.md")))  # even inside: paths are relative
    assert "is an absolute path" in inside["files[0]"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(project: Path) -> None:
    big = project / "files" / "big.bin"
    with big.open("wb") as handle:
        handle.truncate(models.MAX_FILE_BYTES + 1)  # sparse: nothing to write
    assert "larger than 10 MiB" in failures(scheduler("files/big.bin"))["files[0]"]
    with big.open("r+b") as handle:
        handle.truncate(models.MAX_FILE_BYTES)
    assert failures(scheduler("files/big.bin")) == {}


def test_the_stack_config_can_name_another_root(project: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared-assets"
    shared.mkdir()
    (shared / "logo.png").write_bytes(b"\x89PNG")
    assert "leads outside" in failures(scheduler("../shared-assets/logo.png"))["files[0]"]
    config = {"imbrace:filesRoot": "../shared-assets"}
    assert failures(scheduler("logo.png"), config) == {}
    assert "leads outside" in failures(scheduler("../outside/credentials"), config)["files[0]"]


def test_the_upload_checks_the_path_again(project: Path, tmp_path: Path) -> None:
    """A path swapped for a link after the preview (or a tampered state) is not read at create."""
    provider = SchedulerProvider()
    provider.configure(ConfigureRequest(Config({}, "p")))
    checked = provider.parse(provider.check({}, scheduler("files/notes.md")).inputs)
    os.remove(project / "files" / "notes.md")
    (project / "files" / "notes.md").symlink_to(tmp_path / "outside" / "credentials")
    with pytest.raises(ValueError, match=r"files\[0\]: 'files/notes.md' leads outside"):
        uploads(checked.files, provider.files_root())
