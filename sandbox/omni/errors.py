"""Omni error bodies and the bearer-token check.

``/api/v1`` errors are ``{"detail": ..., "status": N}``; the beta ``/api/unstable``
trigger adds ``"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"]``. The 401
detail is the example of Omni's OpenAPI (``ApiError401``): "Unauthorized: Missing or
invalid API key". Injected faults (the middleware) use the v1 shape on both paths,
since :func:`error_response` does not see the request.
"""

from __future__ import annotations

import hmac

from fastapi import Request
from starlette.responses import JSONResponse, Response

from sandbox.common import ApiError, error_route_class
from sandbox.context import Credentials

SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
UNAUTHORIZED = "Unauthorized: Missing or invalid API key"


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An Omni v1 error: ``{"detail": "...", "status": N}``."""
    return JSONResponse({"detail": message, "status": status}, status_code=status, headers=headers)


def scim_error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error of the unstable (beta) API: the v1 body plus the SCIM error ``schemas``."""
    body = {"detail": message, "schemas": [SCIM_ERROR_SCHEMA], "status": status}
    return JSONResponse(body, status_code=status, headers=headers)


OmniRoute = error_route_class(error_response)
OmniUnstableRoute = error_route_class(scim_error_response)


def check_token(request: Request, credentials: Credentials) -> None:
    """401 unless ``Authorization: Bearer <the sandbox's Omni token>`` (scheme case-insensitive)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), credentials.omni_token.encode()
    ):
        raise ApiError(401, UNAUTHORIZED)


def schedule_not_found(schedule_id: str) -> ApiError:
    """The 404 every schedule call documents."""
    return ApiError(404, f"Scheduled task with id {schedule_id} does not exist")
