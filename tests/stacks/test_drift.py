"""The drift report: which fields differ, how they are shown, and the exit codes of the command.

The events come from the engine in tests/engine/test_adopt_drift.py and test_ci_pipeline.py;
here, the parts that do not need it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stacks import cli, drift

OLD = {
    "name": "platform-oncall",
    "rotations": [{"participants": [{"type": "user", "username": "alice@example.com"}], "length": 1}],
    "__provider": "blob",
}


def _event(
    old: dict[str, object] | None, new: dict[str, object] | None, op: str = "refresh"
) -> dict[str, object]:
    meta: dict[str, object] = {
        "op": op,
        "urn": "urn:pulumi:prod::schedules::pulumi-python:dynamic/opsgenie:Schedule::platform-oncall",
        "type": "pulumi-python:dynamic/opsgenie:Schedule",
        "old": {"id": "s-1", "inputs": old} if old is not None else None,
        "new": {"id": "s-1", "inputs": new} if new is not None else None,
    }
    return {"resourcePreEvent": {"metadata": meta}}


def test_nested_fields_are_named_down_to_the_element() -> None:
    new = json.loads(json.dumps(OLD))
    new["rotations"][0]["participants"][0]["username"] = "bob@example.com"
    new["description"] = "added in the UI"
    new["__provider"] = "another blob"  # not a field of the resource
    found = drift.drifts_of([_event(OLD, new)])
    assert [(d.resource, d.type, d.field, d.state, d.live) for d in found] == [
        ("platform-oncall", "opsgenie:Schedule", "description", None, "added in the UI"),
        (
            "platform-oncall",
            "opsgenie:Schedule",
            "rotations[0].participants[0].username",
            "alice@example.com",
            "bob@example.com",
        ),
    ]


def test_a_deleted_object_and_an_unchanged_one() -> None:
    assert drift.drifts_of([_event(OLD, dict(OLD))]) == []
    gone = drift.drifts_of([_event(OLD, None, op="delete")])
    assert [(d.field, d.state) for d in gone] == [(drift.DELETED, "s-1")]


def test_a_list_of_another_length_is_one_field() -> None:
    new = {**OLD, "rotations": [*OLD["rotations"], *OLD["rotations"]]}  # type: ignore[list-item]
    assert [d.field for d in drift.drifts_of([_event(OLD, new)])] == ["rotations"]


def test_markdown_table_escapes_cells() -> None:
    found = [
        drift.Drift("a", "omni:Schedule", "paused", False, True),
        drift.Drift("b", "x:Y", "name", "p|q", None),
    ]
    text = drift.markdown("prod", found)
    assert "| a | omni:Schedule | paused | false | true |" in text
    assert "| b | x:Y | name | p\\|q | — |" in text
    assert drift.markdown("prod", []).startswith("No drift in stack `prod`")


def test_the_command_exits_2_without_a_traceback_when_it_cannot_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(
        ["drift", "--stack", "prod", "--cwd", str(tmp_path), "--pulumi", str(tmp_path / "no-pulumi")]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot run") and "Traceback" not in err
    assert (
        cli.main(
            ["adopt", "--stack", "prod", "--cwd", str(tmp_path), "--pulumi", str(tmp_path / "no-pulumi")]
        )
        == 2
    )
