"""Test-support routes under ``/_sandbox/imbrace`` (not part of the iMBRACE API)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException
from pydantic import ValidationError

from sandbox.deps import StoreDep
from sandbox.imbrace.models import FILE_KIND, SCHEDULER_KIND, Scheduler

# Read every stored scheduler as stored, and change one behind the API's back.
router = APIRouter()


@router.get("/schedulers")
def list_all(store: StoreDep) -> list[dict[str, Any]]:
    """Every stored scheduler of every organisation, in insertion order."""
    with store.tx() as tx:
        return tx.list(SCHEDULER_KIND)


@router.get("/schedulers/{scheduler_id}")
def get_one(scheduler_id: str, store: StoreDep) -> dict[str, Any]:
    """One stored scheduler plus ``_files``: the metadata of its uploaded files."""
    with store.tx() as tx:
        doc = tx.get(SCHEDULER_KIND, scheduler_id)
        files = [f for f in tx.list(FILE_KIND) if f["scheduler_id"] == scheduler_id]
    if doc is None:
        raise HTTPException(404, f"no scheduler {scheduler_id}")
    return {**doc, "_files": files}


@router.patch("/schedulers/{scheduler_id}")
def patch_one(
    scheduler_id: str, changes: Annotated[dict[str, Any], Body()], store: StoreDep
) -> dict[str, Any]:
    """Merge fields into a stored scheduler (e.g. ``is_finished``) to simulate drift."""
    with store.tx() as tx:
        doc = tx.get(SCHEDULER_KIND, scheduler_id)
        if doc is None:
            raise HTTPException(404, f"no scheduler {scheduler_id}")
        try:
            record = Scheduler.model_validate({**doc, **changes, "_id": scheduler_id})
        except ValidationError as exc:
            raise HTTPException(422, str(exc)) from exc
        tx.put(SCHEDULER_KIND, scheduler_id, record.to_doc())
    return record.to_doc()
