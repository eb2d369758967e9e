"""Opsgenie's requests checked against Opsgenie's OpenAPI (Swagger 2.0) with bravado-core.

The OAS is split in files whose ``$ref`` s point into one merged document
(``#/definitions/X``); the upstream root ``swagger.yaml`` merges ``paths/``,
``parameters/``, ``responses/`` and ``definitions/``, and :func:`assemble_spec` does the
same with the files of ``../shared/reference/opsgenie-oas`` (or ``SANDBOX_OPSGENIE_OAS``),
after three adaptations, each the smallest that lets a Swagger 2.0 tool read the spec as
its authors meant it:

1. ``TeamMeta`` lives in upstream ``definitions/team.yaml``, which the shared copy lacks;
   it is stood in for by its two string properties ``id`` and ``name``.
2. ``nullable: true`` (an OAS 3 keyword) becomes Swagger 2.0's ``x-nullable: true``.
3. Polymorphic subtypes say their discriminator value with the code generators'
   ``x-discriminator-value`` (``user``, ``none``, ``time-of-day``…), whereas Swagger 2.0
   takes the value as a definition name: each subtype of a base the schedule paths use is
   also registered under its value.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sandbox.contract.request import ContractViolation, Kind, RequestView

OAS_ENV = "SANDBOX_OPSGENIE_OAS"
DEFAULT_OAS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "opsgenie-oas"


def oas_dir() -> Path:
    """Where the OAS files are: ``SANDBOX_OPSGENIE_OAS``, else ``../shared/reference/opsgenie-oas``."""
    return Path(os.environ.get(OAS_ENV) or DEFAULT_OAS_DIR)


def _refs(node: Any) -> set[str]:
    return set(re.findall(r"#/definitions/([A-Za-z0-9_]+)", json.dumps(node)))


def _nullable_to_x_nullable(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("nullable") is True:
            del node["nullable"]
            node["x-nullable"] = True
        for value in node.values():
            _nullable_to_x_nullable(value)
    elif isinstance(node, list):
        for value in node:
            _nullable_to_x_nullable(value)


def assemble_spec(folder: Path | None = None) -> dict[str, Any]:
    """The merged, adapted Swagger 2.0 document (see the module doc)."""
    root = folder or oas_dir()
    spec: dict[str, Any] = {
        # The upstream root document's own fields.
        "swagger": "2.0",
        "info": {"title": "OpsGenie REST API", "version": "2.0.0"},
        "host": "api.opsgenie.com",
        "schemes": ["https"],
        "produces": ["application/json"],
        "securityDefinitions": {"GenieKey": {"type": "apiKey", "name": "Authorization", "in": "header"}},
        "security": [{"GenieKey": []}],
    }
    for section in ("paths", "parameters", "responses", "definitions"):
        spec[section] = {}
        for path in sorted((root / section).glob("*.yaml")):
            part = yaml.safe_load(path.read_text()) or {}
            clash = set(part) & set(spec[section])
            if clash:
                raise ValueError(f"{path} redefines {sorted(clash)}")
            spec[section].update(part)
    definitions = spec["definitions"]
    definitions.setdefault(
        "TeamMeta", {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
    )
    _nullable_to_x_nullable(spec)
    used: set[str] = set()
    todo = list(_refs({k: spec[k] for k in ("paths", "parameters", "responses")}))
    while todo:
        name = todo.pop()
        if name not in used:
            used.add(name)
            todo.extend(_refs(definitions[name]))
    for definition in list(definitions.values()):
        value = definition.get("x-discriminator-value")
        bases = _refs(definition.get("allOf", []))
        if value and any(b in used and "discriminator" in definitions[b] for b in bases):
            if value in definitions:
                raise ValueError(f"discriminator value {value} is also a definition")
            definitions[value] = {**copy.deepcopy(definition), "x-model": value}
    return spec


@dataclass
class _Incoming:
    """A request as bravado-core's ``IncomingRequest`` interface wants it."""

    path: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    raw_bytes: bytes = b""
    form: Any = None
    files: Any = None

    def json(self) -> Any:
        return self.body


