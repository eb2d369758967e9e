"""Emulator of the opsgenie schedule API (stub: filled in by the sandbox issue)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import JSONResponse, Response

from sandbox.context import Credentials, SandboxContext
from sandbox.store import Tx

PREFIX = "/opsgenie"


def build_router(ctx: SandboxContext) -> APIRouter:
    """The API's routes."""
    return APIRouter()


def build_admin_router(ctx: SandboxContext) -> APIRouter:
    """Test-support routes under /_sandbox/opsgenie."""
    return APIRouter()


def seed(tx: Tx, credentials: Credentials) -> None:
    """Starting data."""


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error in the API's body shape."""
    return JSONResponse({"message": message}, status_code=status, headers=headers)
