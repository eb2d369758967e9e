"""Omni's settings: ``omni:baseUrl`` (``https://<org>.omniapp.co``) and the secret ``omni:apiToken``.

Each falls back to its environment variable (``OMNI_BASE_URL``, ``OMNI_API_TOKEN``); the
providers and the functions resolve them here alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from providers._settings import ApiSettings, Lookup, Setting, api_url_setting, require
from providers._throttle import RateLimit
from providers.omni.client import API, OmniClient

BASE_URL = Setting("baseUrl", "OMNI_BASE_URL")
API_TOKEN = Setting("apiToken", "OMNI_API_TOKEN", secret=True)


@dataclass(frozen=True, repr=False)
class OmniSettings(ApiSettings[OmniClient]):
    """One Omni organisation: its URL and API token. ``repr`` leaves the token out."""

    api = API
    base_url: str
    api_token: str = field(repr=False)

    @classmethod
    def resolve(cls, lookup: Lookup) -> OmniSettings:
        """The URL (https, or the sandbox's ``<url>/omni`` on loopback) and the token."""
        base_url, token = require(API, lookup, BASE_URL, API_TOKEN)
        return cls(api_url_setting(API, BASE_URL, base_url), token)

    def client(self, rate_limit: RateLimit | None = None) -> OmniClient:
        """The client of this organisation."""
        return OmniClient(self.base_url, self.api_token, rate_limit=rate_limit)