class OpsgenieOas:
    """The OAS as bravado-core reads it: finds a request's operation and unmarshals the request."""

    def __init__(self, folder: Path | None = None) -> None:
        from bravado_core.spec import Spec

        config = {"use_models": False, "validate_swagger_spec": True, "validate_requests": True}
        with warnings.catch_warnings():
            # bravado-core and swagger-spec-validator still use jsonschema's deprecated RefResolver.
            warnings.simplefilter("ignore", DeprecationWarning)
            self.spec = Spec.from_dict(assemble_spec(folder), config=config)  # type: ignore[no-untyped-call]
        self.routes: list[tuple[re.Pattern[str], str, Any]] = []
        for resource in self.spec.resources.values():
            for op in resource.operations.values():
                pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(op.path_name))
                self.routes.append((re.compile(f"^{pattern}$"), op.http_method.upper(), op))
        # Literal text first: "/v2/schedules/{identifier}.ics" before "/v2/schedules/{identifier}".
        self.routes.sort(key=lambda r: -len(re.sub(r"\{\w+\}", "", r[2].path_name)))

    def operation(self, method: str, raw_path: str) -> tuple[Any, dict[str, str]]:
        """The operation serving ``method raw_path`` and its (decoded) path parameters."""
        from urllib.parse import unquote

        methods = set()
        for pattern, verb, op in self.routes:
            match = pattern.match(raw_path)
            if match:
                methods.add(verb)
                if verb == method.upper():
                    return op, {k: unquote(v) for k, v in match.groupdict().items()}
        if methods:
            raise ContractViolation(
                f"{method} {raw_path}", f"the OAS allows only {', '.join(sorted(methods))}", "method"
            )
        raise ContractViolation(f"{method} {raw_path}", "no such operation in the OAS", "endpoint")

    def check(self, request: RequestView) -> dict[str, Any]:
        """The request's parameters as the OAS reads them; raises ContractViolation when it refuses it."""
        from bravado_core.exception import SwaggerMappingError
        from bravado_core.param import unmarshal_param
        from jsonschema import ValidationError

        op, path_params = self.operation(request.method, request.raw_path)
        query = dict(request.query)
        declared = {p.name for p in op.params.values() if p.location == "query"}
        unknown = sorted(set(query) - declared)
        if unknown:
            raise ContractViolation(f"query {unknown[0]}", f"not a parameter of {op.operation_id}", "query")
        has_body = any(p.location == "body" for p in op.params.values())
        if request.body.strip() and not has_body:
            raise ContractViolation("body", f"{op.operation_id} takes no body", "unexpected-body")
        body = request.json if has_body and request.body.strip() else None
        if has_body and body is not None and request.content_type != "application/json":
            raise ContractViolation(
                "header Content-Type", "a JSON body must be sent as application/json", "media"
            )
        incoming = _Incoming(path_params, query, request.headers, body, request.body)
        values: dict[str, Any] = {}
        for param in op.params.values():
            where = "body" if param.location == "body" else f"{param.location} {param.name}"
            kind: Kind = param.location if param.location in ("query", "path", "header") else "body"
            try:
                values[param.name] = unmarshal_param(param, incoming)  # type: ignore[no-untyped-call]
            except ValidationError as exc:
                inner = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in exc.absolute_path)
                raise ContractViolation(where + inner, exc.message, kind) from None
            except (SwaggerMappingError, ValueError, TypeError) as exc:
                raise ContractViolation(where, str(exc), kind) from None
        return values

    def documents(self, request: RequestView, status: int) -> bool:
        """Whether the OAS lists ``status`` among the answers of ``request``'s operation."""
        try:
            op, _ = self.operation(request.method, request.raw_path)
        except ContractViolation:
            return False
        return str(status) in op.op_spec.get("responses", {})


@functools.cache
def load(folder: Path | None = None) -> OpsgenieOas | None:
    """The OAS of ``folder`` (default :func:`oas_dir`), or None when its files are absent."""
    root = folder or oas_dir()
    if not (root / "paths" / "schedule.yaml").is_file():
        return None
    return OpsgenieOas(root)


PUBLIC_OAS = "https://github.com/opsgenie/opsgenie-oas"


def source_note() -> str:
    """What the sandbox says at start about Opsgenie's OAS: where it is read from, or what is not checked."""
    root = oas_dir()
    if (root / "paths" / "schedule.yaml").is_file():  # as load() finds it
        return f"Opsgenie requests are checked against Opsgenie's OpenAPI in {root}."
    where = (
        f"{OAS_ENV} names {root}, which does not hold it"
        if os.environ.get(OAS_ENV)
        else f"{OAS_ENV} is not set"
    )
    return (
        f"Opsgenie's OpenAPI not found ({where}): Opsgenie requests are NOT checked against it, only "
        "by the emulator's own validation, so a request that the OpenAPI refuses (an undeclared query "
        "parameter, a wrong type or enum) may pass here. For the full check, set "
        f"{OAS_ENV} to a checkout of Opsgenie's public OpenAPI ({PUBLIC_OAS}). "
        "iMBRACE and Omni requests are checked against the schemas built into the sandbox."
    )


def checker() -> Any:
    """The check of Opsgenie requests, or None when the OAS is not there (strict mode then skips it)."""
    oas = load()
    if oas is None:
        return None

    def check(request: RequestView) -> None:
        oas.check(request)

    return check
