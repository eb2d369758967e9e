"""``providers._program``: a look-up function's failure is one line Pulumi reports without a traceback."""

from __future__ import annotations

import subprocess
import sys
import threading
import types

import pulumi
import pytest

from providers import _program
from providers._http import ApiError, NotFoundError
from providers._program import LookupGone, NoMatch, ProgramConfigError, ProgramValueError, reported
from providers._settings import ConfigError


@reported("schedule '{identifier}'")
def timeline(identifier: str, *, status: int | None = 404, error: Exception | None = None) -> str:
    if error is not None:
        raise error
    raise (NotFoundError if status == 404 else ApiError)(
        "opsgenie", "GET", f"/v2/schedules/{identifier}/timeline", status, "Schedule not found", "r-1"
    )


def test_a_404_names_the_object_the_call_and_what_to_do() -> None:
    with pytest.raises(LookupGone) as err:
        timeline("oncall")
    assert isinstance(err.value, NotFoundError) and isinstance(err.value, pulumi.RunError)
    assert str(err.value) == (
        "opsgenie: schedule 'oncall' not found (GET /v2/schedules/oncall/timeline: HTTP 404: "
        "Schedule not found); if this stack manages it, it was deleted outside Pulumi: run "
        "`pulumi up --refresh` to recreate it; otherwise check the identifier (request id r-1)"
    )
    assert err.value.status == 404 and "\n" not in str(err.value)


@pytest.mark.parametrize("status", [None, 400, 401, 403, 409, 422, 429, 500, 502, 503])
def test_every_other_failure_is_a_catchable_api_error_and_a_run_error(status: int | None) -> None:
    with pytest.raises(ApiError) as err:
        timeline("oncall", status=status)
    assert isinstance(err.value, pulumi.RunError) and not isinstance(err.value, NotFoundError)
    assert err.value.status == status
    text = str(err.value)
    assert text.startswith("opsgenie: schedule 'oncall' could not be read (GET ") and "\n" not in text
    assert text.count(";") >= 1  # what to do follows the facts


def test_settings_and_argument_errors_are_run_errors_of_their_own_class() -> None:
    with pytest.raises(ProgramConfigError, match="set opsgenie:apiKey") as config:
        timeline("x", error=ConfigError("set opsgenie:apiKey"))
    assert isinstance(config.value, ConfigError)
    with pytest.raises(ProgramValueError, match=r"^timeline: interval should be positive$"):
        timeline("x", error=ValueError("interval should be positive"))
    with pytest.raises(NoMatch):  # a RunError already: passed on as it is
        timeline("x", error=NoMatch("none"))


@pytest.mark.parametrize(
    ("runner", "exit_code", "ours", "expected"),
    [
        ("/x/.tools/bin/pulumi-language-python-exec", 1, True, [32]),  # ours was reported: "already reported"
        ("/x/.tools/bin/pulumi-language-python-exec", 1, False, []),  # another program's RunError: left alone
        ("/x/.tools/bin/pulumi-language-python-exec", 0, True, []),  # the program caught it and succeeded
        ("/x/.tools/bin/pulumi-language-python-exec", 32, True, []),  # another failure, reported already
        ("/x/my_script.py", 1, True, []),  # another runner: left alone
    ],
)
def test_the_exit_hook_turns_only_the_runners_reported_failure_into_32(
    monkeypatch: pytest.MonkeyPatch, runner: str, exit_code: int, ours: bool, expected: list[int]
) -> None:
    exits: list[int] = []
    reported = threading.Event()
    if ours:
        reported.set()
    monkeypatch.setattr(_program, "_REPORTED", reported)
    main = types.ModuleType("__main__")
    main.__file__ = runner
    main.exit_code = exit_code  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "__main__", main)
    monkeypatch.setattr(_program.os, "_exit", exits.append)
    _program._exit_already_reported()
    assert exits == expected


def test_the_exit_hook_is_registered_at_import_before_any_program_handler() -> None:
    # atexit runs handlers last in, first out: a handler the program registers after importing
    # providers (here, before a look-up fails) runs before the hook's os._exit(32) ends the process.
    code = (
        "import atexit, sys, providers.opsgenie\n"
        "from providers import _program\n"
        "main = sys.modules['__main__']\n"
        "main.__file__, main.exit_code = '/x/pulumi-language-python-exec', 1\n"
        "atexit.register(lambda: print('program handler ran', flush=True))\n"
        "_program._quiet_exit()  # what a reported look-up failure does\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout) == (32, "program handler ran\n"), done.stderr
