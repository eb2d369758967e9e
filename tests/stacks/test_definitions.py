"""``stacks.definitions``: the per-environment definition files all valid, mistakes named by file,
entry and field, and iMBRACE files kept under ``stacks/`` (section below)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from stacks import definitions
from stacks.definitions import ENVIRONMENTS, KINDS, DefinitionFileError, load, load_for_stack, references

STACKS = ["sandbox", "dev", "demo", "prod"]


@pytest.mark.parametrize("stack", STACKS)
def test_every_environment_file_is_valid(stack: str) -> None:
    defs = load_for_stack(stack)
    counts = {kind.key: len(defs.entries(kind)) for kind in KINDS}
    assert counts["opsgenie.schedules"] >= 1 and counts["imbrace.schedulers"] >= 1
    assert counts["omni.schedules"] >= 1


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "env.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _sandbox() -> dict[str, object]:
    return dict(yaml.safe_load((ENVIRONMENTS / "sandbox.yaml").read_text()))


def test_a_bad_field_names_the_file_the_entry_and_the_field(tmp_path: Path) -> None:
    data = _sandbox()
    data["opsgenie"]["schedules"][1]["rotations"][0]["type"] = "fortnightly"  # type: ignore[index]
    path = _write(tmp_path, data)
    with pytest.raises(DefinitionFileError) as err:
        load(path)
    assert str(err.value) == (
        f"{path}: opsgenie.schedules[1] (network-oncall): rotations[0].type: "
        "Input should be 'daily', 'weekly' or 'hourly'"
    )


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = _sandbox()
    data["opsgenie"]["schedules"][0]["timezone"] = "Mars/Olympus"  # type: ignore[index]
    data["imbrace"]["schedulers"][0]["trigger_frequency_value"] = 0  # type: ignore[index]
    data["omni"]["schedules"][0]["recipients"] = ["not-an-email"]  # type: ignore[index]
    with pytest.raises(DefinitionFileError) as err:
        load(_write(tmp_path, data))
    lines = str(err.value).splitlines()
    assert len(lines) == 3
    assert "opsgenie.schedules[0] (platform-oncall): timezone:" in lines[0]
    assert "imbrace.schedulers[0] (oncall-digest): trigger_frequency_value:" in lines[1]
    assert "omni.schedules[0] (orders-report): recipients[0]:" in lines[2]


def test_references_must_point_at_earlier_resources(tmp_path: Path) -> None:
    data = _sandbox()
    data["opsgenie"]["schedules"][0]["description"] = "${imbrace.schedulers.oncall-digest.id}"  # type: ignore[index]
    with pytest.raises(DefinitionFileError, match=r"opsgenie.schedules\[0\] \(platform-oncall\): reference"):
        load(_write(tmp_path, data))


def test_a_reference_defers_the_field_to_preview(tmp_path: Path) -> None:
    data = _sandbox()
    job = data["imbrace"]["schedulers"][0]["job"]  # type: ignore[index]
    assert "${opsgenie.schedules.platform-oncall.id}" in job["url"]
    load(_write(tmp_path, data))  # the URL is not judged until the id exists


def test_duplicate_resource_names_and_unknown_sections(tmp_path: Path) -> None:
    data = _sandbox()
    data["imbrace"]["schedulers"][1]["resource"] = "oncall-digest"  # type: ignore[index]
    with pytest.raises(DefinitionFileError, match="the name 'oncall-digest' is used twice"):
        load(_write(tmp_path, data))
    with pytest.raises(DefinitionFileError, match="pagerduty: Extra inputs are not permitted"):
        load(_write(tmp_path, {"pagerduty": {}}))


def test_invalid_yaml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("opsgenie: [unclosed\n")
    with pytest.raises(DefinitionFileError, match="not valid YAML"):
        load(bad)
    with pytest.raises(DefinitionFileError, match="no definition file for this stack"):
        load_for_stack("staging")


def test_references_are_found_anywhere_in_a_value() -> None:
    value = {"a": ["x ${opsgenie.schedules.s1.id} y", {"b": "${omni.schedules.o-1.schedule_id}"}]}
    assert sorted(references(value)) == [
        ("omni", "schedules", "o-1", "schedule_id"),
        ("opsgenie", "schedules", "s1", "id"),
    ]


def test_import_id_is_kept_apart_from_the_arguments(tmp_path: Path) -> None:
    data = _sandbox()
    data["opsgenie"]["schedules"][0]["import_id"] = "platform-oncall"  # type: ignore[index]
    data["imbrace"]["schedulers"][0]["import_id"] = "65f0c0ffee"  # type: ignore[index]
    defs = load(_write(tmp_path, data))
    schedule = defs.opsgenie.schedules[0]
    assert schedule.import_id == "platform-oncall"
    assert "import_id" not in schedule.args and schedule.args["name"] == "platform-oncall"
    assert defs.imbrace.schedulers[0].import_id == "65f0c0ffee"


def test_omni_entries_refuse_import_id(tmp_path: Path) -> None:
    data = _sandbox()
    data["omni"]["schedules"][0]["import_id"] = "61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc"  # type: ignore[index]
    data["omni"]["triggers"][0]["import_id"] = "x"  # type: ignore[index]
    path = _write(tmp_path, data)
    with pytest.raises(DefinitionFileError) as err:
        load(path)
    assert str(err.value).splitlines() == [
        f"{path}: omni.schedules[0] (orders-report): import_id: not used by omni.schedules: "
        "each entry is adopted by its schedule_id",
        f"{path}: omni.triggers[0] (orders-report-on-rotation-change): import_id: not used by "
        "omni.triggers: each entry imports nothing",
    ]


# ---- iMBRACE ``files`` in definition files stay under ``stacks/`` (or ``imbrace:filesRoot``).
#
# The definitions are checked before anything runs, with the providers' own models, in a temporary
# copy of ``stacks/`` (no link pointing out of the repository is ever committed).

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
    with pytest.raises(DefinitionFileError) as err:
        load(with_files(program_dir, "files/launch-notes.md", "files/leak.md"))
    assert f"{ENTRY}: files[1]: 'files/leak.md' leads outside" in str(err.value)
    assert "do-not-upload" not in str(err.value)


@pytest.mark.parametrize("path", ["../secret.env", "/etc/passwd", "~/.aws/credentials"])
def test_escapes_and_absolute_paths_are_refused(program_dir: Path, path: str) -> None:
    with pytest.raises(DefinitionFileError) as err:
        load(with_files(program_dir, path))
    assert f"{ENTRY}: files[0]: '{path}' " in str(err.value)


def test_the_stack_can_name_another_files_root(program_dir: Path) -> None:
    assets = program_dir.parent / "assets"
    assets.mkdir()
    (assets / "notes.md").write_text("notes\n")
    path = with_files(program_dir, "notes.md")
    with pytest.raises(DefinitionFileError, match="not found"):
        load(path)
    load(path, imbrace_files_root="../assets")
