"""FastAPI dependencies: the sandbox's shared context, read from ``request.app.state``.

``create_app`` puts the one :class:`~sandbox.context.SandboxContext` of an app in
``app.state.ctx``; every route reaches it through these aliases (as in FastAPI's
full-stack template), so routers are plain module-level objects that several apps
(e.g. one per test) can include. The functions are ``async`` so that FastAPI calls them
on the event loop rather than in its thread pool: they only read an attribute.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.applications import Starlette

from sandbox.context import Credentials, SandboxContext
from sandbox.store import Store


def context_of(app: Starlette) -> SandboxContext:
    """The context ``create_app`` stored on ``app``."""
    ctx = app.state.ctx
    if not isinstance(ctx, SandboxContext):  # pragma: no cover - create_app always sets it
        raise TypeError("app.state.ctx is not a SandboxContext: build the app with sandbox.app.create_app")
    return ctx


DRY_RUN_CTX = "sandbox.dry_run_ctx"
"""The scope key of a dry run's context (its store a copy): strict mode asks the emulator what it
would answer to a request it refused, without the emulator changing anything."""


async def get_ctx(request: Request) -> SandboxContext:
    """The context of the app serving ``request`` (a dry run's own, in a dry run)."""
    dry_run = request.scope.get(DRY_RUN_CTX)
    return dry_run if isinstance(dry_run, SandboxContext) else context_of(request.app)


Ctx = Annotated[SandboxContext, Depends(get_ctx)]


async def get_store(ctx: Ctx) -> Store:
    """The app's document store."""
    return ctx.store


async def get_credentials(ctx: Ctx) -> Credentials:
    """The credentials the app accepts."""
    return ctx.credentials


StoreDep = Annotated[Store, Depends(get_store)]
CredentialsDep = Annotated[Credentials, Depends(get_credentials)]
