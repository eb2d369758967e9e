"""The program-side Omni functions (list, find) and the providers' diffs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from providers.core import ConfigError
from providers.omni import find_schedule, list_schedules
from tests.conftest import SandboxServer
from tests.omni_support import ORDERS, ORDERS_2, QUERY, TOKEN, calls, seed


@pytest.fixture
def omni_env(sandbox_server: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    sandbox_server.reset()
    monkeypatch.setenv("OMNI_BASE_URL", sandbox_server.url + "/omni")
    monkeypatch.setenv("OMNI_API_TOKEN", TOKEN)
    yield sandbox_server


def test_list_schedules_walks_every_page_with_filters_and_sorting(omni_env: SandboxServer) -> None:
    seed(omni_env, 120, destinationType="webhook")
    calls(omni_env)
    webhooks = list_schedules(destination="webhook", sort_field="scheduleName", sort_direction="asc")
    assert len(webhooks) == 121 and webhooks[0].name == "Bulk 000" and webhooks[-1].name == "Orders (2)"
    assert calls(omni_env) == {"GET /api/v1/schedules": 2}
    assert [s.name for s in list_schedules(q="blob r us")] == ["⚡️🍣 Query"]  # dashboard "Blob R Us Sales"


def test_find_schedule_wants_exactly_one(omni_env: SandboxServer) -> None:
    assert find_schedule(name="Orders").id == ORDERS  # "Orders (2)" matches the search, not the name
    assert find_schedule(name="Orders (2)", identifier="12db1a0a").id == ORDERS_2
    assert find_schedule(dashboard_name="Blob R Us Sales").id == QUERY
    with pytest.raises(LookupError, match=r"2 schedules have identifier='12db1a0a': 'Orders \(2\)'"):
        find_schedule(identifier="12db1a0a")
    with pytest.raises(LookupError, match="no schedule with name='Nope'"):
        find_schedule(name="Nope")
    with pytest.raises(ValueError, match="needs a name"):
        find_schedule()


def test_functions_without_settings_say_how_to_set_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMNI_BASE_URL", raising=False)
    with pytest.raises(ConfigError, match=r"omni:baseUrl.*OMNI_BASE_URL"):
        list_schedules()
