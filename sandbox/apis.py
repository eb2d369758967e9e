"""The APIs the sandbox serves, and what each API package must provide to the app.

:class:`SandboxApi` is that contract, checked by mypy where :data:`APIS` lists the packages
(``sandbox.opsgenie``, ``sandbox.imbrace``, ``sandbox.omni``) and at run time by
``tests/sandbox/test_apis.py``. A fourth API is one more package meeting it, added to
:data:`APIS` (and a field of :class:`sandbox.context.PerApi`, where its faults and quotas live).
"""

from __future__ import annotations

from dataclasses import dataclass
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
BY_NAME = {api.NAME: api for api in APIS}
"""Every API by its :attr:`SandboxApi.NAME`."""
ADMIN_FOLDER = "_sandbox"


@dataclass(frozen=True)
class Mounted:
    """The API a request path belongs to, and the prefix it was reached under (``""`` at the root)."""

    api: SandboxApi
    prefix: str


def api_for(path: str, root: str | None = None) -> Mounted | None:
    """The API a request path belongs to (``/opsgenie/...`` → :mod:`sandbox.opsgenie`), or None.

    ``root``: the NAME of the API also served at ``/`` (``python -m sandbox --root-api``); a path
    under no API's prefix and outside ``/_sandbox`` is then that API's.
    """
    folder = path.lstrip("/").split("/", 1)[0]
    api = _BY_FOLDER.get(folder)
    if api is not None:
        return Mounted(api, api.PREFIX)
    if root is not None and folder != ADMIN_FOLDER:
        return Mounted(BY_NAME[root], "")
    return None


def contracts() -> dict[str, Contract]:
    """The contract of each API (built once per sandbox app), from its package (``SandboxApi.contract``)."""
    return {api.NAME: api.contract() for api in APIS}


def seed_all(ctx: SandboxContext) -> None:
    """Load every API's starting data into an empty store."""
    with ctx.store.tx() as tx:
        for api in APIS:
            api.seed(tx, ctx.credentials)
        tx.set_meta("seeded", "1")
