"""``providers.opsgenie.settings``: the region, the URL and the key, from stack config or the environment."""

from __future__ import annotations

import pytest
from pulumi.dynamic import Config as DynamicConfig
from pulumi.dynamic import ConfigureRequest

from providers.core import ConfigError
from providers.opsgenie.client import api_url
from providers.opsgenie.schedule import ScheduleProvider


def test_region_and_url_settings() -> None:
    assert api_url(None, None) == "https://api.opsgenie.com"
    assert api_url(None, "EU") == "https://api.eu.opsgenie.com"
    assert api_url("http://localhost:1/opsgenie/", "eu") == "http://localhost:1/opsgenie"  # apiUrl wins
    with pytest.raises(ValueError, match="unknown Opsgenie region 'mars'"):
        api_url(None, "mars")


def configured(raw: dict[str, str]) -> ScheduleProvider:
    provider = ScheduleProvider()
    provider.configure(ConfigureRequest(DynamicConfig(raw_config=raw, project_name="p")))
    return provider


def test_provider_settings_from_stack_config(monkeypatch: pytest.MonkeyPatch) -> None:
    for env in ("OPSGENIE_API_KEY", "OPSGENIE_API_URL", "OPSGENIE_REGION"):
        monkeypatch.delenv(env, raising=False)
    eu = configured({"opsgenie:apiKey": "k-eu", "opsgenie:region": "eu"}).client()
    assert eu.http.base_url == "https://api.eu.opsgenie.com"
    assert eu.http.session.headers["Authorization"] == "GenieKey k-eu"
    explicit = {"opsgenie:apiKey": "k", "opsgenie:region": "eu", "opsgenie:apiUrl": "http://127.0.0.1:9/og"}
    assert configured(explicit).client().http.base_url == "http://127.0.0.1:9/og"
    with pytest.raises(ConfigError, match="unknown Opsgenie region 'asia'"):
        configured({"opsgenie:apiKey": "k", "opsgenie:region": "asia"}).client()
    with pytest.raises(ConfigError, match="pulumi config set --secret opsgenie:apiKey"):
        configured({}).client()
    monkeypatch.setenv("OPSGENIE_API_KEY", "from-env")  # the fallback when the stack has none
    assert configured({}).client().http.base_url == "https://api.opsgenie.com"
