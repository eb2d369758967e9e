"""``providers.omni.settings``: what a missing setting says."""

from __future__ import annotations

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from providers.core import ConfigError
from providers.omni.schedule import OmniScheduleProvider


def test_missing_settings_say_how_to_set_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMNI_BASE_URL", raising=False)
    monkeypatch.delenv("OMNI_API_TOKEN", raising=False)
    provider = OmniScheduleProvider()
    provider.configure(ConfigureRequest(Config({"omni:baseUrl": "https://blobsrus.omniapp.co"}, "p")))
    with pytest.raises(ConfigError, match=r"omni:apiToken.*OMNI_API_TOKEN"):
        provider.client()
