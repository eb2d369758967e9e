"""The sandbox ASGI application: the three API emulators under their prefixes, plus ``/_sandbox``.

Each API lives in its own module (``sandbox.opsgenie``, ``sandbox.imbrace``,
``sandbox.omni``) that provides:

- ``PREFIX`` — where it is mounted (``/opsgenie`` stands for ``https://api.opsgenie.com``);
- ``build_router(ctx)`` — the API's routes, relative to the prefix;
- ``build_admin_router(ctx)`` — its test-support routes, mounted at ``/_sandbox/<api>``;
- ``seed(tx, credentials)`` — the data it starts with (on a new database and after a reset);
- ``error_response(status, message, headers)`` — an error answer in the API's own body shape.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from sandbox import imbrace, omni, opsgenie
from sandbox.context import AnswerMode, Credentials, Faults, Quotas, SandboxContext
from sandbox.contract import contracts
from sandbox.middleware import SandboxMiddleware, api_of
from sandbox.store import Store

API_MODULES: dict[str, ModuleType] = {"opsgenie": opsgenie, "imbrace": imbrace, "omni": omni}
# Which status a body that fails to parse gets, per API: Opsgenie answers 422
# (OAS UnprocessableEntity), the other two answer 400.
_VALIDATION_STATUS = {"opsgenie": 422, "imbrace": 400, "omni": 400}


def seed_all(ctx: SandboxContext) -> None:
    """Load every API's starting data into an empty store."""
    with ctx.store.tx() as tx:
        for module in API_MODULES.values():
            module.seed(tx, ctx.credentials)
        tx.set_meta("seeded", "1")


class SandboxApp(FastAPI):
    """FastAPI with :class:`SandboxMiddleware` outermost, where it sees uvicorn's own ``send``."""

    sandbox_ctx: SandboxContext

    def build_middleware_stack(self) -> Any:
        """Wrap Starlette's stack (whose error middleware hides the connection) in ours."""
        responders = {name: m.error_response for name, m in API_MODULES.items()}
        return SandboxMiddleware(super().build_middleware_stack(), self.sandbox_ctx, responders)


def create_app(
    db: str = ":memory:", credentials: Credentials | None = None, *, strict: bool = True
) -> SandboxApp:
    """Build the sandbox app on the SQLite database ``db`` (seeded on first use).

    ``strict``: refuse every request its API's docs/OAS do not allow (:mod:`sandbox.contract`).
    """
    store = Store(db)
    ctx = SandboxContext(
        store=store, credentials=credentials or Credentials.from_env(), strict=strict, contracts=contracts()
    )
    with store.tx() as tx:
        fresh = tx.get_meta("seeded") is None
    if fresh:
        seed_all(ctx)

    app = SandboxApp(
        title="Schedules sandbox", docs_url="/_sandbox/docs", openapi_url="/_sandbox/openapi.json"
    )
    app.sandbox_ctx = ctx
    app.state.ctx = ctx
    for name, module in API_MODULES.items():
        app.include_router(module.build_router(ctx), prefix=module.PREFIX)
        app.include_router(module.build_admin_router(ctx), prefix=f"/_sandbox/{name}")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        api = api_of(request.url.path)
        if api is None:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return API_MODULES[api].error_response(exc.status_code, str(exc.detail))  # type: ignore[no-any-return]

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        api = api_of(request.url.path)
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
        message = f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg", "invalid"))
        if api is None:
            return JSONResponse({"detail": message}, status_code=422)
        return API_MODULES[api].error_response(_VALIDATION_STATUS[api], message)  # type: ignore[no-any-return]

    @app.post("/_sandbox/reset")
    def reset() -> dict[str, Any]:
        """Forget everything, re-seed, clear faults and counters."""
        with store.tx() as tx:
            tx.clear()
        seed_all(ctx)
        ctx.faults = Faults()
        ctx.quotas = Quotas()
        ctx.windows.reset()
        ctx.documented_answers_only = False
        ctx.stats.reset()
        return {"reset": True}

    @app.put("/_sandbox/answers")
    def put_answers(mode: AnswerMode) -> AnswerMode:
        """``{"documented_fields_only": true}``: answers leave out every field the docs don't show."""
        ctx.documented_answers_only = mode.documented_fields_only
        return mode

    @app.get("/_sandbox/quotas")
    def get_quotas() -> Quotas:
        """The request quotas in force."""
        return ctx.quotas

    @app.put("/_sandbox/quotas")
    def put_quotas(quotas: Quotas) -> Quotas:
        """Replace the quotas (APIs left out get none); every window starts afresh."""
        ctx.quotas = quotas
        ctx.windows.reset()
        return ctx.quotas

    @app.get("/_sandbox/faults")
    def get_faults() -> Faults:
        """The faults in force."""
        return ctx.faults

    @app.put("/_sandbox/faults")
    def put_faults(faults: Faults) -> Faults:
        """Replace the injected faults (APIs left out get none)."""
        ctx.faults = faults
        return ctx.faults

    @app.get("/_sandbox/stats")
    def get_stats() -> dict[str, Any]:
        """Request counts per API, method and route, faults injected and TCP connections opened."""
        stats = ctx.stats
        return {
            "requests": dict(sorted(stats.requests.items())),
            "faults": dict(sorted(stats.faults.items())),
            "connections": stats.connections,
            "strict": {name: ctx.strict and c.check is not None for name, c in ctx.contracts.items()},
            "violations": {"count": len(stats.violations), "requests": stats.violations[-20:]},
            "total": sum(v for k, v in stats.requests.items() if not k.startswith("sandbox ")),
        }

    @app.delete("/_sandbox/stats")
    def reset_stats() -> dict[str, Any]:
        """Zero the counters (the data stays)."""
        ctx.stats.reset()
        return {"reset": True}

    @app.get("/_sandbox/health")
    def health() -> dict[str, str]:
        """Liveness probe used by ``make demo`` and the test fixtures."""
        return {"status": "ok"}

    return app
