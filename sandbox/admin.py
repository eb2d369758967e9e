"""The sandbox's own routes under ``/_sandbox``: reset, answers, quotas, faults, stats and health.

Each API's test-support routes are its ``admin_router``, mounted at ``/_sandbox/<api>``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from sandbox.apis import seed_all
from sandbox.context import AnswerMode, Faults, Quotas
from sandbox.deps import Ctx

router = APIRouter(prefix="/_sandbox")


@router.post("/reset")
def reset(ctx: Ctx) -> dict[str, Any]:
    """Forget everything, re-seed, clear faults and counters."""
    with ctx.store.tx() as tx:
        tx.clear()
    seed_all(ctx)
    ctx.faults = Faults()
    ctx.quotas = Quotas()
    ctx.windows.reset()
    ctx.documented_answers_only = False
    ctx.stats.reset()
    return {"reset": True}


@router.put("/answers")
def put_answers(mode: AnswerMode, ctx: Ctx) -> AnswerMode:
    """``{"documented_fields_only": true}``: answers leave out every field the docs don't show."""
    ctx.documented_answers_only = mode.documented_fields_only
    return mode


@router.get("/quotas")
def get_quotas(ctx: Ctx) -> Quotas:
    """The request quotas in force."""
    return ctx.quotas


@router.put("/quotas")
def put_quotas(quotas: Quotas, ctx: Ctx) -> Quotas:
    """Replace the quotas (APIs left out get none); every window starts afresh."""
    ctx.quotas = quotas
    ctx.windows.reset()
    return ctx.quotas


@router.get("/faults")
def get_faults(ctx: Ctx) -> Faults:
    """The faults in force."""
    return ctx.faults


@router.put("/faults")
def put_faults(faults: Faults, ctx: Ctx) -> Faults:
    """Replace the injected faults (APIs left out get none)."""
    ctx.faults = faults
    return ctx.faults


@router.get("/stats")
def get_stats(ctx: Ctx) -> dict[str, Any]:
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


@router.delete("/stats")
def reset_stats(ctx: Ctx) -> dict[str, Any]:
    """Zero the counters (the data stays)."""
    ctx.stats.reset()
    return {"reset": True}


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness probe used by ``make demo`` and the test fixtures."""
    return {"status": "ok"}
