"""ASGI middleware: strict mode, quotas, request statistics and injected faults.

All work at the ASGI level so that they see every request, including the ones
FastAPI answers itself (404s, validation errors).
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import time
import weakref
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from sandbox.apis import Mounted, SandboxApi, api_for
from sandbox.context import FaultConfig, QuotaConfig, SandboxContext
from sandbox.contract import ContractViolation
from sandbox.contract.asgi import Answer, capture, read_body, request_view
from sandbox.deps import DRY_RUN_CTX

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _period_header(api: SandboxApi, period_s: int) -> dict[str, str]:
    """The header a 429 of ``api`` names its period in (none when the API documents none)."""
    header = api.RATE_LIMIT_PERIOD_HEADER
    return {header: str(period_s)} if header else {}


def _transport_of(send: Send) -> Any:
    # uvicorn hands the app a bound method of its per-request cycle, which holds
    # the asyncio transport. That is the only way to count TCP connections and to
    # drop one unanswered from inside the app; under TestClient there is none.
    owner = getattr(send, "__self__", None)
    return getattr(owner, "transport", None)


class SandboxMiddleware:
    """Checks requests against their contracts (strict mode), enforces quotas, counts requests and
    connections, and injects the configured faults per API."""

    def __init__(self, app: ASGIApp, ctx: SandboxContext) -> None:
        self.app = app
        self.ctx = ctx
        self._seen: weakref.WeakSet[Any] = weakref.WeakSet()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count, maybe inject a fault, else pass the request on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        transport = _transport_of(send)
        if transport is not None and transport not in self._seen:
            self._seen.add(transport)
            self.ctx.stats.count_connection()

        mounted = api_for(scope["path"], self.ctx.root_api)
        api = mounted.api if mounted else None
        app = self.app
        if mounted is not None and api is not None:
            cfg: FaultConfig = getattr(self.ctx.faults, api.NAME)
            if cfg.latency_ms:
                await asyncio.sleep(cfg.latency_ms / 1000)
            checked = await self._strict(mounted, scope, receive, send)
            if checked is None:
                return
            receive, app = checked
            quota: QuotaConfig = getattr(self.ctx.quotas, api.NAME)
            if not self.ctx.windows.admit(api.NAME, quota, time.monotonic()):
                await self._throttle(api, quota, scope, receive, send)
                return
            if cfg.applies_to(scope["method"], scope["path"]) and await self._fault(
                app, api, cfg, transport, scope, receive, send
            ):
                return

        await app(scope, receive, send)
        self._count(api, scope)

    async def _strict(
        self, mounted: Mounted, scope: Scope, receive: Receive, send: Send
    ) -> tuple[Receive, ASGIApp] | None:
        """The request's ``receive`` and what answers it: the emulator, or the documented answer to a
        request the contract refused (:mod:`sandbox.contract`). None: strict mode refused it (answered)."""
        api = mounted.api
        contract = self.ctx.contracts.get(api.NAME)
        if not self.ctx.strict or contract is None or contract.check is None:
            return receive, self.app
        body, replay = await read_body(receive)
        view = await request_view(scope, mounted.prefix, body)
        try:
            contract.check(view)
        except ContractViolation as exc:
            documented = contract.documented(view, exc, await self._dry_run(scope, body))
            if documented is not None:
                return replay, documented
            message = f"sandbox: request does not match {contract.title}'s documented contract: {exc}"
            self.ctx.stats.count_violation(f"{scope['method']} {scope['path']}: {message}")
            self.ctx.stats.count_request(api.NAME, scope["method"], "<contract violation>")
            await api.error_response(400, message)(scope, replay, send)
            return None
        return replay, self.app

    async def _dry_run(self, scope: Scope, body: bytes) -> Answer:
        """What the emulator answers to a request, acting on a copy of the store (so it changes nothing)."""
        scratch = self.ctx.store.snapshot()
        dry = {**scope, "state": dict(scope.get("state") or {})}
        dry[DRY_RUN_CTX] = dataclasses.replace(self.ctx, store=scratch)
        try:
            answer = await capture(self.app, dry, body)
        finally:
            scratch.close()
        if "route" in dry:  # a documented answer is counted under its route
            scope["route"] = dry["route"]
        return answer

    async def _throttle(
        self, api: SandboxApi, quota: QuotaConfig, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """A 429 the way the API documents one: no ``Retry-After``, the period in the API's
        rate-limit header where it has one (Opsgenie's ``X-RateLimit-*``); else only the status."""
        headers = _period_header(api, math.ceil(quota.period_s))
        await api.error_response(429, "Too Many Requests", headers)(scope, receive, send)
        self.ctx.stats.count_fault(api.NAME, "quota-429")

    def _count(self, api: SandboxApi | None, scope: Scope) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None) or "<unmatched>"
        self.ctx.stats.count_request(api.NAME if api else "sandbox", scope["method"], template)

    async def _fault(
        self,
        app: ASGIApp,
        api: SandboxApi,
        cfg: FaultConfig,
        transport: Any,
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> bool:
        """Roll the dice; inject the fault that comes up. True when the request was answered (or dropped);
        False when it goes on to the API (no fault, or only a delay)."""
        kind = cfg.pick(cfg.roll())
        if kind is None or (kind.startswith("drop") and transport is None):
            return False
        if kind == "delay":
            await asyncio.sleep(cfg.delay_ms / 1000)
        elif kind == "drop-after":

            async def swallow(_message: Message) -> None:
                return None

            await app(scope, receive, swallow)
            self._count(api, scope)
            transport.abort()
        elif kind == "delay-after":
            # The API acts at once and its answer is held back: a client killed meanwhile has made
            # an object it never hears about (the ground of the interrupted-run tests).
            held: list[Message] = []

            async def hold(message: Message) -> None:
                held.append(message)

            await app(scope, receive, hold)
            self._count(api, scope)
            await asyncio.sleep(cfg.delay_ms / 1000)
            for message in held:
                await send(message)
        elif kind == "drop":
            transport.abort()
        elif kind == "429":
            # The API's throttle period, where it has a header for one, says the same.
            headers = {"Retry-After": str(cfg.retry_after_s), **_period_header(api, cfg.retry_after_s)}
            await api.error_response(429, "Too Many Requests", headers)(scope, receive, send)
        else:
            await api.error_response(500, "Internal Server Error")(scope, receive, send)
        self.ctx.stats.count_fault(api.NAME, kind)
        if cfg.remaining is not None:
            cfg.remaining -= 1
        return kind != "delay"
