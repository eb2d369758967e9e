"""``providers.imbrace.functions`` against the sandbox, with the settings of a program (environment)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness import SandboxServer
from providers.core import NotFoundError
from providers.imbrace import get_scheduler, get_scheduler_file, list_schedulers
from providers.imbrace.client import ImbraceClient, Upload
from providers.imbrace.settings import ImbraceSettings
from tests.support.imbrace import use_sandbox
from tests.unit.test_imbrace_client import BODY


@pytest.fixture
def env(sandbox_server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The functions' configuration through the environment variables."""
    sandbox_server.reset()
    use_sandbox(monkeypatch, sandbox_server)
    yield


# ---- functions -------------------------------------------------------------------------------
@pytest.mark.usefixtures("env")
def test_functions_list_get_and_get_file() -> None:
    everything = list_schedulers()
    assert {s.id for s in everything} == {"66e400607c85c0dc11b46f21", "66e17484412c29cf84c39898"}
    assert [s.name for s in list_schedulers("board_automation")] == [
        "Board Automation - Jane - Facebook 16 days "
    ]
    assert len(list_schedulers(["board_automation", "whatsapp"])) == 2
    assert list_schedulers(["telegram_outbound"]) == []
    assert len(list_schedulers([])) == 2

    one = get_scheduler("66e17484412c29cf84c39898")
    assert (one.name, one.trigger_frequency_unit, one.is_paused) == ("testing schedule", "minutes", False)
    with pytest.raises(NotFoundError, match="Scheduler not found"):
        get_scheduler("0123456789abcdef01234567")

    client = ImbraceClient(ImbraceSettings.resolve(lambda _k, env: __import__("os").environ.get(env)))
    made = client.create_scheduler_with_files(BODY, [Upload("hours.txt", b"9-18")])
    file = get_scheduler_file(made.id, made.files[0].file_id)
    assert (file.file_name, file.file_size, file.file_type) == ("hours.txt", 4, "text/plain")
