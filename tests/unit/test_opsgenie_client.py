"""``providers.opsgenie.client`` against the sandbox over real HTTP: clear errors that carry no key."""

from __future__ import annotations

import pytest

from providers._http import ApiError, NotFoundError
from tests.conftest import SandboxServer
from tests.opsgenie_support import KEY, READ_ONLY_KEY
from tests.unit.test_opsgenie_schedule import client


@pytest.fixture
def sandbox(opsgenie_sandbox: SandboxServer) -> SandboxServer:
    return opsgenie_sandbox


def test_api_errors_are_clear_and_never_carry_the_key(sandbox: SandboxServer) -> None:
    api = client(sandbox)
    with pytest.raises(ApiError) as err:
        api.create_schedule(
            {
                "name": "bad",
                "rotations": [
                    {
                        "startDate": "2024-01-01T00:00:00Z",
                        "type": "daily",
                        "participants": [{"type": "user", "username": "ghost"}],
                    }
                ],
            }
        )
    text = str(err.value)
    assert err.value.status == 422 and "schedule 'bad'" in text
    assert "rotations[0].participants[0]: No user exists with username [ghost]" in text
    assert "request id " in text and KEY not in text

    with pytest.raises(NotFoundError, match=r"schedule 'nope'.*No schedule exists with name \[nope\]"):
        api.get_schedule("nope", "name")

    with pytest.raises(ApiError) as err:
        client(sandbox, READ_ONLY_KEY).create_schedule({"name": "ro"})
    assert err.value.status == 403
    assert "the Opsgenie API key is read-only: API Key is not granted with write access." in str(err.value)
    assert READ_ONLY_KEY not in str(err.value)
    assert client(sandbox, READ_ONLY_KEY).list_schedules() == []  # reads are allowed

    with pytest.raises(ApiError, match="the Opsgenie API key was refused: Could not authenticate"):
        client(sandbox, "wrong-key").list_schedules()
