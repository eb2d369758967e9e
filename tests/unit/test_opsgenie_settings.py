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


@pytest.mark.parametrize(
    ("api_url_value", "base_url"),
    [
        # pulumi-opsgenie's documented form: a bare host, https.
        ("api.eu.opsgenie.com", "https://api.eu.opsgenie.com"),
        ("api.opsgenie.com/", "https://api.opsgenie.com"),
        # A loopback host (the sandbox served at the root): plain http, like a loopback URL.
        ("127.0.0.1:8787", "http://127.0.0.1:8787"),
        ("localhost:8787/opsgenie", "http://localhost:8787/opsgenie"),
        ("[::1]:8787", "http://[::1]:8787"),
        # Full URLs as before.
        ("https://api.eu.opsgenie.com", "https://api.eu.opsgenie.com"),
        ("http://127.0.0.1:8787/opsgenie", "http://127.0.0.1:8787/opsgenie"),
    ],
)
@pytest.mark.parametrize("source", ["config", "env"])
def test_api_url_takes_a_bare_host_like_pulumi_opsgenie(
    monkeypatch: pytest.MonkeyPatch, api_url_value: str, base_url: str, source: str
) -> None:
    for env in ("OPSGENIE_API_KEY", "OPSGENIE_API_URL", "OPSGENIE_REGION"):
        monkeypatch.delenv(env, raising=False)
    config = {"opsgenie:apiKey": "k"}
    if source == "config":
        config["opsgenie:apiUrl"] = api_url_value
    else:
        monkeypatch.setenv("OPSGENIE_API_URL", api_url_value)
    assert configured(config).client().http.base_url == base_url


@pytest.mark.parametrize(
    ("api_url_value", "problem"),
    [
        ("http://api.eu.opsgenie.com", "is not https"),  # a scheme given is kept: no silent upgrade
        ("ftp://api.opsgenie.com", "is not an http(s) URL"),
        ("user:pw@api.opsgenie.com", "must not hold a user name or password"),
    ],
)
def test_api_url_still_refuses_what_would_leak_the_key(api_url_value: str, problem: str) -> None:
    with pytest.raises(ConfigError, match="opsgenie:apiUrl") as refused:
        configured({"opsgenie:apiKey": "k", "opsgenie:apiUrl": api_url_value}).client()
    assert problem in str(refused.value) and "OPSGENIE_API_URL" in str(refused.value)
