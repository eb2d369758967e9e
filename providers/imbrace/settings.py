"""iMBRACE's settings: who calls the gateway, and where it is.

``imbrace:accessToken`` (secret) / ``IMBRACE_ACCESS_TOKEN``, ``imbrace:organizationId`` /
``IMBRACE_ORGANIZATION_ID``, ``imbrace:userId`` / ``IMBRACE_USER_ID``, and the gateway:
``imbrace:environment`` (prod, demo or dev) / ``IMBRACE_ENVIRONMENT``, or ``imbrace:apiUrl`` /
``IMBRACE_API_URL`` for any URL. The providers and the functions resolve them here alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from providers._settings import ApiSettings, ConfigError, Lookup, Setting, api_url_setting, require
from providers._throttle import RateLimit
from providers.imbrace.client import API, ImbraceClient

GATEWAYS = {
    "prod": "https://app-gateway.imbrace.co",
    "demo": "https://app-gateway.demo.imbrace.co",
    "dev": "https://app-gateway.dev.imbrace.co",
}
ACCESS_TOKEN = Setting("accessToken", "IMBRACE_ACCESS_TOKEN", secret=True)
ORGANIZATION_ID = Setting("organizationId", "IMBRACE_ORGANIZATION_ID")
USER_ID = Setting("userId", "IMBRACE_USER_ID")
API_URL = Setting("apiUrl", "IMBRACE_API_URL")
ENVIRONMENT = Setting("environment", "IMBRACE_ENVIRONMENT")
FILES_ROOT = Setting("filesRoot", "IMBRACE_FILES_ROOT")
"""The directory a scheduler's ``files`` must lie under (default: the program directory)."""


@dataclass(frozen=True, repr=False)
class ImbraceSettings(ApiSettings[ImbraceClient]):
    """Where the gateway is and who calls it. ``repr`` leaves the token (and the user) out."""

    api = API
    base_url: str
    organization_id: str
    user_id: str = field(repr=False)
    access_token: str = field(repr=False)

    @classmethod
    def resolve(cls, lookup: Lookup) -> ImbraceSettings:
        """Settings from ``imbrace:<key>`` config (or environment variables) through ``lookup``.

        ``apiUrl`` wins over ``environment`` (prod, demo or dev; prod by default).
        """
        token, organization_id, user_id = require(API, lookup, ACCESS_TOKEN, ORGANIZATION_ID, USER_ID)
        base_url = API_URL.read(lookup)
        if not base_url:
            environment = ENVIRONMENT.read(lookup) or "prod"
            if environment not in GATEWAYS:
                raise ConfigError(
                    f"{API}: '{API}:environment' is '{environment}'; expected one of {', '.join(GATEWAYS)} "
                    f"(or set '{API}:apiUrl')"
                )
            base_url = GATEWAYS[environment]
        else:
            api_url_setting(API, API_URL, base_url)
        return cls(
            base_url=base_url.rstrip("/"),
            organization_id=organization_id,
            user_id=user_id,
            access_token=token,
        )

    def client(self, rate_limit: RateLimit | None = None) -> ImbraceClient:
        """The client of this organisation and user."""
        return ImbraceClient(self, rate_limit)
