"""A scripted HTTP server on loopback for tests of the HTTP layer: it records what it receives.

Each request takes the next scripted answer: ``(status, headers)`` (with the default body),
``(status, headers, body)``, ``"drop"`` (the connection closes with no answer) or ``"cut"``
(headers and half a body, then the connection closes); when none is left, ``default``.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

Answer = tuple[int, dict[str, str]] | tuple[int, dict[str, str], object] | Literal["drop", "cut"]


@dataclass
class Recorder:
    """What one server received (``seen``: method, path, lower-cased headers), its TCP connections
    and the answers it gives in order, then ``default`` (status, body)."""

    url: str = ""
    answers: list[Answer] = field(default_factory=list)
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    connections: int = 0
    default: tuple[int, object] = (200, {"data": {}, "message": "answered"})


def serve(default: tuple[int, object] | None = None) -> tuple[ThreadingHTTPServer, Recorder]:
    """Start a server on a free loopback port; ``shutdown()`` the first element when done."""
    recorder = Recorder() if default is None else Recorder(default=default)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            recorder.connections += 1

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            recorder.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
            answer: Answer = recorder.answers.pop(0) if recorder.answers else (recorder.default[0], {})
            if answer == "drop" or answer == "cut":
                self._break_off(cut=answer == "cut")
                return
            status, headers, body = (*answer, recorder.default[1]) if len(answer) == 2 else answer
            data = json.dumps(body).encode()
            self.send_response(status)
            for k, v in {"Content-Type": "application/json", **headers}.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _break_off(self, cut: bool) -> None:
            if cut:  # headers and half the body, then the connection closes
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.write(b'{"half": ')
                self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    recorder.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    return httpd, recorder
