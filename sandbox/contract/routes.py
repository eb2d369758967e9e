"""A small route table for the APIs documented in prose (iMBRACE, Omni): their documented
operations, each with JSON schemas for its query, JSON body and multipart ``payload``, and the
error rows the docs give it (:class:`ErrorRow`), which strict mode lets the emulator answer."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft7Validator

from sandbox.contract import Answer, Documented
from sandbox.contract.request import ContractViolation, Kind, RequestView

Schema = dict[str, Any]


@dataclass(frozen=True)
class ErrorRow:
    """One documented error answer: its status and text; ``{name}`` / ``<name>`` stand for any text."""

    status: int
    text: str

    @property
    def pattern(self) -> re.Pattern[str]:
        """The text as a regular expression (placeholders match any text)."""
        parts = re.split(r"\{\w+\}|<\w+>", self.text)
        return re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$", re.DOTALL)

    def matches(self, status: int, text: str) -> bool:
        """Whether an answer ``status``/``text`` is this row."""
        return status == self.status and self.pattern.match(text) is not None


def query_schema(properties: Schema) -> Schema:
    """A query's schema: only these parameters, each a string value checked by its own schema."""
    return {"type": "object", "properties": properties, "additionalProperties": False}


@dataclass(frozen=True)
class Operation:
    """One documented operation: method, path pattern (``{name}`` for a segment) and schemas."""

    name: str
    method: str
    path: str
    query: Schema = field(default_factory=lambda: query_schema({}))
    body: Schema | None = None
    """The JSON body's schema; None: the operation takes no body."""
    body_required: bool = False
    payload: Schema | None = None
    """A multipart operation: the schema of its ``payload`` field (JSON text)."""
    errors: tuple[ErrorRow, ...] = ()
    """The error rows the docs list under this endpoint (any method on its path)."""

    @property
    def pattern(self) -> re.Pattern[str]:
        """The path as a regular expression over the raw (percent-encoded) path.

        A parameter may be empty: the docs give the answer to a blank one (``organization_id is
        required``), so the emulator answers it."""
        return re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]*)", re.escape(self.path)) + "$")


def _where(prefix: str, error: Any) -> str:
    return prefix + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)


def _validate(schema: Schema, value: Any, where: str, kind: Kind) -> None:
    errors = sorted(Draft7Validator(schema).iter_errors(value), key=lambda e: list(e.absolute_path))
    if errors:
        raise ContractViolation(_where(where, errors[0]), errors[0].message, kind)


def check_request(operations: list[Operation], request: RequestView) -> None:
    """Raise ContractViolation unless ``request`` is one of ``operations`` as documented."""
    methods = []
    for op in operations:
        if not op.pattern.match(request.raw_path):
            continue
        methods.append(op.method)
        if op.method != request.method:
            continue
        query: dict[str, str] = {}
        for name, value in request.query:
            if name in query:
                raise ContractViolation(f"query {name}", "given more than once", "query")
            query[name] = value
        _validate(op.query, query, "query", "query")
        if op.payload is not None:
            if request.form is None:
                raise ContractViolation("body", f"{op.name} takes multipart/form-data", "media")
            if "payload" not in request.form:
                raise ContractViolation("form payload", "required")
            try:
                payload = json.loads(request.form["payload"])
            except ValueError as exc:
                raise ContractViolation("form payload", f"not JSON ({exc})", "json") from None
            _validate(op.payload, payload, "form payload", "body")
            return
        if not request.body.strip():
            if op.body_required:
                raise ContractViolation("body", f"{op.name} needs a JSON body")
            return
        if op.body is None:
            raise ContractViolation("body", f"{op.name} takes no body", "unexpected-body")
        if request.content_type != "application/json":
            raise ContractViolation(
                "header Content-Type", "a JSON body must be sent as application/json", "media"
            )
        _validate(op.body, request.json, "body", "body")
        return
    where = f"{request.method} {request.raw_path}"
    if methods:
        raise ContractViolation(where, f"the docs allow only {', '.join(sorted(set(methods)))}", "method")
    raise ContractViolation(where, "no such endpoint in the docs", "endpoint")


def documented_rows(
    operations: list[Operation], request: RequestView, violation: ContractViolation
) -> list[ErrorRow]:
    """The error rows the docs give ``request``'s operation; for a method the path does not take,
    the rows of every operation on that path (where the docs list "Invalid method")."""
    return [
        row
        for op in operations
        if op.pattern.match(request.raw_path) and (violation.kind == "method" or op.method == request.method)
        for row in op.errors
    ]


def answered_by_rows(operations: list[Operation], every_call: tuple[ErrorRow, ...], field: str) -> Documented:
    """The :attr:`Contract.documented` of an API documented in prose: the emulator's answer when it
    is one of the rows of the request's operation, or of ``every_call`` (e.g. its 401), with the
    text in the JSON body's ``field``."""

    def documented(request: RequestView, violation: ContractViolation, answer: Answer) -> Answer | None:
        text = answer.text(field)
        rows = [*documented_rows(operations, request, violation), *every_call]
        if text is not None and any(row.matches(answer.status, text) for row in rows):
            return answer
        return None

    return documented
