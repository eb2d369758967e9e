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
"""

from __future__ import annotations

from fastapi import APIRouter

from sandbox.context import Credentials, SandboxContext
from sandbox.opsgenie import exports, overrides, rotations, schedules
from sandbox.opsgenie.accounts import seed_accounts
from sandbox.opsgenie.admin import build_admin_router
from sandbox.opsgenie.errors import error_response
from sandbox.opsgenie.routing import new_router
from sandbox.store import Tx

PREFIX = "/opsgenie"

__all__ = ["PREFIX", "build_admin_router", "build_router", "error_response", "seed"]


def build_router(ctx: SandboxContext) -> APIRouter:
    """The API's routes, relative to :data:`PREFIX`."""
    router = new_router(ctx.credentials)
    # Order matters: "/v2/schedules/{identifier}.ics" must come before "/v2/schedules/{identifier}".
    for module in (exports, schedules, rotations, overrides):
        module.add_routes(router, ctx)
    return router


def seed(tx: Tx, credentials: Credentials) -> None:
    """The data a new (or reset) sandbox starts with: demo users, teams and escalations, no schedule."""
    seed_accounts(tx)
