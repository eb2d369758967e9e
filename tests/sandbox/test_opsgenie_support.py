"""Helpers of the Opsgenie emulator's tests: the OAS validator and a validating client.

The OAS is Opsgenie's official Swagger 2.0 spec, kept out of this repository in
``../shared/reference/opsgenie-oas``. It is split in files whose ``$ref`` s point into
one merged document (``#/definitions/X``); the upstream root ``swagger.yaml`` merges
``paths/``, ``parameters/``, ``responses/`` and ``definitions/``, and :func:`load_spec`
does the same with the files we have. It is validated with **bravado-core** (Yelp's
maintained Swagger 2.0 library: spec validation through swagger-spec-validator,
request unmarshalling and response validation through jsonschema), after three
adaptations, each the smallest that lets a Swagger 2.0 tool read the spec as its
authors meant it:

1. ``TeamMeta`` lives in upstream ``definitions/team.yaml``, which the shared copy
   lacks; it is stood in for by its two string properties ``id`` and ``name``.
2. ``nullable: true`` (an OAS 3 keyword) becomes Swagger 2.0's ``x-nullable: true``.
3. Polymorphic subtypes say their discriminator value with the code generators'
   ``x-discriminator-value`` (``user``, ``none``, ``time-of-day``…), whereas Swagger
   2.0 takes the value as a definition name: each subtype of a base the schedule
   paths use is also registered under its value.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

from tests.conftest import SHARED

OAS_DIR = SHARED / "reference" / "opsgenie-oas"
MISSING_OAS = "Opsgenie OAS not found at ../shared/reference/opsgenie-oas (shared material missing)"

# bravado-core and swagger-spec-validator still use jsonschema's deprecated RefResolver.
OAS_WARNINGS = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:bravado_core"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:swagger_spec_validator"),
]

KEY = {"Authorization": "GenieKey sandbox-opsgenie"}
READ_ONLY_KEY = {"Authorization": "GenieKey sandbox-opsgenie-readonly"}
PREFIX = "/opsgenie"

ALICE = {"id": "6bc13753-1a48-4ed3-84fd-7b16feb856c0", "username": "alice@example.com"}
BOB = {"id": "c9d6332a-75fc-42b5-b067-62a750a5f4e9", "username": "bob@example.com"}
CAROL = {"id": "0bd9e74c-6bb8-4c35-b345-fdfce2845bee", "username": "carol@example.com"}
# The docs' weekly time restriction (Create Schedule sample): Monday 08:00 - Tuesday 18:30 and
# Wednesday 08:00 - Thursday 18:30.
_DOCS_WEEKDAY_RESTRICTION: dict[str, Any] = {
    "type": "weekday-and-time-of-day",
    "restrictions": [
        {
            "startDay": "monday",
            "startHour": 8,
            "startMin": 0,
            "endDay": "tuesday",
            "endHour": 18,
            "endMin": 30,
        },
        {
            "startDay": "wednesday",
            "startHour": 8,
            "startMin": 0,
            "endDay": "thursday",
            "endHour": 18,
            "endMin": 30,
        },
    ],
}


def docs_weekday_restriction() -> dict[str, Any]:
    """A fresh copy of the docs' weekly time restriction (tests may change it)."""
    return copy.deepcopy(_DOCS_WEEKDAY_RESTRICTION)


def docs_create_schedule(participants: list[dict[str, Any]]) -> dict[str, Any]:
    """The docs' Create Schedule sample body, with the given participants."""
    return {
        "name": "ScheduleName",
        "description": "ScheduleDescription",
        "timezone": "Europe/Kirov",
        "enabled": True,
        "ownerTeam": {"name": "ops_team"},
        "rotations": [
            {
                "name": "First Rotation",
                "startDate": "2017-02-06T05:00:00Z",
                "endDate": "2017-02-23T06:00:00Z",
                "type": "hourly",
                "length": 6,
                "participants": participants,
                "timeRestriction": docs_weekday_restriction(),
            }
        ],
    }


OPS_TEAM = {"id": "a2010e5d-8895-460a-8acd-c0c6df4a0acb", "name": "ops_team"}
SRE_ESCALATION = {"id": "86f850a6-12c3-4405-9873-552ce95e0b47", "name": "sre_escalation"}


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


def assemble_spec() -> dict[str, Any]:
    """The merged, adapted Swagger 2.0 document (see the module doc)."""
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
        for path in sorted((OAS_DIR / section).glob("*.yaml")):
            part = yaml.safe_load(path.read_text()) or {}
            assert not set(part) & set(spec[section]), f"{path} redefines {set(part) & set(spec[section])}"
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
            assert value not in definitions, value
            definitions[value] = {**copy.deepcopy(definition), "x-model": value}
    return spec


@functools.cache
def load_validator() -> OasValidator | None:
    """The validator of the shared OAS, or None when the shared material is absent."""
    if not (OAS_DIR / "paths" / "schedule.yaml").is_file():
        return None
    from bravado_core.spec import Spec

    config = {"use_models": False, "validate_swagger_spec": True, "validate_requests": True}
    return OasValidator(Spec.from_dict(assemble_spec(), config=config))


def oas() -> OasValidator:
    """The OAS validator; skips the calling test when the OAS is missing."""
    validator = load_validator()
    if validator is None:
        pytest.skip(MISSING_OAS)
    return validator


