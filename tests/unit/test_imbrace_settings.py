"""``providers.imbrace.settings``: the gateway, the organisation, the user, the token; what is missing."""

from __future__ import annotations

import pytest

from providers.core import ConfigError
from providers.imbrace.settings import GATEWAYS, ImbraceSettings

TOKEN = "sandbox-imbrace"


# ---- settings --------------------------------------------------------------------------------
def test_settings_pick_the_documented_gateway_or_api_url() -> None:
    base = {"accessToken": "tok-SECRET-1", "organizationId": "o", "userId": "u"}

    def resolve(**values: str) -> ImbraceSettings:
        merged = {**base, **values}
        return ImbraceSettings.resolve(lambda key, _env: merged.get(key))

    assert resolve().base_url == "https://app-gateway.imbrace.co"
    assert resolve(environment="demo").base_url == GATEWAYS["demo"] == "https://app-gateway.demo.imbrace.co"
    assert resolve(environment="dev").base_url == "https://app-gateway.dev.imbrace.co"
    assert resolve(environment="dev", apiUrl="http://127.0.0.1:8787/imbrace/").base_url == (
        "http://127.0.0.1:8787/imbrace"
    )
    with pytest.raises(
        ConfigError, match="'imbrace:environment' is 'staging'; expected one of prod, demo, dev"
    ):
        resolve(environment="staging")
    assert "tok-SECRET-1" not in repr(resolve())


def test_missing_settings_name_their_config_keys_and_variables() -> None:
    with pytest.raises(ConfigError) as err:
        ImbraceSettings.resolve(lambda key, _env: {"userId": "u"}.get(key))
    assert "'imbrace:accessToken' (or IMBRACE_ACCESS_TOKEN)" in str(err.value)
    assert "'imbrace:organizationId' (or IMBRACE_ORGANIZATION_ID)" in str(err.value)
    assert "userId" not in str(err.value)
