"""Emulator of Opsgenie's Schedule, Schedule Rotation and Schedule Override APIs.

Mounted at ``/opsgenie``, which stands for ``https://api.opsgenie.com``: e.g.
``GET /opsgenie/v2/schedules``. It follows the docs (api-docs/opsgenie-schedules.txt)
and Opsgenie's OAS (paths/schedule.yaml, scheduleRotation.yaml, scheduleOverride.yaml):
every path those files define is served. Modules:

- :mod:`.routing` — auth (``GenieKey``; read-only key), body parsing, error rendering;
- :mod:`.errors` — the envelope (``took``, ``requestId``) and error bodies;
- :mod:`.models` — request bodies; :mod:`.records` — validation and the answer shapes;
- :mod:`.repository` — schedules in the store, by id or unique name;
- :mod:`.schedules`, :mod:`.rotations`, :mod:`.overrides`, :mod:`.exports` — the routes;
- :mod:`.timeline` — rotation arithmetic; :mod:`.oncall` — timelines; :mod:`.ics` — export;
- :mod:`.accounts` — users, teams, escalations; :mod:`.admin` — ``/_sandbox/opsgenie``.

The package meets :class:`sandbox.apis.SandboxApi`: its public names are that protocol's members.
"""

from __future__ import annotations

from fastapi import APIRouter

from sandbox.context import Credentials
from sandbox.contract import Contract
from sandbox.contract.opsgenie import checker
from sandbox.opsgenie import admin, exports, overrides, rotations, schedules
from sandbox.opsgenie.accounts import seed_accounts
from sandbox.opsgenie.errors import documented_answer
from sandbox.opsgenie.errors import error_response as error_response
from sandbox.store import Tx

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

NAME = "opsgenie"
PREFIX = "/opsgenie"
# A body that fails to parse: the OAS's UnprocessableEntity.
VALIDATION_STATUS = 422
# A 429 also names the period of the rate-limit bucket (its other X-RateLimit-* headers: errors.py).
RATE_LIMIT_PERIOD_HEADER: str | None = "X-RateLimit-Period-In-Sec"

admin_router = admin.router

router = APIRouter()
# Order matters: "/v2/schedules/{identifier}.ics" must come before "/v2/schedules/{identifier}".
for _module in (exports, schedules, rotations, overrides):
    router.include_router(_module.router)


def seed(tx: Tx, credentials: Credentials) -> None:
    """The data a new (or reset) sandbox starts with: demo users, teams and escalations, no schedule."""
    seed_accounts(tx)


def contract() -> Contract:
    """Strict mode's check: Opsgenie's own OAS (no check when its files are missing), and the
    answers the OAS gives the requests it refuses (a 422 for a body that breaks the schema)."""
    return Contract("Opsgenie", checker(), documented_answer)
