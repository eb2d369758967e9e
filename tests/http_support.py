"""A scripted HTTP server on loopback for tests of the HTTP layer: it records what it receives."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorder:
    """What one server received, the answers it gives in order, then ``default`` (status, body)."""

    url: str = ""
    answers: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    default: tuple[int, dict[str, object]] = (200, {"data": {}, "message": "answered"})


def serve(default: tuple[int, dict[str, object]] | None = None) -> tuple[ThreadingHTTPServer, Recorder]:
    """Start a server on a free loopback port; ``shutdown()`` the first element when done."""
    recorder = Recorder() if default is None else Recorder(default=default)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            recorder.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
            status, headers = recorder.answers.pop(0) if recorder.answers else (recorder.default[0], {})
            data = json.dumps(recorder.default[1]).encode()
            self.send_response(status)
            for k, v in {"Content-Type": "application/json", **headers}.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    recorder.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    return httpd, recorder
