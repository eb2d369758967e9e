"""Strict mode at the ASGI level: read a request whole, check it, and hand it on unchanged; or
hold an answer in memory (the emulator's on a dry run, see :func:`capture`) and send it later."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from sandbox.contract.request import RequestView

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]


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


@dataclass(frozen=True)
class Answer:
    """An HTTP answer held in memory: the emulator's on a dry run, or one built from the docs."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    @classmethod
    def of(cls, response: Response) -> Answer:
        """A Starlette response, rendered."""
        return cls(response.status_code, list(response.raw_headers), bytes(response.body))

    def json(self) -> Any:
        """The body as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            return None

    def text(self, field: str) -> str | None:
        """The error text an API puts in ``field`` of its JSON body (None: no such text)."""
        body = self.json()
        value = body.get(field) if isinstance(body, dict) else None
        return value if isinstance(value, str) else None

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        """Send it, as an ASGI app."""
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})


async def capture(app: ASGIApp, scope: MutableMapping[str, Any], body: bytes) -> Answer:
    """What ``app`` answers to the request ``scope`` + ``body``, kept instead of sent."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    status = 500
    headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []

    async def keep(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status = int(message["status"])
            headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, keep)
    return Answer(status, headers, b"".join(chunks))
