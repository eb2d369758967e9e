"""Fixtures of the unit tests."""

from __future__ import annotations

import pytest

# Settings for all three APIs at a loopback port where nothing listens (port 9, discard): enough
# for `check`, which builds each provider's client from its settings, and no API is reached.
UNREACHABLE = "http://127.0.0.1:9"
CREDENTIALS = {
    "OPSGENIE_API_KEY": "unit-opsgenie-key",
    "OPSGENIE_API_URL": f"{UNREACHABLE}/opsgenie",
    "IMBRACE_ACCESS_TOKEN": "unit-imbrace-token",
    "IMBRACE_ORGANIZATION_ID": "org_unit",
    "IMBRACE_USER_ID": "u_unit",
    "IMBRACE_API_URL": f"{UNREACHABLE}/imbrace",
    "OMNI_BASE_URL": f"{UNREACHABLE}/omni",
    "OMNI_API_TOKEN": "unit-omni-token",
}


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Every provider's settings as environment variables (see ``UNREACHABLE``)."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    return dict(CREDENTIALS)
