"""What a contract check sees of a request, and the error it raises."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote

Kind = Literal["endpoint", "method", "query", "path", "header", "body", "json", "unexpected-body", "media"]
"""What a violation is about: no such ``endpoint``; a ``method`` the path does not take; a ``query``,
``path`` or ``header`` parameter; a ``body`` (or multipart ``payload``) that breaks its schema or is
missing; a body that is not ``json``; an ``unexpected-body``; the wrong ``media`` type."""


class ContractViolation(Exception):
    """A request the API's docs do not allow: ``where`` in the request, ``why`` it is refused."""

    def __init__(self, where: str, why: str, kind: Kind = "body") -> None:
        super().__init__(f"{where}: {why}")
        self.where = where
        self.why = why
        self.kind: Kind = kind


@dataclass(frozen=True)
class RequestView:
    """One request, relative to its API's prefix: method, raw path, query pairs, headers, body."""

    method: str
    raw_path: str
    """The path as sent, percent-encoded (so an encoded ``/`` in a segment stays in that segment)."""
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    """Header names in lower case."""
    body: bytes = b""
    form: dict[str, str] | None = None
    """The text fields of a multipart body (None: not multipart)."""

    @classmethod
    def of(
        cls,
        method: str,
        raw_path: str,
        query_string: str = "",
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        form: dict[str, str] | None = None,
    ) -> RequestView:
        """A view built from the parts of an HTTP request."""
        query = parse_qsl(query_string, keep_blank_values=True)
        return cls(
            method.upper(), raw_path, query, {k.lower(): v for k, v in (headers or {}).items()}, body, form
        )

    @property
    def segments(self) -> list[str]:
        """The decoded path segments (``/a/b%2Fc`` → ``["a", "b/c"]``)."""
        return [unquote(s) for s in self.raw_path.strip("/").split("/")] if self.raw_path.strip("/") else []

    @property
    def content_type(self) -> str:
        """The media type of the body, lower case, without parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @cached_property
    def json(self) -> Any:
        """The body parsed as JSON (raises ContractViolation when it is not JSON)."""
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ContractViolation("body", f"not JSON ({exc})", "json") from None
