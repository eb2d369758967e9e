"""Helpers shared by the iMBRACE and Omni emulators: errors, JSON bodies, timestamps, ids."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.responses import Response

ErrorBuilder = Callable[[int, str], Response]

# The pattern zod's `.uuid()` accepts (Omni validates with zod): any 8-4-4-4-12 hex
# string, whatever its version and variant digits.
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class ApiError(Exception):
    """An error answer raised from anywhere inside a route; its API's route class renders it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_route_class(render: ErrorBuilder) -> type[APIRoute]:
    """An ``APIRoute`` subclass that turns an :class:`ApiError` into ``render(status, message)``.

    Routers take it as ``route_class``, so endpoints can raise from helpers instead of
    threading error responses back through every call.
    """

    class ErrorCatchingRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                try:
                    return await handler(request)
                except ApiError as exc:
                    return render(exc.status, exc.message)

            return guarded

    return ErrorCatchingRoute


@dataclass(frozen=True)
class JsonBody:
    """A request body read as JSON: ``empty`` (no bytes), ``valid`` (parsed) and the ``value``."""

    empty: bool
    valid: bool
    value: Any = None


async def read_json(request: Request) -> JsonBody:
    """Parse the body as JSON without failing: both APIs word their own body errors."""
    raw = await request.body()
    if not raw.strip():
        return JsonBody(empty=True, valid=True, value=None)
    try:
        return JsonBody(empty=False, valid=True, value=json.loads(raw))
    except (ValueError, UnicodeDecodeError):
        return JsonBody(empty=False, valid=False)


def now_iso() -> str:
    """The current UTC time the way both APIs print it: ``2024-09-13T09:05:36.286Z``."""
    return to_iso(datetime.now(UTC))


def to_iso(moment: datetime) -> str:
    """A datetime as ISO 8601 in UTC with milliseconds and ``Z`` (JavaScript's ``toISOString``)."""
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_iso(value: Any) -> datetime | None:
    """An ISO 8601 date-time string as an aware datetime (no offset means UTC), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def is_uuid(value: Any) -> bool:
    """True for a string shaped like a UUID (8-4-4-4-12 hex digits)."""
    return isinstance(value, str) and _UUID_RE.match(value) is not None


def is_int(value: Any) -> bool:
    """True for a JSON integer (``true``/``false`` are not integers here, unlike in Python)."""
    return isinstance(value, int) and not isinstance(value, bool)
