"""``stacks.recover`` without the engine: its parsing, and what it refuses to decide."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import dill
import pytest

from bench.noop import NoopProvider
from providers.imbrace.scheduler import SchedulerProvider
from stacks.recover import Recovery, RecoveryError, Report, Resolution, checkpoint_time

INPUTS = {
    "name": "x",
    "event_type": "whatsapp",
    "type": "recurring",
    "trigger_frequency_unit": "days",
    "trigger_frequency_value": 1,
    "job": {"type": "kafka", "topic": "T"},
}


def pending(resource: str, provider: Any, **inputs: Any) -> dict[str, Any]:
    blob = base64.b64encode(dill.dumps(provider)).decode() if provider is not None else "not a pickle"
    urn = f"urn:pulumi:dev::p::pulumi-python:dynamic/imbrace:Scheduler::{resource}"
    return {"type": "creating", "resource": {"urn": urn, "inputs": {"__provider": blob, **inputs}}}


def test_the_checkpoint_time_keeps_microseconds_of_nanoseconds() -> None:
    deployment = {"manifest": {"time": "2026-11-21T20:21:44.123456789Z"}}
    assert checkpoint_time(deployment) == datetime(2026, 11, 21, 20, 21, 44, 123456, tzinfo=UTC)
    moment = checkpoint_time({"manifest": {"time": "2026-11-21T20:21:44.5+01:00"}})
    assert moment == datetime(2026, 11, 21, 19, 21, 44, 500000, tzinfo=UTC)


def test_creates_it_cannot_load_or_validate_are_unresolved() -> None:
    deployment = {
        "resources": [],
        "pending_operations": [
            pending("other", NoopProvider()),
            pending("garbage", None),
            pending("invalid", SchedulerProvider(), name=""),
            {"type": "updating", "resource": {"urn": "u"}},
        ],
    }
    outcomes = Recovery({}, "p", datetime.now(UTC)).resolve(deployment)
    assert [o.outcome for o in outcomes] == ["unresolved"] * 3
    assert "its inputs do not validate" in outcomes[2].note and deployment["resources"] == []


def test_a_create_it_cannot_look_for_stops_the_recovery(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("IMBRACE_ACCESS_TOKEN", "IMBRACE_ORGANIZATION_ID", "IMBRACE_USER_ID"):
        monkeypatch.delenv(name, raising=False)
    deployment = {"pending_operations": [pending("x", SchedulerProvider(), **INPUTS)]}
    with pytest.raises(RecoveryError, match=r"cannot look for what .*::x made: imbrace: missing settings"):
        Recovery({"imbrace:apiUrl": "http://127.0.0.1:9"}, "p", datetime.now(UTC)).resolve(deployment)


def test_the_report_says_what_happened_to_the_state() -> None:
    found = Resolution("urn:a", "found", id="1")
    assert Report().lines() == ["no pending creates: nothing to recover"]
    assert Report(outcomes=[found], imported=True).lines() == [
        "found    urn:a -> 1",
        "the state was updated; now run `pulumi refresh`, then `pulumi up`",
    ]
    held = Report(outcomes=[found, Resolution("urn:b", "unresolved", note="not ours")])
    assert held.lines()[1:] == [
        "unresolved urn:b: not ours",
        "nothing was changed: resolve the unresolved creates, or rerun with --clear-unresolved",
    ]
    assert Report(outcomes=[found], dry_run=True).lines()[-1] == "dry run: nothing was changed"


class _RunsCode:
    """Unpickling this runs ``os.mkdir(path)``, as a tampered or foreign ``__provider`` could."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        import os

        return (os.mkdir, (self.path,))


def test_a_foreign_provider_pickle_is_never_run(tmp_path: Any) -> None:
    """Only this package's providers are unpickled: anything else is unresolved, and nothing runs."""
    marker = tmp_path / "ran"
    deployment = {"resources": [], "pending_operations": [pending("evil", _RunsCode(str(marker)), **INPUTS)]}
    outcomes = Recovery({}, "p", datetime.now(UTC)).resolve(deployment)
    assert not marker.exists(), "recover ran code from a pending create's __provider"
    assert [(o.outcome, o.note) for o in outcomes] == [("unresolved", "not a resource of this package")]


def test_it_runs_as_python_m_stacks_recover_and_no_longer_from_providers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import importlib.util

    from stacks.cli import main

    assert importlib.util.find_spec("providers.recover") is None  # a state-editing CLI is no provider
    with pytest.raises(SystemExit) as done:
        main(["recover", "--help"])
    assert done.value.code == 0
    assert "python -m stacks recover" in capsys.readouterr().out
