"""Opsgenie's settings: ``opsgenie:apiKey`` (secret), ``opsgenie:apiUrl`` or ``opsgenie:region``.

Each falls back to its environment variable (``OPSGENIE_API_KEY``, ``OPSGENIE_API_URL``,
``OPSGENIE_REGION``); the providers and the functions resolve them here alike. ``apiUrl`` also
takes pulumi-opsgenie's (and the Terraform provider's) bare-host form, so one stack's config
serves both providers: ``api.eu.opsgenie.com`` is ``https://api.eu.opsgenie.com``, and a loopback
host (``127.0.0.1:8787``, a sandbox served with ``--root-api opsgenie``) is plain ``http``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from providers._http import is_loopback
from providers._settings import ApiSettings, ConfigError, Lookup, Setting, api_url_setting, require
from providers._throttle import RateLimit
from providers.opsgenie.client import API, OpsgenieClient, api_url

API_KEY = Setting("apiKey", "OPSGENIE_API_KEY", secret=True)
API_URL = Setting("apiUrl", "OPSGENIE_API_URL")
REGION = Setting("region", "OPSGENIE_REGION")


def with_scheme(value: str) -> str:
    """``value`` as a URL: a bare host (pulumi-opsgenie's form, no ``scheme://``) gets ``https://``,
    or ``http://`` when it is a loopback address; a URL with a scheme is left as it is."""
    value = value.strip()
    if "://" in value:
        return value
    try:
        host = urlsplit(f"//{value}").hostname
    except ValueError:  # the URL check that follows names the setting
        return value
    return f"{'http' if is_loopback(host) else 'https'}://{value}"


@dataclass(frozen=True, repr=False)
class OpsgenieSettings(ApiSettings[OpsgenieClient]):
    """One Opsgenie account: its API key and base URL. ``repr`` leaves the key out."""

    api = API
    api_key: str = field(repr=False)
    base_url: str

    @classmethod
    def resolve(cls, lookup: Lookup) -> OpsgenieSettings:
        """The key, and ``apiUrl`` (https or loopback; a bare host is https, or http when loopback)
        or else the ``region``'s URL (``us`` by default)."""
        (key,) = require(API, lookup, API_KEY)
        explicit = API_URL.read(lookup)
        if explicit:
            explicit = api_url_setting(API, API_URL, with_scheme(explicit))
        try:
            url = api_url(explicit, REGION.read(lookup))
        except ValueError as exc:
            raise ConfigError(f"{API}: {exc}") from None
        return cls(key, url)

    def client(self, rate_limit: RateLimit | None = None) -> OpsgenieClient:
        """The client of this account."""
        return OpsgenieClient(self.api_key, self.base_url, rate_limit=rate_limit)
