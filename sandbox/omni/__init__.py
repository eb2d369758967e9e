"""Emulator of Omni's schedule API (``/omni`` stands for ``https://<org>.omniapp.co``).

The documented calls of ``/api/v1/schedules`` (list, trigger, add/remove recipients,
pause, resume, delete) and the beta ``/api/unstable/schedules/{id}/trigger``, with their
documented error texts, plus test-support routes under ``/_sandbox/omni``. See
:mod:`sandbox.omni.listing`, :mod:`sandbox.omni.recipients` and :mod:`sandbox.omni.routes`
for the decisions taken where the docs are silent.

The package meets :class:`sandbox.apis.SandboxApi`: its public names are that protocol's members.
"""

from __future__ import annotations

from sandbox.contract import Contract
from sandbox.contract.omni import check, documented
from sandbox.omni import admin, routes
from sandbox.omni.errors import error_response as error_response
from sandbox.omni.seed import seed as seed

__all__ = [
    "NAME",
    "PREFIX",
    "RATE_LIMIT_PERIOD_HEADER",
    "VALIDATION_STATUS",
    "admin_router",
    "contract",
    "error_response",
    "router",
    "seed",
]

NAME = "omni"
PREFIX = "/omni"
# A body that fails to parse: the v1 API's 400.
VALIDATION_STATUS = 400
# A 429 says nothing besides ``Retry-After`` (the docs show only the status).
RATE_LIMIT_PERIOD_HEADER: str | None = None

router = routes.router
admin_router = admin.router


def contract() -> Contract:
    """Strict mode's check: the JSON schemas written from Omni's docs."""
    return Contract("Omni", check, documented)