@dataclass
class _Outgoing:
    """A response as bravado-core's ``OutgoingResponse`` interface wants it."""

    content_type: str
    text: str
    headers: Any
    raw_bytes: bytes

    def json(self, **_: Any) -> Any:
        return json.loads(self.text)


@dataclass
class _Incoming:
    """A request as bravado-core's ``IncomingRequest`` interface wants it."""

    path: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    form: Any = None
    files: Any = None

    def json(self) -> Any:
        return self.body


class OasValidator:
    """Finds the OAS operation of a request and validates requests and responses against it."""

    def __init__(self, spec: Any) -> None:
        self.spec = spec
        self.routes: list[tuple[re.Pattern[str], str, Any]] = []
        for resource in spec.resources.values():
            for op in resource.operations.values():
                pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(op.path_name))
                self.routes.append((re.compile(f"^{pattern}$"), op.http_method.upper(), op))
        # Literal text first: "/v2/schedules/{identifier}.ics" before "/v2/schedules/{identifier}".
        self.routes.sort(key=lambda r: -len(re.sub(r"\{\w+\}", "", r[2].path_name)))

    def operation(self, method: str, path: str) -> tuple[Any, dict[str, str]]:
        """The operation serving ``method path`` (path without the /opsgenie prefix) and its path params."""
        for pattern, verb, op in self.routes:
            match = pattern.match(path)
            if match and verb == method.upper():
                return op, match.groupdict()
        raise AssertionError(f"{method} {path} is not an operation of the OAS")

    def check_response(self, method: str, path: str, status: int, headers: Any, content: bytes) -> None:
        """Fail unless the answer is one the OAS declares for this operation and status."""
        from bravado_core.response import get_response_spec, validate_response, validate_response_headers
        from bravado_core.validate import validate_schema_object

        op, _ = self.operation(method, path)
        response_spec = get_response_spec(status, op)
        content_type = headers.get("content-type", "").split(";")[0].strip()
        outgoing = _Outgoing(content_type, content.decode(), headers, content)
        if status >= 400 and content_type not in op.produces:
            # The export "produces" only text/calendar, yet its errors are ErrorResponse
            # objects: check those as the JSON they are.
            assert content_type == "application/json", content_type
            validate_schema_object(self.spec, self.spec.deref(response_spec["schema"]), outgoing.json())
            validate_response_headers(op, response_spec, outgoing)
            return
        validate_response(response_spec, op, outgoing)

    def check_request(
        self, method: str, url: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        """Unmarshal a request the way an Opsgenie server would; fails when the OAS rejects it."""
        from bravado_core.request import unmarshal_request

        parts = urlsplit(url)
        op, path_params = self.operation(method, parts.path)
        incoming = _Incoming(path_params, dict(parse_qsl(parts.query)), {**KEY, **(headers or {})}, body)
        return unmarshal_request(incoming, op)


class Opsgenie:
    """An HTTP client of the emulator that checks every Opsgenie answer against the OAS (when present).

    ``http`` is a Starlette ``TestClient`` or a ``requests.Session``; paths are given
    without the ``/opsgenie`` prefix, as in the docs.
    """

    def __init__(self, http: Any, base_url: str = "", validate: bool = True) -> None:
        self.http = http
        self.base_url = base_url
        self.validator = load_validator() if validate else None

    def request(self, method: str, path: str, *, key: dict[str, str] | None = KEY, **kwargs: Any) -> Any:
        """Send a request; unless ``key`` is None, with the full-access key."""
        headers = {**(key or {}), **kwargs.pop("headers", {})}
        response = self.http.request(method, self.base_url + PREFIX + path, headers=headers, **kwargs)
        if self.validator is not None:
            self.validator.check_response(
                method, urlsplit(path).path, response.status_code, response.headers, response.content
            )
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        """GET ``path``."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        """POST ``path``."""
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        """PATCH ``path``."""
        return self.request("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        """PUT ``path``."""
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        """DELETE ``path``."""
        return self.request("DELETE", path, **kwargs)

    def create_schedule(self, **fields: Any) -> str:
        """Create a schedule (``name`` defaults to "Schedule") and return its id."""
        body = {"name": "Schedule", **fields}
        response = self.post("/v2/schedules", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["data"]["id"])


def assert_error(response: Any, status: int, message: str | None = None) -> dict[str, Any]:
    """Check an Opsgenie error answer (status, envelope, request id header, message); its body."""
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["took"], float)
    assert str(uuid.UUID(body["requestId"])) == body["requestId"]
    assert response.headers["X-Request-ID"] == body["requestId"]
    if message is not None:
        assert body["message"] == message
    return dict(body)


def rotation(**fields: Any) -> dict[str, Any]:
    """A valid rotation body: daily from 2030-01-07 09:00Z for Alice and Bob, overridable."""
    return {
        "name": "Primary",
        "startDate": "2030-01-07T09:00:00Z",
        "type": "daily",
        "participants": [{"type": "user", "username": ALICE["username"]}, {"type": "user", "id": BOB["id"]}],
        **fields,
    }


def periods(
    timeline: dict[str, Any], which: str = "finalTimeline", order: int = 1
) -> list[tuple[str, str, str]]:
    """``(start, end, recipient name)`` of each period of one rotation of a timeline answer."""
    rotations = {r["order"]: r for r in timeline["data"][which]["rotations"]}
    return [(p["startDate"], p["endDate"], p["recipient"]["name"]) for p in rotations[order]["periods"]]
