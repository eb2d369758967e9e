"""The sandbox ASGI application: the API emulators under their prefixes, plus ``/_sandbox``.

Each API is a package meeting :class:`sandbox.apis.SandboxApi` (its router, prefix, admin
router, seed, strict-mode contract and error shape); the app mounts every one in
:data:`sandbox.apis.APIS`. The one :class:`~sandbox.context.SandboxContext` of an app
lives in ``app.state.ctx``, where routes reach it through :mod:`sandbox.deps`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from sandbox import admin
from sandbox.apis import APIS, BY_NAME, api_for, contracts, seed_all
from sandbox.context import Credentials, SandboxContext
from sandbox.deps import context_of
from sandbox.middleware import SandboxMiddleware
from sandbox.store import Store


class SandboxApp(FastAPI):
    """FastAPI with :class:`SandboxMiddleware` outermost, where it sees uvicorn's own ``send``."""

    def build_middleware_stack(self) -> Any:
        """Wrap Starlette's stack (whose error middleware hides the connection) in ours."""
        return SandboxMiddleware(super().build_middleware_stack(), context_of(self))


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """FastAPI's own errors (404, 405...) in the shape of the API the path belongs to."""
    mounted = api_for(request.url.path, context_of(request.app).root_api)
    if mounted is None:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
    return mounted.api.error_response(exc.status_code, str(exc.detail))


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    """A request FastAPI could not parse, named by its first error, in the API's shape and status."""
    mounted = api_for(request.url.path, context_of(request.app).root_api)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    message = f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg", "invalid"))
    if mounted is None:
        return JSONResponse({"detail": message}, status_code=422)
    return mounted.api.error_response(mounted.api.VALIDATION_STATUS, message)


def create_app(
    db: str = ":memory:",
    credentials: Credentials | None = None,
    *,
    strict: bool = True,
    root_api: str | None = None,
) -> SandboxApp:
    """Build the sandbox app on the SQLite database ``db`` (seeded on first use).

    ``strict``: refuse every request its API's docs/OAS do not allow (:mod:`sandbox.contract`).
    ``root_api``: the NAME of an API also served at ``/`` (for clients that take a bare host).
    """
    if root_api is not None and root_api not in BY_NAME:
        raise ValueError(f"root_api: {root_api!r} is none of {', '.join(BY_NAME)}")
    store = Store(db)
    ctx = SandboxContext(
        store=store,
        credentials=credentials or Credentials.from_env(),
        strict=strict,
        contracts=contracts(),
        root_api=root_api,
    )
    with store.tx() as tx:
        fresh = tx.get_meta("seeded") is None
    if fresh:
        seed_all(ctx)

    app = SandboxApp(
        title="Schedules sandbox",
        docs_url="/_sandbox/docs",
        openapi_url="/_sandbox/openapi.json",
    )
    app.exception_handler(StarletteHTTPException)(_http_error)
    app.exception_handler(RequestValidationError)(_validation_error)
    app.state.ctx = ctx
    for api in APIS:
        app.include_router(api.router, prefix=api.PREFIX)
        app.include_router(api.admin_router, prefix=f"/_sandbox/{api.NAME}")
    app.include_router(admin.router)
    if root_api is not None:  # after the prefixed routes: a prefixed path is never the root API's
        app.include_router(BY_NAME[root_api].router)
    return app
