"""Strict mode at the ASGI level: read a request whole, check it, and hand it on unchanged."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote

from starlette.requests import Request

from sandbox.contract.request import RequestView

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]


async def read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a ``receive`` that hands the app the same body again."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


async def request_view(scope: MutableMapping[str, Any], prefix: str, body: bytes) -> RequestView:
    """The request as :mod:`sandbox.contract` checks it (path relative to the API's ``prefix``)."""
    raw = scope.get("raw_path")
    raw_path = raw.decode("latin-1") if raw else quote(scope["path"])
    raw_path = raw_path.split("?", 1)[0].removeprefix(prefix) or "/"
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    form: dict[str, str] | None = None
    if headers.get("content-type", "").startswith("multipart/form-data"):
        sent = False

        async def once() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            parsed = await Request(scope, once).form()
        except Exception:  # an unparsable multipart body: the contract check names it
            form = {}
        else:
            form = {k: v for k, v in parsed.multi_items() if isinstance(v, str)}
            await parsed.close()
    query = scope.get("query_string", b"").decode("latin-1")
    return RequestView.of(scope["method"], raw_path, query, headers, body, form)
