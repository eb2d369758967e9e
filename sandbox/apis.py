"""The APIs the sandbox serves, and what each API package must provide to the app.

:class:`SandboxApi` is that contract, checked by mypy where :data:`APIS` lists the packages
(``sandbox.opsgenie``, ``sandbox.imbrace``, ``sandbox.omni``) and at run time by
``tests/sandbox/test_apis.py``. A fourth API is one more package meeting it, added to
:data:`APIS` (and a field of :class:`sandbox.context.PerApi`, where its faults and quotas live).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from fastapi import APIRouter
from starlette.responses import Response

from sandbox import imbrace, omni, opsgenie
from sandbox.context import Credentials, SandboxContext
from sandbox.contract import Contract
from sandbox.store import Tx


@runtime_checkable
class SandboxApi(Protocol):
    """One API emulator, as a package (a module) that the app mounts and drives."""

    @property
    def NAME(self) -> str:
        """Its key in ``/_sandbox/faults``, ``quotas`` and ``stats``, and its admin routes' folder."""
        ...

    @property
    def PREFIX(self) -> str:
        """Where it is mounted: ``/opsgenie`` stands for ``https://api.opsgenie.com``."""
        ...

    @property
    def VALIDATION_STATUS(self) -> int:
        """The status of an answer to a request FastAPI could not parse (the API's own choice)."""
        ...

    @property
    def RATE_LIMIT_PERIOD_HEADER(self) -> str | None:
        """The header a 429 (a quota's or a fault's) names its period in, if the API documents one."""
        ...

    @property
    def router(self) -> APIRouter:
        """The API's routes, relative to :attr:`PREFIX`; they authenticate as the API documents."""
        ...

    @property
    def admin_router(self) -> APIRouter:
        """Its test-support routes, mounted at ``/_sandbox/<NAME>`` (no auth, plain JSON)."""
        ...

    def seed(self, tx: Tx, credentials: Credentials) -> None:
        """Store the data it starts with: on a new database and after ``POST /_sandbox/reset``."""
        ...

    def contract(self) -> Contract:
        """Strict mode's check of its requests (built once per app)."""
        ...

    def error_response(self, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        """An error answer in the API's own body shape (for the app's and the middleware's errors)."""
        ...


APIS: tuple[SandboxApi, ...] = (opsgenie, imbrace, omni)
"""Every API, in mounting order."""

_BY_FOLDER = {api.PREFIX.strip("/"): api for api in APIS}


def api_for(path: str) -> SandboxApi | None:
    """The API a request path belongs to (``/opsgenie/...`` → :mod:`sandbox.opsgenie`), or None."""
    return _BY_FOLDER.get(path.lstrip("/").split("/", 1)[0])


def seed_all(ctx: SandboxContext) -> None:
    """Load every API's starting data into an empty store."""
    with ctx.store.tx() as tx:
        for api in APIS:
            api.seed(tx, ctx.credentials)
        tx.set_meta("seeded", "1")
