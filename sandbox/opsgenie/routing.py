"""The route class every Opsgenie endpoint runs under: auth, JSON body, envelope, errors.

Authentication is ``Authorization: GenieKey <key>``. A missing or unknown key is a
401 "Could not authenticate". The read-only key stands for an API integration
whose "Read Only" access is set: Opsgenie accepts its GET requests and refuses
every write (POST, PATCH, PUT, DELETE) with 403, internal code 40301 and the text
"API Key is not granted with write access." — what the real service answers an
integration without write access (as reported by its API clients).

A write's body is parsed here so that a syntax error is a 400 "Invalid JSON body"
(the OAS ``BadRequest``), before any field is looked at.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.routing import APIRoute
from starlette.responses import Response

from sandbox.context import Credentials
from sandbox.deps import context_of
from sandbox.opsgenie.errors import (
    AUTH_FAILED,
    INVALID_JSON,
    READ_ONLY,
    READ_ONLY_CODE,
    OpsgenieError,
    RequestMeta,
    render_error,
)

# The schedule routes name the identifier type ``identifierType``; the rotation and
# override routes name it ``scheduleIdentifierType`` (OAS ScheduleIdentifierType2).
IdentifierType = Annotated[str | None, Query(alias="identifierType")]
ScheduleIdentifierType = Annotated[str | None, Query(alias="scheduleIdentifierType")]

_READS = frozenset({"GET", "HEAD", "OPTIONS"})
_SCHEME = "GenieKey"


def _check_key(request: Request, credentials: Credentials) -> None:
    scheme, _, key = request.headers.get("authorization", "").strip().partition(" ")
    key = key.strip()
    if scheme != _SCHEME or key not in (credentials.opsgenie_key, credentials.opsgenie_readonly_key):
        raise OpsgenieError(401, AUTH_FAILED)
    if key == credentials.opsgenie_readonly_key and request.method not in _READS:
        raise OpsgenieError(403, READ_ONLY, code=READ_ONLY_CODE)


async def _read_body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise OpsgenieError(400, INVALID_JSON) from exc


class OpsgenieRoute(APIRoute):
    """The route class of every Opsgenie endpoint: authenticates, parses the body and renders errors."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The endpoint's handler behind the key check, the body parsing and the error rendering."""
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            meta = RequestMeta()
            request.state.opsgenie = meta
            try:
                _check_key(request, context_of(request.app).credentials)
                if request.method not in _READS:
                    meta.body = await _read_body(request)
                return await handler(request)
            except OpsgenieError as exc:
                return render_error(meta, exc)

        return guarded


def expansions(value: str | None) -> set[str]:
    """The values of a comma-separated ``expand`` query parameter."""
    return {part.strip() for part in (value or "").split(",") if part.strip()}
