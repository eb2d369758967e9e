"""Emulator of iMBRACE's third-party scheduler API (``/imbrace`` stands for ``https://app-gateway.imbrace.co``).

Every documented call under ``/3rd/organization/{organization_id}/users/{user_id}/schedulers``
with its documented answers and error texts, the uploaded files behind each ``file_url``
(``/imbrace/files/<file_id>/<name>``, public like an S3 URL), and test-support routes
under ``/_sandbox/imbrace``. See :mod:`sandbox.imbrace.routes` for the decisions taken
where the docs are silent.

The package meets :class:`sandbox.apis.SandboxApi`: its public names are that protocol's members.
"""

from __future__ import annotations

from fastapi import APIRouter

from sandbox.contract import Contract
from sandbox.contract.imbrace import check, documented
from sandbox.imbrace import admin, files, routes
from sandbox.imbrace.errors import error_response as error_response
from sandbox.imbrace.seed import seed as seed

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

NAME = "imbrace"
PREFIX = "/imbrace"
# A body that fails to parse: the gateway's 400.
VALIDATION_STATUS = 400
# A 429 says nothing besides ``Retry-After`` (the docs show only the status).
RATE_LIMIT_PERIOD_HEADER: str | None = None

admin_router = admin.router

router = APIRouter()
router.include_router(routes.router)
router.include_router(files.router)


def contract() -> Contract:
    """Strict mode's check: the JSON schemas written from iMBRACE's docs."""
    return Contract("iMBRACE", check, documented)
