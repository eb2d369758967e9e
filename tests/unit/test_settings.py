"""Bad provider settings fail ``check`` — i.e. ``pulumi preview`` — naming the config key and the
environment variable, before any API call: a missing credential, a URL that would send one in clear
text, and (Omni, whose check reads the list) a credential the API refuses."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from providers._http import ApiError
from providers.imbrace.scheduler import SchedulerProvider
from providers.omni.client import shared_cache
from providers.omni.schedule import OmniScheduleProvider
from providers.omni.schedule_trigger import OmniScheduleTriggerProvider
from providers.opsgenie.schedule import ScheduleProvider
from providers.opsgenie.schedule_override import ScheduleOverrideProvider
from providers.opsgenie.schedule_rotation import ScheduleRotationProvider
from tests.conftest import SandboxServer

ENV = (
    "OPSGENIE_API_KEY",
    "OPSGENIE_API_URL",
    "OPSGENIE_REGION",
    "IMBRACE_ACCESS_TOKEN",
    "IMBRACE_ORGANIZATION_ID",
    "IMBRACE_USER_ID",
    "IMBRACE_API_URL",
    "IMBRACE_ENVIRONMENT",
    "OMNI_BASE_URL",
    "OMNI_API_TOKEN",
)
ORDERS = "61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc"
OPSGENIE_SCHEDULE = {"name": "settings-test"}
IMBRACE_SCHEDULER = {
    "name": "x",
    "event_type": "whatsapp",
    "trigger_frequency_unit": "days",
    "trigger_frequency_value": 1,
    "job": {"type": "kafka", "topic": "T"},
}
ROTATION = {
    "schedule_id": ORDERS,
    "start_date": "2026-01-05T09:00:00Z",
    "type": "daily",
    "participants": [{"type": "none"}],
}
OVERRIDE = {
    "schedule_id": ORDERS,
    "alias": "a",
    "user": {"type": "none"},
    "start_date": "2026-01-05T09:00:00Z",
    "end_date": "2026-01-06T09:00:00Z",
}

# (provider, valid inputs, config that is complete except for the credential, key, env var)
CASES = [
    (
        ScheduleProvider,
        OPSGENIE_SCHEDULE,
        {"opsgenie:apiUrl": "http://127.0.0.1:9"},
        "opsgenie:apiKey",
        "OPSGENIE_API_KEY",
    ),
    (ScheduleRotationProvider, ROTATION, {}, "opsgenie:apiKey", "OPSGENIE_API_KEY"),
    (ScheduleOverrideProvider, OVERRIDE, {}, "opsgenie:apiKey", "OPSGENIE_API_KEY"),
    (
        SchedulerProvider,
        IMBRACE_SCHEDULER,
        {"imbrace:apiUrl": "http://127.0.0.1:9", "imbrace:organizationId": "o", "imbrace:userId": "u"},
        "imbrace:accessToken",
        "IMBRACE_ACCESS_TOKEN",
    ),
    (
        OmniScheduleProvider,
        {"schedule_id": ORDERS},
        {"omni:baseUrl": "http://127.0.0.1:9"},
        "omni:apiToken",
        "OMNI_API_TOKEN",
    ),
    (
        OmniScheduleTriggerProvider,
        {"schedule_id": ORDERS},
        {"omni:baseUrl": "http://127.0.0.1:9"},
        "omni:apiToken",
        "OMNI_API_TOKEN",
    ),
]


@pytest.fixture(autouse=True)
def no_settings_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def configured(provider_class: type, config: dict[str, Any]) -> Any:
    provider = provider_class()
    provider.configure(ConfigureRequest(Config(config, "p")))
    return provider


def reasons(result: Any) -> dict[str, str]:
    return {f.property: f.reason for f in result.failures}


@pytest.mark.parametrize(("provider_class", "inputs", "config", "key", "env"), CASES)
def test_a_missing_credential_fails_check_naming_key_and_env_var(
    provider_class: type, inputs: dict[str, Any], config: dict[str, str], key: str, env: str
) -> None:
    result = configured(provider_class, config).check({}, inputs)
    found = reasons(result)
    assert list(found) == [""], found  # about the provider, not a field
    assert key in found[""] and env in found[""], found


def test_the_environment_variable_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSGENIE_API_KEY", "k")
    monkeypatch.setenv("OPSGENIE_API_URL", "http://127.0.0.1:9")
    assert reasons(configured(ScheduleRotationProvider, {}).check({}, ROTATION)) == {}


@pytest.mark.parametrize(
    ("provider_class", "inputs", "config", "key", "env"),
    [
        (
            ScheduleProvider,
            OPSGENIE_SCHEDULE,
            {"opsgenie:apiUrl": "http://api.example.com"},
            "opsgenie:apiUrl",
            "OPSGENIE_API_URL",
        ),
        (
            SchedulerProvider,
            IMBRACE_SCHEDULER,
            {
                "imbrace:apiUrl": "http://gateway.example.com",
                "imbrace:organizationId": "o",
                "imbrace:userId": "u",
            },
            "imbrace:apiUrl",
            "IMBRACE_API_URL",
        ),
        (
            OmniScheduleProvider,
            {"schedule_id": ORDERS},
            {"omni:baseUrl": "http://acme.omniapp.co"},
            "omni:baseUrl",
            "OMNI_BASE_URL",
        ),
    ],
)
def test_a_plain_http_url_away_from_loopback_fails_check_naming_its_key(
    provider_class: type, inputs: dict[str, Any], config: dict[str, str], key: str, env: str
) -> None:
    secrets = {"opsgenie:apiKey": "k", "imbrace:accessToken": "t", "omni:apiToken": "t"}
    found = reasons(configured(provider_class, {**config, **secrets}).check({}, inputs))
    assert list(found) == [""], found
    assert key in found[""] and env in found[""] and "is not https" in found[""], found


def test_omni_preview_reports_a_refused_token(sandbox_server: SandboxServer) -> None:
    """Omni's check reads the schedule list: a 401 there must fail the preview, not pass it."""
    sandbox_server.reset()
    config = {"omni:baseUrl": f"{sandbox_server.url}/omni", "omni:apiToken": "not-the-token"}
    for provider_class in (OmniScheduleProvider, OmniScheduleTriggerProvider):
        provider = configured(provider_class, config)
        shared_cache(provider.client()).clear()
        found = reasons(provider.check({}, {"schedule_id": ORDERS}))
        assert list(found) == [""], found
        assert "HTTP 401" in found[""] and "omni:apiToken" in found[""] and "OMNI_API_TOKEN" in found[""]
        assert "not-the-token" not in found[""]


def test_omni_preview_still_passes_when_omni_is_unreachable() -> None:
    """No answer at all is not a refusal: the operation itself will say so (see lookup)."""
    provider = configured(
        OmniScheduleTriggerProvider, {"omni:baseUrl": "http://127.0.0.1:9", "omni:apiToken": "t"}
    )
    provider.cache = lambda: _Unreachable()  # type: ignore[method-assign]
    assert reasons(provider.check({}, {"schedule_id": ORDERS})) == {}


class _Unreachable:
    def get(self, _id: str) -> None:
        raise ApiError("omni", "GET", "/api/v1/schedules", None, "the connection failed")
