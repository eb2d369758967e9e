"""iMBRACE error bodies (``{"message": ...}``) and the access checks every scheduler call makes."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import JSONResponse, Response

from sandbox.common import ApiError, error_route_class
from sandbox.context import Credentials
from sandbox.deps import CredentialsDep


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An iMBRACE error: ``{"message": "..."}`` with the given status (and headers, e.g. Retry-After)."""
    return JSONResponse({"message": message}, status_code=status, headers=headers)


ImbraceRoute = error_route_class(error_response)


def check_token(request: Request, credentials: Credentials) -> None:
    """401 ``Unauthorized`` unless ``x-access-token`` is the sandbox's token."""
    token = request.headers.get("x-access-token", "")
    if not hmac.compare_digest(token.encode(), credentials.imbrace_token.encode()):
        raise ApiError(401, "Unauthorized")


def check_access(request: Request, credentials: Credentials, organization_id: str, user_id: str) -> None:
    """The checks in front of every scheduler call, in the order the gateway makes them.

    1. the token (401 ``Unauthorized``);
    2. blank path segments (400 ``organization_id is required`` / ``user_id is required``);
    3. the documented ``x-organization-id`` / ``x-user-id`` headers. They are optional;
       when sent they must name the same organisation and user as the path, else
       404 ``User not found`` — the docs' only answer for a user the call cannot reach (the
       check itself is a decision: a caller of one organisation must not act on another's path);
    4. the path's organisation and user must be the sandbox's, else 404 ``User not found``
       (the docs' only 404 for the user; an unknown organisation is reported the same way,
       since a user is looked up within its organisation).
    """
    check_token(request, credentials)
    if not organization_id.strip():
        raise ApiError(400, "organization_id is required")
    if not user_id.strip():
        raise ApiError(400, "user_id is required")
    header_org = request.headers.get("x-organization-id", "").strip()
    header_user = request.headers.get("x-user-id", "").strip()
    if (header_org and header_org != organization_id) or (header_user and header_user != user_id):
        raise ApiError(404, "User not found")
    if organization_id != credentials.imbrace_org or user_id != credentials.imbrace_user:
        raise ApiError(404, "User not found")


@dataclass(frozen=True)
class Caller:
    """The organisation and user a scheduler call's path names, once :func:`check_access` let it through."""

    organization_id: str
    user_id: str


async def _caller(
    request: Request, credentials: CredentialsDep, organization_id: str, user_id: str
) -> Caller:
    check_access(request, credentials, organization_id, user_id)
    return Caller(organization_id, user_id)


CallerDep = Annotated[Caller, Depends(_caller)]
"""A scheduler route's caller: its access is checked before the route runs."""
