"""Each stack's Pulumi.<stack>.yaml resolves to the right endpoints — with the network made unreachable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from providers.imbrace.scheduler import SchedulerProvider
from providers.omni.schedule import OmniScheduleProvider
from providers.opsgenie.schedule import ScheduleProvider

STACKS_DIR = Path(__file__).resolve().parents[2] / "stacks"
EXPECTED = {
    "sandbox": (
        "http://127.0.0.1:8787/opsgenie",
        "http://127.0.0.1:8787/imbrace",
        "http://127.0.0.1:8787/omni",
    ),
    "dev": ("https://api.opsgenie.com", "https://app-gateway.dev.imbrace.co", "https://acme-dev.omniapp.co"),
    "demo": (
        "https://api.eu.opsgenie.com",
        "https://app-gateway.demo.imbrace.co",
        "https://acme-demo.omniapp.co",
    ),
    "prod": ("https://api.opsgenie.com", "https://app-gateway.imbrace.co", "https://acme.omniapp.co"),
}
SECRETS = ("opsgenie:apiKey", "imbrace:accessToken", "omni:apiToken")


def _config(stack: str) -> dict[str, Any]:
    return dict(yaml.safe_load((STACKS_DIR / f"Pulumi.{stack}.yaml").read_text())["config"])


def _base_url(provider: Any, config: dict[str, Any]) -> str:
    provider.configure(ConfigureRequest(Config(raw_config=config, project_name="schedules")))
    return str(provider.client().http.base_url)


@pytest.fixture(autouse=True)
def no_network_nor_ambient_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("resolving a stack's endpoints must not touch the network")

    monkeypatch.setattr(requests.Session, "request", refuse)
    ambient = (
        "OPSGENIE_API_URL",
        "OPSGENIE_REGION",
        "IMBRACE_API_URL",
        "IMBRACE_ENVIRONMENT",
        "OMNI_BASE_URL",
    )
    for var in ambient:
        monkeypatch.delenv(var, raising=False)


@pytest.mark.parametrize("stack", sorted(EXPECTED))
def test_stack_config_resolves_to_its_endpoints(stack: str) -> None:
    config = _config(stack)
    # Credentials are stack secrets (or environment variables): stand-ins for the resolution.
    plain = {k: v for k, v in config.items() if not isinstance(v, dict)}
    plain.update({key: f"test-{key}" for key in SECRETS})
    opsgenie, imbrace, omni = EXPECTED[stack]
    assert _base_url(ScheduleProvider(), plain) == opsgenie
    assert _base_url(SchedulerProvider(), plain).rstrip("/") == imbrace
    assert _base_url(OmniScheduleProvider(), plain) == omni


@pytest.mark.parametrize("stack", sorted(EXPECTED))
def test_credentials_are_never_plain_stack_config(stack: str) -> None:
    config = _config(stack)
    for key in SECRETS:
        assert key not in config or set(config[key]) == {"secure"}, f"{stack}: {key} must be a secret"
