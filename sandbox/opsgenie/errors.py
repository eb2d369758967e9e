"""Opsgenie's answer envelope and error bodies.

Every Opsgenie answer, success or error, carries ``took`` (seconds, float) and
``requestId`` (a UUID), and the headers the OAS declares on its answers:
``X-Request-ID``, ``X-Response-Time`` and the ``X-RateLimit-*`` trio. Errors are the OAS ``ErrorResponse``:
``{"message", "took", "requestId"}`` plus, where the real API adds them, ``code``
(Opsgenie's internal code, e.g. 40301) and ``errors`` (field → reason, on 422).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from starlette.responses import JSONResponse, Response

from sandbox.contract import Answer, ContractViolation, RequestView
from sandbox.contract.opsgenie import load

# Real texts, as Opsgenie answers them (seen in public bug reports of API clients).
AUTH_FAILED = "Could not authenticate"
READ_ONLY = "API Key is not granted with write access."
READ_ONLY_CODE = 40301
NOT_PROCESSABLE = "Request body is not processable. Please check the errors."
# The OAS describes 400 as "Invalid JSON body" (syntax errors only).
INVALID_JSON = "Invalid JSON body"

# The OAS declares the rate-limit headers on every answer: "OK" until throttled. Schedules
# belong to Opsgenie's "configuration" rate-limit domain; its bucket is per minute.
RATE_LIMIT_HEADERS = {
    "X-RateLimit-State": "OK",
    "X-RateLimit-Reason": "CONFIGURATION",
    "X-RateLimit-Period-In-Sec": "60",
}
THROTTLED_HEADERS = {**RATE_LIMIT_HEADERS, "X-RateLimit-State": "THROTTLED"}


class OpsgenieError(Exception):
    """An error answer raised anywhere inside an Opsgenie route; the route class renders it."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: dict[str, str] | None = None,
        code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.code = code


def not_processable(errors: dict[str, str]) -> OpsgenieError:
    """A 422 listing each invalid field, the way Opsgenie reports body validation errors."""
    return OpsgenieError(422, NOT_PROCESSABLE, errors=dict(errors))


def unprocessable(message: str) -> OpsgenieError:
    """A 422 about the request as a whole (e.g. a bad query parameter)."""
    return OpsgenieError(422, message)


def not_found(message: str) -> OpsgenieError:
    """A 404 for an entity that does not exist."""
    return OpsgenieError(404, message)


def conflict(message: str) -> OpsgenieError:
    """A 409: the name or alias is taken (Opsgenie's "ID or name conflicts with another entity")."""
    return OpsgenieError(409, message)


@dataclass
class RequestMeta:
    """Per-request bookkeeping: the request id, when handling began and the parsed JSON body."""

    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.perf_counter)
    body: Any = None

    def took(self) -> float:
        """Seconds spent so far, rounded like Opsgenie's (milliseconds)."""
        return round(time.perf_counter() - self.started, 3)


def meta_of(request: Request) -> RequestMeta:
    """The :class:`RequestMeta` the route class attached to ``request``."""
    meta = getattr(request.state, "opsgenie", None)
    if not isinstance(meta, RequestMeta):  # pragma: no cover - every Opsgenie route sets it
        meta = RequestMeta()
        request.state.opsgenie = meta
    return meta


def standard_headers(meta: RequestMeta, status: int = 200, took: float | None = None) -> dict[str, str]:
    """The headers of every Opsgenie answer: request id, response time and rate-limit state."""
    took = meta.took() if took is None else took
    headers = {"X-Request-ID": meta.request_id, "X-Response-Time": f"{took:.3f}"}
    headers.update(THROTTLED_HEADERS if status == 429 else RATE_LIMIT_HEADERS)
    return headers


def render(
    meta: RequestMeta, body: dict[str, Any], status: int, headers: dict[str, str] | None = None
) -> Response:
    """``body`` plus ``took`` and ``requestId``, as JSON with the standard headers."""
    took = meta.took()
    payload = {**body, "took": took, "requestId": meta.request_id}
    all_headers = {**standard_headers(meta, status, took), **(headers or {})}
    return JSONResponse(payload, status_code=status, headers=all_headers)


def answer(request: Request, body: dict[str, Any], status: int = 200) -> Response:
    """A success answer of an Opsgenie route."""
    return render(meta_of(request), body, status)


def render_error(meta: RequestMeta, exc: OpsgenieError) -> Response:
    """An :class:`OpsgenieError` as Opsgenie's error body."""
    body: dict[str, Any] = {"message": exc.message}
    if exc.code is not None:
        body["code"] = exc.code
    if exc.errors:
        body["errors"] = exc.errors
    return render(meta, body, exc.status)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """An error answer in Opsgenie's shape, for the app's and the fault middleware's own errors.

    A 429 says ``X-RateLimit-State: THROTTLED`` (with ``-Reason`` and ``-Period-In-Sec``),
    beside whatever ``Retry-After`` the caller passes.
    """
    return render(RequestMeta(), {"message": message}, status, headers)


def documented_answer(request: RequestView, violation: ContractViolation, answer: Answer) -> Answer | None:
    """The answer Opsgenie's OAS gives a request strict mode refused, or None when it gives none.

    The key is checked first (401/403, as the API does). A body that breaks the schema is the
    OAS's 422 ``UnprocessableEntity`` ("semantic errors in request body") and one that is not
    JSON its 400 ``BadRequest`` ("Invalid JSON body"), on every operation that lists them: the
    emulator's own answer when it gives that status, else one naming the field the OAS refuses.
    """
    if answer.status in (401, 403):
        return answer
    status = {"body": 422, "json": 400}.get(violation.kind)
    oas = load()
    if status is None or oas is None or not oas.documents(request, status):
        return None
    if answer.status == status:
        return answer
    if status == 400:
        return Answer.of(render_error(RequestMeta(), OpsgenieError(400, INVALID_JSON)))
    field = violation.where.removeprefix("body").lstrip(".") or "body"
    return Answer.of(render_error(RequestMeta(), not_processable({field: violation.why})))
